// The counter's arithmetic, as the server does it (internal/domain/pos.go
// Tender, Money.Share): what the customer hands over and gets back, the
// quick cash amounts, what the scan box was given ("3*6901…"), a
// whole-bill discount typed as an amount or a percent, 抹零, and what a
// return refunds. Fixed point on bigint (money at 2 decimals, quantities at
// 4), half away from zero.
import { MONEY, QTY, fromScaled, sumDec, toScaled } from './decimal'

export type PayMethod = 'cash' | 'wechat' | 'alipay' | 'card' | 'store_credit' | 'other'
/** The methods in the order the counter offers them (the server's order). */
export const PAY_METHODS: PayMethod[] = ['cash', 'wechat', 'alipay', 'card', 'store_credit', 'other']
/** The money account kinds a method pays into, preferred first (store credit needs none). */
export const METHOD_KINDS: Record<PayMethod, string[]> = {
  cash: ['cash'],
  wechat: ['wechat'],
  alipay: ['alipay'],
  card: ['card', 'bank'],
  store_credit: [],
  other: ['other'],
}

const CENT = 10n ** BigInt(MONEY)

function divRound(n: bigint, d: bigint): bigint {
  const neg = n < 0n !== d < 0n
  const a = n < 0n ? -n : n
  const b = d < 0n ? -d : d
  const q = (a * 2n + b) / (b * 2n)
  return neg ? -q : q
}

/** Money as the API writes it: 3350n → "33.50". */
export const moneyText = (v: bigint) => fromScaled(v, MONEY, MONEY)
/** A typed amount as scaled money; null when empty or not a number. */
export function parseMoney(s: string | null | undefined): bigint | null {
  if (s === null || s === undefined || !String(s).trim()) return null
  return toScaled(s, MONEY)
}

export interface Entry {
  /** The quantity typed before the code ("3*…"), or null for one. */
  qty: string | null
  code: string
}

/**
 * What was entered in the scan box: a barcode, a code or words to search,
 * optionally preceded by a quantity and "*" or "×" (3*6901234567892 sells
 * three). A quantity that is not a positive number leaves the text whole.
 */
export function parseEntry(text: string): Entry {
  const s = text.trim()
  const m = /^(\d+(?:\.\d+)?)\s*[*×xX]\s*(\S.*)$/.exec(s)
  if (m) {
    const q = toScaled(m[1], QTY)
    if (q !== null && q > 0n) return { qty: fromScaled(q, QTY), code: m[2].trim() }
  }
  return { qty: null, code: s }
}

export interface Tendered {
  /** What the non-cash payments pay. */
  nonCash: bigint
  /** What cash must pay: the total less the non-cash payments (negative: over-paid). */
  cashDue: bigint
  /** Cash handed over (an empty cash field means exactly what is due). */
  tendered: bigint
  change: bigint
  /** Cash still missing. */
  short: bigint
  /** Non-cash payments above the total. */
  over: bigint
  ok: boolean
}

/**
 * A sale of total paid by the non-cash amounts and cash tendered (null:
 * the cash field is empty, so exactly what is due). Non-cash payments pay
 * what they say and may not exceed the total; cash pays the rest and gives
 * change. cashAllowed false: there is no cash account, so the rest must be
 * nothing.
 */
export function tender(total: bigint, nonCash: bigint[], cash: bigint | null, cashAllowed = true): Tendered {
  const paid = nonCash.reduce((a, b) => a + (b > 0n ? b : 0n), 0n)
  const cashDue = total - paid
  if (cashDue <= 0n) {
    return { nonCash: paid, cashDue, tendered: 0n, change: 0n, short: 0n, over: -cashDue, ok: cashDue === 0n && total > 0n }
  }
  if (!cashAllowed) return { nonCash: paid, cashDue, tendered: 0n, change: 0n, short: cashDue, over: 0n, ok: false }
  const tendered = cash === null ? cashDue : cash
  const change = tendered > cashDue ? tendered - cashDue : 0n
  const short = tendered < cashDue ? cashDue - tendered : 0n
  return { nonCash: paid, cashDue, tendered, change, short, over: 0n, ok: short === 0n }
}

/** Banknote amounts above what is due (round up to 10, 20, 50, 100), at most three, smallest first. */
export function quickCash(due: bigint): bigint[] {
  if (due <= 0n) return []
  const out = new Set<bigint>()
  for (const note of [10n, 20n, 50n, 100n]) {
    const n = note * CENT
    const up = ((due + n - 1n) / n) * n
    if (up > due) out.add(up)
  }
  return [...out].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).slice(0, 3)
}

/**
 * A whole-bill discount as typed: "5" is 5.00 off, "5%" five percent of
 * subtotal (rounded to the cent). null when it is not a number, negative,
 * or more than the subtotal.
 */
