// What the report screens share: the ranges a bookkeeper or buyer asks for
// most, on the server's calendar.
import { serverNow } from '../../lib/clock'
import { dayOf as day, today } from '../stock/useStock'

export type Range = 'thisMonth' | 'lastMonth' | 'thisYear' | 'last30'
export const RANGES: Range[] = ['thisMonth', 'lastMonth', 'thisYear', 'last30']

/** A quick range as [from, to]; this year and this month end today. */
export function rangeOf(kind: Range): [string, string] {
  const now = serverNow()
  switch (kind) {
    case 'lastMonth':
      return [day(new Date(now.getFullYear(), now.getMonth() - 1, 1)), day(new Date(now.getFullYear(), now.getMonth(), 0))]
    case 'thisYear':
      return [`${now.getFullYear()}-01-01`, today()]
    case 'last30':
      return [day(new Date(now.getFullYear(), now.getMonth(), now.getDate() - 29)), today()]
    default:
      return [day(new Date(now.getFullYear(), now.getMonth(), 1)), today()]
  }
}

/** A month's first and last day: "2026-11" → ["2026-11-01", "2026-11-30"]. */
export function monthRange(m: string): [string, string] {
  const [y, mo] = m.split('-').map(Number)
  return [`${m}-01`, day(new Date(y, mo, 0))]
}
