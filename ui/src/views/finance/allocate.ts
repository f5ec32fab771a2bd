// 核销 arithmetic in cents (bigint), never floats: how much of each open
// bill and each payment or credit an allocation takes, and how those
// amounts pair up into the settlements the server records.
import { MONEY, fromScaled, toScaled } from '../../lib/decimal'

/** A money string in cents; a bad or empty one counts as 0. */
export const cents = (s: string | null | undefined): bigint => toScaled(s, MONEY) ?? 0n
/** Cents as the API's money string: 97760n → "977.60". */
export const money = (v: bigint): string => fromScaled(v, MONEY, MONEY)
export const absCents = (v: bigint) => (v < 0n ? -v : v)

/** One row of a side: what is open on it, and the amount the user typed (null: none, the row fills itself). */
export interface Share {
  open: bigint
  typed: bigint | null
}

/**
 * Spread total over the rows in their order: typed rows keep what the
 * user typed, the others take what is left, each up to its open amount.
 */
export function share(rows: Share[], total: bigint): bigint[] {
  let left = total
  for (const r of rows) if (r.typed !== null) left -= r.typed
  return rows.map((r) => {
    if (r.typed !== null) return r.typed
    const take = left <= 0n ? 0n : r.open < left ? r.open : left
    left -= take
    return take
  })
}

const cap = (rows: Share[]) => rows.reduce((s, r) => s + (r.typed ?? r.open), 0n)

/**
 * Both sides of an allocation: as much as the smaller side can take, each
 * side filled in its order (bills oldest due first, credits oldest first).
 * One bill and one payment: the smaller of the two opens.
 */
export function balance(debits: Share[], credits: Share[]): { debits: bigint[]; credits: bigint[] } {
  const d = cap(debits)
  const c = cap(credits)
  const total = d < c ? d : c
  return { debits: share(debits, total), credits: share(credits, total) }
}

export interface Pair {
  debit_id: number
  credit_id: number
  amount: bigint
}

/**
 * The settlements that apply the credits' amounts to the debits' amounts,
 * in order: the first credit pays the first bill until one of them is
 * used up, and so on. The two sides must add up to the same total.
 */
export function pair(debits: { id: number; amount: bigint }[], credits: { id: number; amount: bigint }[]): Pair[] {
  const d = debits.filter((x) => x.amount > 0n).map((x) => ({ ...x }))
  const c = credits.filter((x) => x.amount > 0n).map((x) => ({ ...x }))
  const out: Pair[] = []
  for (let i = 0, j = 0; i < d.length && j < c.length; ) {
    const amt = d[i].amount < c[j].amount ? d[i].amount : c[j].amount
    const last = out[out.length - 1]
    if (last && last.debit_id === d[i].id && last.credit_id === c[j].id) last.amount += amt
    else out.push({ debit_id: d[i].id, credit_id: c[j].id, amount: amt })
    d[i].amount -= amt
    c[j].amount -= amt
    if (d[i].amount === 0n) i++
    if (c[j].amount === 0n) j++
  }
  return out
}

/** Open bills in the order they should be paid: the earliest due first (the bill date when it has no due date), then the oldest. */
export function byDue<T extends { due_date?: string | null; date?: string; document_id?: number }>(items: T[]): T[] {
  const due = (x: T) => x.due_date || x.date || ''
  return [...items].sort((a, b) => due(a).localeCompare(due(b)) || (a.date || '').localeCompare(b.date || '') || (a.document_id || 0) - (b.document_id || 0))
}

/** What a payment or receipt applies when open credits are used first: each debit's, each credit's and the money's part. */
export interface CreditPlan {
  debits: bigint[]
  credits: bigint[]
  money: bigint
}

/**
 * An allocation that uses credits (a credited return, an earlier prepayment
 * or advance) before money, as 收清余额 / 付清余额 does: the debits take,
 * in their order, what the credits and the money can cover together; the
 * credits are used first, in their order, and the money pays the rest.
 * What the debits do not take is left of the money (a prepayment) or of the
 * credits (still open).
 */
export function withCredits(debits: Share[], credits: Share[], money: bigint): CreditPlan {
  const avail = credits.reduce((s, r) => s + (r.typed ?? r.open), 0n)
  const d = share(debits, avail + (money > 0n ? money : 0n))
  const applied = d.reduce((s, x) => s + x, 0n)
  const used = applied < avail ? applied : avail
  const c = share(credits.map((r) => ({ open: r.typed ?? r.open, typed: null })), used)
  return { debits: d, credits: c, money: applied - used }
}

/** The money that pays off open debits once the credits are used: their difference, never below 0. */
export function netOwed(debits: bigint[], credits: bigint[]): bigint {
  const n = debits.reduce((s, x) => s + x, 0n) - credits.reduce((s, x) => s + x, 0n)
  return n > 0n ? n : 0n
}