export function parseDiscount(text: string, subtotal: bigint): bigint | null {
  const s = text.trim().replace(/％/g, '%')
  if (!s) return 0n
  let v: bigint | null
  if (s.endsWith('%')) {
    const rate = toScaled(s.slice(0, -1), 2)
    if (rate === null || rate < 0n || rate > 10000n) return null
    v = divRound(subtotal * rate, 10000n)
  } else {
    v = toScaled(s, MONEY)
  }
  if (v === null || v < 0n || v > subtotal) return null
  return v
}

/** 抹零: what takes a total down to whole yuan (83.56 → 0.56). */
export function roundOff(total: bigint): bigint {
  return total > 0n ? total % CENT : 0n
}

/** amount × part / whole, half away from zero (Money.Share): a returned quantity's share of a line. */
export function share(amount: bigint, part: bigint, whole: bigint): bigint {
  if (whole === 0n) return 0n
  return divRound(amount * part, whole)
}

/**
 * What of a sale line can still come back, in the line's unit: (base_qty −
 * returned_qty) / factor, rounded down to the quantity scale. The server
 * counts returns in base units.
 */
export function returnable(line: { base_qty?: string; returned_qty?: string; factor?: string }): string {
  const base = toScaled(line.base_qty, QTY) ?? 0n
  const back = toScaled(line.returned_qty || '0', QTY) ?? 0n
  const f = toScaled(line.factor || '1', QTY) || 10n ** BigInt(QTY)
  const left = base - back
  if (left <= 0n) return '0'
  return fromScaled((left * 10n ** BigInt(QTY)) / f, QTY)
}

/**
 * What returning qty (in the line's unit) of a sale line refunds: its share
 * of what the line was paid (gross, after every discount) by base quantity.
 */
export function refundOf(line: { gross?: string; base_qty?: string; factor?: string }, qty: string): bigint {
  const q = toScaled(qty, QTY)
  const whole = toScaled(line.base_qty, QTY) ?? 0n
  const gross = toScaled(line.gross, MONEY) ?? 0n
  if (q === null || q <= 0n || whole <= 0n) return 0n
  const f = toScaled(line.factor || '1', QTY) || 10n ** BigInt(QTY)
  const base = divRound(q * f, 10n ** BigInt(QTY))
  return share(gross, base, whole)
}

/**
 * The next page of a list of counter documents added below those shown
 * ("load more"), none twice: a sale made at another till meanwhile shifts
 * the offsets by one, so the next page starts with the last one shown.
 */
export function appendPage<T extends { id?: number }>(shown: T[], more: T[]): T[] {
  const seen = new Set(shown.map((d) => d.id))
  return shown.concat(more.filter((d) => !seen.has(d.id)))
}

/** What the counter's takings say (GET /pos/takings), the parts a list sum uses. */
export interface TakingsSums {
  sales?: number
  sales_amount?: string
  returns?: number
  return_amount?: string
  methods?: { method?: string; received?: string; refunded?: string }[] | null
}

export interface ListSum {
  /** Documents added up. */
  n: number
  /** Their total with tax, as the API writes money. */
  amount: string
  /** The whole filtered list (false: only the page shown). */
  whole: boolean
  /** By payment method (what sales took, what returns refunded), when the whole list is added. */
  methods: { method: PayMethod; amount: string }[]
}

/**
 * What a list of counter sales or returns adds up to. The list API gives a
 * page and a count, not a sum; the takings (交班对账) add up the same
 * documents when the filters are only dates, store and cashier, so pass
 * them then (null while a search narrows the list: the takings know
 * nothing of it). Without them the page is added up, and it is the whole
 * list only when the first page holds every document.
 */
export function listSum(
  kind: 'sales' | 'returns',
  page: { items: { gross_amount?: string }[]; total: number; offset?: number },
  takings: TakingsSums | null,
): ListSum {
  const sales = kind === 'sales'
  if (takings) {
    const methods = (takings.methods || [])
      .map((m) => ({ method: m.method as PayMethod, amount: (sales ? m.received : m.refunded) || '0' }))
      .filter((m) => (toScaled(m.amount, MONEY) ?? 0n) !== 0n)
    return {
      n: (sales ? takings.sales : takings.returns) || 0,
      amount: moneyText(toScaled((sales ? takings.sales_amount : takings.return_amount) || '0', MONEY) ?? 0n),
      whole: true,
      methods,
    }
  }
  const sum = sumDec(page.items.map((d) => d.gross_amount), MONEY)
  return { n: page.items.length, amount: moneyText(sum), whole: !page.offset && page.items.length >= page.total, methods: [] }
}
