// The ranges of business days a clerk picks all day, on the server's
// calendar (lib/clock): for the shortcuts of every date-range filter.
import { serverNow } from './clock'

export const QUICK_RANGES = ['today', 'yesterday', 'week', 'last7', 'last30', 'month', 'lastMonth', 'year'] as const
export type QuickRange = (typeof QUICK_RANGES)[number]

const z = (n: number) => String(n).padStart(2, '0')
const ymd = (d: Date) => `${d.getFullYear()}-${z(d.getMonth() + 1)}-${z(d.getDate())}`

/** The range as [from, to] on the calendar of `now` (a Date whose local fields read the server's wall clock). Weeks start on Monday. */
export function quickRange(kind: QuickRange, now: Date = serverNow()): [string, string] {
  const y = now.getFullYear()
  const m = now.getMonth()
  const d = now.getDate()
  const today = ymd(new Date(y, m, d))
  switch (kind) {
    case 'today':
      return [today, today]
    case 'yesterday': {
      const t = ymd(new Date(y, m, d - 1))
      return [t, t]
    }
    case 'week': {
      const back = (now.getDay() + 6) % 7 // days since Monday
      return [ymd(new Date(y, m, d - back)), today]
    }
    case 'last7':
      return [ymd(new Date(y, m, d - 6)), today]
    case 'last30':
      return [ymd(new Date(y, m, d - 29)), today]
    case 'month':
      return [ymd(new Date(y, m, 1)), today]
    case 'lastMonth':
      return [ymd(new Date(y, m - 1, 1)), ymd(new Date(y, m, 0))]
    case 'year':
      return [`${y}-01-01`, today]
  }
}

/** A business day as the local midnight Date the date picker works with. */
export function dateOfDay(day: string): Date {
  return new Date(+day.slice(0, 4), +day.slice(5, 7) - 1, +day.slice(8, 10))
}
