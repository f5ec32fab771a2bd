// Decimal strings as the API sends them ("12.5000", "-3.20"): quantities
// with 4 decimals, prices with 4, money with 2. They stay strings; where the
// screen must add or multiply (a scanned line's qty + 1, the amount shown
// for price × qty, a column total) it works on scaled integers, never floats,
// and rounds half away from zero as the server does.

export const QTY = 4
export const PRICE = 4
export const MONEY = 2

const pattern = /^([+-])?(\d*)(?:\.(\d*))?$/

/** "12.5" at scale 4 → 125000n; null when the text is not a decimal. */
export function toScaled(s: string | number | null | undefined, scale: number): bigint | null {
  if (s === null || s === undefined) return null
  const text = String(s).trim().replace(/,/g, '')
  const m = pattern.exec(text)
  if (!m || (!m[2] && !m[3])) return null
  const neg = m[1] === '-'
  const int = m[2] || '0'
  let frac = m[3] || ''
  let v: bigint
  if (frac.length <= scale) {
    v = BigInt(int + frac.padEnd(scale, '0'))
  } else {
    const kept = BigInt(int + frac.slice(0, scale))
    v = frac.charCodeAt(scale) >= 53 /* '5' */ ? kept + 1n : kept
  }
  return neg ? -v : v
}

/** Divide and round half away from zero. */
function divRound(n: bigint, d: bigint): bigint {
  const neg = n < 0n !== d < 0n
  const a = n < 0n ? -n : n
  const b = d < 0n ? -d : d
  const q = (a * 2n + b) / (b * 2n)
  return neg ? -q : q
}

function group(int: string): string {
  return int.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

/**
 * 125000n at scale 4 → "12.5": trailing zeros trimmed down to minFrac
 * decimals; with grouping, thousands are separated ("1,234.5").
 */
export function fromScaled(v: bigint, scale: number, minFrac = 0, grouping = false): string {
  const neg = v < 0n
  const digits = (neg ? -v : v).toString().padStart(scale + 1, '0')
  let int = digits.slice(0, digits.length - scale)
  let frac = digits.slice(digits.length - scale).replace(/0+$/, '')
  while (frac.length < minFrac) frac += '0'
  if (grouping) int = group(int)
  return (neg ? '-' : '') + int + (frac ? '.' + frac : '')
}

/** a + b at the given scale ("1.5" + "1" → "2.5"); a bad operand counts as 0. */
export function addDec(a: string, b: string, scale = QTY): string {
  return fromScaled((toScaled(a, scale) ?? 0n) + (toScaled(b, scale) ?? 0n), scale)
}

/** Sum of decimal strings, at the given scale. */
export function sumDec(values: (string | null | undefined)[], scale: number): bigint {
  let s = 0n
  for (const v of values) s += toScaled(v, scale) ?? 0n
  return s
}

/** price × qty rounded to the cent, "" when either is missing or not a number. */
export function mulMoney(price: string, qty: string): string {
  const p = toScaled(price, PRICE)
  const q = toScaled(qty, QTY)
  if (p === null || q === null) return ''
  return fromScaled(divRound(p * q, 10n ** BigInt(PRICE + QTY - MONEY)), MONEY, MONEY)
}

/** qty × factor in base units (4 decimals), as a scaled integer. */
export function mulQty(qty: string, factor: string): bigint {
  const q = toScaled(qty, QTY) ?? 0n
  const f = toScaled(factor, QTY) ?? 10n ** BigInt(QTY)
  return divRound(q * f, 10n ** BigInt(QTY))
}

/** Sign of a decimal string: -1, 0 or 1 (0 for a bad one). */
export function sign(s: string | null | undefined): number {
  const v = toScaled(s, QTY)
  return v === null || v === 0n ? 0 : v < 0n ? -1 : 1
}

/** "-6.0000" → "6.0000". */
export function abs(s: string): string {
  return s.trim().replace(/^-/, '')
}

/** A quantity for display: "30955.0000" → "30,955", "2.5000" → "2.5". */
export function fmtQty(s: string | null | undefined, grouping = true): string {
  const v = toScaled(s, QTY)
  return v === null ? '' : fromScaled(v, QTY, 0, grouping)
}

/** A unit price for display, with at least `min` decimals: "3.2000" → "3.20". */
export function fmtPrice(s: string | null | undefined, min = 2): string {
  const v = toScaled(s, PRICE)
  return v === null ? '' : fromScaled(v, PRICE, min, true)
}

/** Money for display: "288481.17" → "288,481.17". */
export function fmtMoney(s: string | null | undefined): string {
  const v = toScaled(s, MONEY)
  return v === null ? '' : fromScaled(v, MONEY, MONEY, true)
}

/** A decimal as an input shows it: "24.0000" → "24", "3.2000" → "3.20" with min 2. */
export function trimDec(s: string | null | undefined, min = 0): string {
  const v = toScaled(s, QTY)
  return v === null ? (s ?? '') : fromScaled(v, QTY, min)
}
