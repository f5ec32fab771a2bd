// What the trade screens share — purchasing (进) and sales (销) use the
// same list and editor: the document kinds of each side with their API
// paths, permissions and the role each plays (a sales shipment is to its
// order what a purchase receipt is to its order), what is still open on a
// source line (an order line still to receive or ship, a receipt or
// shipment line still to return or to bill), and the documents that follow
// another one.
import { useI18n } from 'vue-i18n'
import { api, fetchAll, type Page, type S } from '../../api/client'
import { QTY, fromScaled, toScaled } from '../../lib/decimal'

export type Doc = S['Document']
export type DocLine = S['DocLine']
export type Kind = 'orders' | 'receipts' | 'returns' | 'bills'
export const KINDS: Kind[] = ['orders', 'receipts', 'returns', 'bills']
export type SalesKind = 'quotes' | 'orders' | 'shipments' | 'returns' | 'invoices'
export const SALES_KINDS: SalesKind[] = ['quotes', 'orders', 'shipments', 'returns', 'invoices']
/** Purchasing (进) or sales (销): the route's meta.side. */
export type Side = 'purchase' | 'sales'
/** A kind of either side; which one is the side's business. */
export type AnyKind = Kind | SalesKind
/**
 * What a kind does on the screen, the same on both sides: free lines
 * (quote, order), goods against an order (receipt / shipment), goods back
 * against those (return), money for them (bill / invoice).
 */
export type Role = 'quote' | 'order' | 'receipt' | 'return' | 'bill'

export interface KindInfo {
  type: NonNullable<Doc['type']>
  read: string
  write: string
  approve: string
  post: string
  role: Role
  /** The kind whose lines this kind's lines follow. */
  source?: AnyKind
}

// The permissions are the server's (httpapi/purchase.go purchaseKinds).
export const KIND: Record<Kind, KindInfo> = {
  orders: { type: 'purchase_order', read: 'purchase.order.read', write: 'purchase.order.write', approve: 'purchase.order.approve', post: 'purchase.order.post', role: 'order' },
  receipts: { type: 'purchase_receipt', read: 'purchase.receipt.read', write: 'purchase.receipt.write', approve: 'purchase.receipt.post', post: 'purchase.receipt.post', source: 'orders', role: 'receipt' },
  returns: { type: 'purchase_return', read: 'purchase.receipt.read', write: 'purchase.receipt.write', approve: 'purchase.receipt.post', post: 'purchase.receipt.post', source: 'receipts', role: 'return' },
  bills: { type: 'purchase_bill', read: 'purchase.bill.read', write: 'purchase.bill.write', approve: 'purchase.bill.approve', post: 'purchase.bill.write', source: 'receipts', role: 'bill' },
}
// The server's too (httpapi/sales.go salesKinds).
export const SALES_KIND: Record<SalesKind, KindInfo> = {
  quotes: { type: 'sales_quote', read: 'sales.order.read', write: 'sales.order.write', approve: 'sales.order.approve', post: 'sales.order.write', role: 'quote' },
  orders: { type: 'sales_order', read: 'sales.order.read', write: 'sales.order.write', approve: 'sales.order.approve', post: 'sales.order.post', source: 'quotes', role: 'order' },
  shipments: { type: 'sales_shipment', read: 'sales.shipment.read', write: 'sales.shipment.write', approve: 'sales.shipment.post', post: 'sales.shipment.post', source: 'orders', role: 'receipt' },
  returns: { type: 'sales_return', read: 'sales.shipment.read', write: 'sales.shipment.write', approve: 'sales.shipment.post', post: 'sales.shipment.post', source: 'shipments', role: 'return' },
  invoices: { type: 'sales_invoice', read: 'sales.invoice.read', write: 'sales.invoice.write', approve: 'sales.invoice.write', post: 'sales.invoice.write', source: 'shipments', role: 'bill' },
}

export const isKind = (k: unknown): k is Kind => KINDS.includes(k as Kind)
export const kindOfType = (type?: string): Kind | undefined => KINDS.find((k) => KIND[k].type === type)
export const sideOf = (v: unknown): Side => (v === 'sales' ? 'sales' : 'purchase')
export const kindsOf = (side: Side): AnyKind[] => (side === 'sales' ? SALES_KINDS : KINDS)
/** The kind the route names, the side's first when it names none it knows. */
export const kindIn = (side: Side, k: unknown): AnyKind => (kindsOf(side).includes(k as AnyKind) ? (k as AnyKind) : 'orders')
export const kindInfo = (side: Side, k: AnyKind): KindInfo => (side === 'sales' ? SALES_KIND[k as SalesKind] : KIND[k as Kind]) || KIND.orders
/** The document's screen; the API path is the same under /api/v1. */
export const docPath = (k: AnyKind, id?: number | string, side: Side = 'purchase') => `/${side}/${k}/${id}`
/** The kind's list in the API (and its screen). */
export const kindBase = (side: Side, k: AnyKind) => `/${side}/${k}`

