import { describe, expect, it } from 'vitest'
import { dateOfDay, quickRange } from './ranges'

describe('quickRange', () => {
  const sunday = new Date(2026, 11, 6, 15, 0) // Sunday 6 December 2026
  it('counts weeks from Monday and months from the first', () => {
    expect(quickRange('today', sunday)).toEqual(['2026-12-06', '2026-12-06'])
    expect(quickRange('yesterday', sunday)).toEqual(['2026-12-05', '2026-12-05'])
    expect(quickRange('week', sunday)).toEqual(['2026-11-30', '2026-12-06'])
    expect(quickRange('week', new Date(2026, 11, 7))).toEqual(['2026-12-07', '2026-12-07'])
    expect(quickRange('last7', sunday)).toEqual(['2026-11-30', '2026-12-06'])
    expect(quickRange('last30', sunday)).toEqual(['2026-11-07', '2026-12-06'])
    expect(quickRange('month', sunday)).toEqual(['2026-12-01', '2026-12-06'])
    expect(quickRange('year', sunday)).toEqual(['2026-01-01', '2026-12-06'])
  })
  it('crosses the year for last month in January', () => {
    expect(quickRange('lastMonth', new Date(2027, 0, 15))).toEqual(['2026-12-01', '2026-12-31'])
    expect(quickRange('lastMonth', new Date(2026, 2, 31))).toEqual(['2026-02-01', '2026-02-28'])
    expect(quickRange('yesterday', new Date(2027, 0, 1))).toEqual(['2026-12-31', '2026-12-31'])
  })
  it('turns a day into its local midnight', () => {
    const d = dateOfDay('2026-02-28')
    expect([d.getFullYear(), d.getMonth(), d.getDate(), d.getHours()]).toEqual([2026, 1, 28, 0])
  })
})
