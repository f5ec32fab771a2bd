// The business day is the server's: jxc dates documents in its own time zone
// (a server in Shanghai, a laptop set to Los Angeles still sell on the
// Shanghai day). The session tells the zone's offset from UTC, and serverNow
// is "now" with the local fields of a Date reading the server's wall clock,
// so today, this month and the last 30 days agree with the server's reports.
let offset: number | null = null

/** Minutes east of UTC of the server's business time zone (the session's utc_offset). */
export function setServerOffset(minutes: number | null | undefined) {
  offset = typeof minutes === 'number' ? minutes : null
}

/** Now, as a Date whose getFullYear/getMonth/getDate/getHours read the server's wall clock. */
export function serverNow(at = Date.now()): Date {
  if (offset === null) return new Date(at)
  const here = new Date(at)
  return new Date(at + (offset + here.getTimezoneOffset()) * 60_000)
}

/** A stored instant (ISO) as the browser's local "YYYY-MM-DD HH:MM", for "last changed" and "last used" columns; '' for none. */
export function localStamp(s?: string | null): string {
  if (!s) return ''
  const d = new Date(s)
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`
}