/** Names of the kinds (singular and plural), of states and their tag colours. */
export function usePurchaseLabels(side: Side = 'purchase') {
  const { t, te } = useI18n()
  const kindLabel = (k: AnyKind) => t(`${side}.kind.${k}`)
  /**
   * A posted purchase order is a placed one (已下达), a posted sales order a
   * confirmed one (已审核), a posted quote a sent one; the other states read
   * as on every document.
   */
  const stateLabel = (x?: string, k?: AnyKind) =>
    x === 'posted' && te(`${side}.postedState.${k}`) ? t(`${side}.postedState.${k}`) : x && te(`stock.state.${x}`) ? t(`stock.state.${x}`) : x || ''
  const stateTag = (x?: string): 'info' | 'warning' | 'primary' | 'success' | 'danger' =>
    x === 'posted' ? 'success' : x === 'submitted' ? 'warning' : x === 'approved' ? 'primary' : x === 'cancelled' ? 'danger' : 'info'
  return { kindLabel, stateLabel, stateTag }
}

// ---------------------------------------------------------------- what is open on a line (base units, scaled at QTY)

const q = (s?: string | null) => toScaled(s, QTY) ?? 0n
const ONE = 10n ** BigInt(QTY)
const pos = (v: bigint) => (v > 0n ? v : 0n)

/** An order line: ordered − received, nothing when closed. */
export function orderOpen(l: DocLine, docClosed = false): bigint {
  return l.closed || docClosed ? 0n : pos(q(l.base_qty) - q(l.received_qty))
}
/** A receipt line: what went into stock (delivered − rejected), in base units. */
export function receiptAccepted(l: DocLine): bigint {
  return q(l.base_qty) - (q(l.rejected_qty) * (toScaled(l.factor, QTY) ?? ONE)) / ONE
}
/** A sales quote line: quoted − ordered so far, nothing when closed. */
export function quoteOpen(l: DocLine, docClosed = false): bigint {
  return l.closed || docClosed ? 0n : pos(q(l.base_qty) - q(l.ordered_qty))
}
/** A sales order line: shipped but not yet invoiced. */
export const orderUnbilled = (l: DocLine) => pos(q(l.received_qty) - q(l.billed_qty))
/** A receipt line: what may still be returned. */
export const receiptReturnable = (l: DocLine) => pos(receiptAccepted(l) - q(l.returned_qty))
/** A receipt line: what is still to be billed (accepted − returned − billed). */
export const receiptBillable = (l: DocLine) => pos(receiptAccepted(l) - q(l.returned_qty) - q(l.billed_qty))

/**
 * Base units in the line's unit (factor base units each), rounded down to
 * the quantity's scale so that it never asks for more than is open.
 */
export function inUnit(base: bigint, factor?: string): string {
  const f = toScaled(factor, QTY) ?? ONE
  if (f <= 0n) return fromScaled(base, QTY)
  return fromScaled((base * ONE) / f, QTY)
}

// ---------------------------------------------------------------- related documents

/** A document's number, fetched once (links to sources show it). */
const numbers = new Map<string, Promise<string>>()
export function numberOf(k: AnyKind, id: number, side: Side = 'purchase'): Promise<string> {
  const key = `${side}/${k}/${id}`
  let p = numbers.get(key)
  if (!p) {
    p = api<Doc>('GET', `/${side}/${k}/${id}`)
      .then((d) => d.number || `#${id}`)
      .catch(() => `#${id}`)
    numbers.set(key, p)
  }
  return p
}

/** The id of a document of kind k with this number (the 3-way match names documents by number). */
export async function idOfNumber(k: Kind, number: string): Promise<number | null> {
  const p = await api<Page<Doc>>('GET', `/purchase/${k}`, undefined, { query: { q: number, limit: 5 } })
  return p.items.find((d) => d.number === number)?.id || null
}

/**
 * Documents of the given kinds that follow doc (their source_id is its id).
 * The purchase lists have no source filter: the supplier's documents from
 * doc's date on are read and filtered here; the sales lists take source_id.
 */
export async function followers(doc: Doc, kinds: AnyKind[], side: Side = 'purchase'): Promise<{ kind: AnyKind; doc: Doc }[]> {
  if (!doc.id || !doc.partner_id) return []
  const out: { kind: AnyKind; doc: Doc }[] = []
  for (const k of kinds) {
    const by: Record<string, number> = side === 'sales' ? { source_id: doc.id } : {}
    const list = await fetchAll<Doc>(`/${side}/${k}`, { partner_id: doc.partner_id, from: doc.date, sort: 'date', ...by }, 2000)
    for (const d of list) if (d.source_id === doc.id) out.push({ kind: k, doc: d })
  }
  return out
}

/** A dialog or message box is open: page shortcuts (Ctrl+Enter) leave the keys to it. */
export function overlayOpen(): boolean {
  return [...document.querySelectorAll('.el-message-box, .el-overlay-dialog')].some((e) => e.checkVisibility())
}

/**
 * The words of a trade screen: sales.<key> where the sales side says it
 * differently (客户 for 供应商, 发货 for 收货), else purchase.<key>.
 */
export function useTradeText(side: () => Side) {
  const { t, te } = useI18n()
  return (key: string, params: Record<string, unknown> = {}, plural?: number): string => {
    const k = side() === 'sales' && te(`sales.${key}`) ? `sales.${key}` : `purchase.${key}`
    return plural === undefined ? t(k, params) : t(k, params, plural)
  }
}
