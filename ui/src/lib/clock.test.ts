import { afterEach, describe, expect, it } from 'vitest'
import { localStamp, serverNow, setServerOffset } from './clock'

const day = (d: Date) => `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()} ${d.getHours()}:${String(d.getMinutes()).padStart(2, '0')}`

describe('serverNow', () => {
  afterEach(() => setServerOffset(null))
  it('reads the browser clock until the server has said its zone', () => {
    const at = Date.UTC(2026, 11, 6, 3, 30)
    expect(serverNow(at).getTime()).toBe(at)
  })
  it("reads the server's wall clock: 03:30 UTC is 11:30 on the same day in Shanghai", () => {
    setServerOffset(480)
    expect(day(serverNow(Date.UTC(2026, 11, 6, 3, 30)))).toBe('2026-12-6 11:30')
  })
  it('and the next day when it is still the evening before in UTC', () => {
    setServerOffset(480)
    expect(day(serverNow(Date.UTC(2026, 11, 5, 20, 15)))).toBe('2026-12-6 4:15')
  })
  it('a server west of UTC', () => {
    setServerOffset(-480)
    expect(day(serverNow(Date.UTC(2026, 11, 6, 3, 30)))).toBe('2026-12-5 19:30')
  })
})

describe('localStamp', () => {
  it('reads an instant in the browser\'s zone, to the minute', () => {
    const at = new Date(2026, 11, 6, 9, 5, 59) // local
    expect(localStamp(at.toISOString())).toBe('2026-12-06 09:05')
  })
  it('is empty for none', () => {
    expect(localStamp(undefined)).toBe('')
    expect(localStamp(null)).toBe('')
  })
})
