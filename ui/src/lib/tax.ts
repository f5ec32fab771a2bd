// Tax and discounts on trade lines, as the server computes them
// (internal/domain/tax.go), so that a line being typed shows the amounts it
// will be saved with: qty × price rounded to the cent (R1); the line
// discount off that (R2); the tax per line from the gross (含税单价) or the
// net (R3); a whole-bill discount spread over the lines' gross in
// proportion, the last line taking the rest, each line's tax recomputed
// from its new gross (R4), after each line's own share of a threshold
// promotion (R4a); a line following a priced line (a shipment of an
// order line, its invoice, a return; a receipt, its bill) takes over that
// line's share of its whole-bill discount first (R5). Fixed point on
// bigint, half away from zero.
import { MONEY, PRICE, QTY, fromScaled, toScaled } from './decimal'

export const RATE = 2
const HUNDRED = 100n * 10n ** BigInt(RATE)

export interface TaxInput {
  qty: string
  price: string
  taxIncluded: boolean
  taxRate: string // percent, "13"
  discountRate?: string // percent, "5"
  /** R5: what this line takes over of its source line's whole-bill discount, scaled money. */
  carried?: bigint
  /** R4a: the line's own share of a threshold promotion (满减), scaled money. */
  promo?: bigint
}

/** A line's amounts as scaled integers (money at 2 decimals). */
export interface TaxAmounts {
  amount: bigint // qty × price before the line discount
  discount: bigint
  net: bigint
  tax: bigint
  gross: bigint
}

function divRound(n: bigint, d: bigint): bigint {
  const neg = n < 0n !== d < 0n
  const a = n < 0n ? -n : n
  const b = d < 0n ? -d : d
  const q = (a * 2n + b) / (b * 2n)
  return neg ? -q : q
}

const zero = (): TaxAmounts => ({ amount: 0n, discount: 0n, net: 0n, tax: 0n, gross: 0n })

function taxFromGross(a: TaxAmounts, rate: bigint) {
  a.tax = divRound(a.gross * rate, HUNDRED + rate)
  a.net = a.gross - a.tax
}

/** One line (R1–R3); zeros when a number is missing or not a number. */
export function lineAmounts(l: TaxInput): TaxAmounts {
  const q = toScaled(l.qty, QTY)
  const p = toScaled(l.price, PRICE)
  const r = toScaled(l.taxRate, RATE) ?? 0n
  const d = toScaled(l.discountRate || '0', RATE) ?? 0n
  const a = zero()
  if (q === null || p === null || r < 0n || d < 0n || d > HUNDRED) return a
  a.amount = divRound(q * p, 10n ** BigInt(QTY + PRICE - MONEY))
  const after = divRound(a.amount * (HUNDRED - d), HUNDRED)
  a.discount = a.amount - after
  if (l.taxIncluded) {
    a.gross = after
    taxFromGross(a, r)
  } else {
    a.net = after
    a.tax = divRound(a.net * r, HUNDRED)
    a.gross = a.net + a.tax
  }
  return a
}

/** Sums of lines (R4: totals are never recomputed from a total). */
export function totals(lines: TaxAmounts[]): TaxAmounts {
  const t = zero()
  for (const l of lines) {
    t.amount += l.amount
    t.discount += l.discount
    t.net += l.net
    t.tax += l.tax
    t.gross += l.gross
  }
  return t
}

/**
 * Every line of a document with the whole-bill discount spread over them
 * (R4). A discount above the lines' gross is not spread (the server
 * refuses it): `over` says so.
 */
export function documentAmounts(lines: TaxInput[], discount: string): { lines: TaxAmounts[]; total: TaxAmounts; over: boolean } {
  const out = lines.map(lineAmounts)
  out.forEach((a, i) => {
    const c = (lines[i].carried ?? 0n) + (lines[i].promo ?? 0n)
    if (c <= 0n) return
    const take = c < a.gross ? c : a.gross
    a.discount += take
    a.gross -= take
    taxFromGross(a, toScaled(lines[i].taxRate, RATE) ?? 0n)
  })
  const disc = toScaled(discount || '0', MONEY) ?? 0n
  const whole = totals(out).gross
  // No discount is never "over", whatever the lines add up to (a negative
  // quantity being typed is the line's error, not the discount's).
  if (disc === 0n || disc < 0n || disc > whole || whole <= 0n) return { lines: out, total: totals(out), over: disc !== 0n && (disc > whole || disc < 0n) }
  let last = -1
  out.forEach((l, i) => {
    if (l.gross > 0n) last = i
  })
  let left = disc
  out.forEach((l, i) => {
    if (l.gross <= 0n) return
    const share = i === last ? left : divRound(disc * l.gross, whole)
    left -= share
    l.discount += share
    l.gross -= share
    taxFromGross(l, toScaled(lines[i].taxRate, RATE) ?? 0n)
  })
  return { lines: out, total: totals(out), over: false }
}

/** What of a saved line R5 reads. */
export interface PricedLine {
  qty?: string
  rejected_qty?: string
  base_qty?: string
  factor?: string
  price?: string
  tax_rate?: string
  discount_rate?: string
  gross?: string
}

/** A line's stocked (accepted) quantity in base units, scaled. */
function stockQty(l: PricedLine): bigint {
  const rej = toScaled(l.rejected_qty || '0', QTY) ?? 0n
  if (rej === 0n) return toScaled(l.base_qty || '0', QTY) ?? 0n
  const acc = (toScaled(l.qty || '0', QTY) ?? 0n) - rej
  return divRound(acc * (toScaled(l.factor || '1', QTY) ?? 0n), 10n ** BigInt(QTY))
}

/** What its document's whole-bill discount took off a saved line (R4): the gross its own numbers give less the gross it kept. */
export function wholeBillShare(l: PricedLine, taxIncluded: boolean): bigint {
  const acc = (toScaled(l.qty || '0', QTY) ?? 0n) - (toScaled(l.rejected_qty || '0', QTY) ?? 0n)
  const a = lineAmounts({ qty: fromScaled(acc, QTY), price: l.price || '0', taxIncluded, taxRate: l.tax_rate || '0', discountRate: l.discount_rate })
  const kept = toScaled(l.gross || '0', MONEY) ?? 0n
  return a.gross > kept ? a.gross - kept : 0n
}

/**
 * R5: the part of a source line's whole-bill share a follower of `base`
 * base units (scaled) takes over, after `before` base units that earlier
 * followers took, rounded cumulatively as the server does.
 */
export function carriedShare(src: PricedLine, taxIncluded: boolean, base: bigint, before: bigint): bigint {
  const whole = stockQty(src)
  if (whole <= 0n) return 0n
  const share = wholeBillShare(src, taxIncluded)
  if (share === 0n) return 0n
  const b = before > 0n ? before : 0n
  const v = divRound(share * (b + base), whole) - divRound(share * b, whole)
  return v > 0n ? v : 0n
}

/** A money amount for an API field or a display helper ("20.00"). */
export const money = (v: bigint) => fromScaled(v, MONEY, MONEY)
