// What the purchasing screens share: the four document kinds with their
// API paths and permissions, what is still open on a source line (an order
// line still to receive, a receipt line still to return or to bill), and
// the documents that follow another one.
import { useI18n } from 'vue-i18n'
import { api, fetchAll, type Page, type S } from '../../api/client'
import { QTY, fromScaled, toScaled } from '../../lib/decimal'

export type Doc = S['Document']
export type DocLine = S['DocLine']
export type Kind = 'orders' | 'receipts' | 'returns' | 'bills'
export const KINDS: Kind[] = ['orders', 'receipts', 'returns', 'bills']

interface KindInfo {
  type: NonNullable<Doc['type']>
  read: string
  write: string
  approve: string
  post: string
  /** The kind whose lines this kind's lines follow. */
  source?: Kind
}

// The permissions are the server's (httpapi/purchase.go purchaseKinds).
export const KIND: Record<Kind, KindInfo> = {
  orders: { type: 'purchase_order', read: 'purchase.order.read', write: 'purchase.order.write', approve: 'purchase.order.approve', post: 'purchase.order.post' },
  receipts: { type: 'purchase_receipt', read: 'purchase.receipt.read', write: 'purchase.receipt.write', approve: 'purchase.receipt.post', post: 'purchase.receipt.post', source: 'orders' },
  returns: { type: 'purchase_return', read: 'purchase.receipt.read', write: 'purchase.receipt.write', approve: 'purchase.receipt.post', post: 'purchase.receipt.post', source: 'receipts' },
  bills: { type: 'purchase_bill', read: 'purchase.bill.read', write: 'purchase.bill.write', approve: 'purchase.bill.approve', post: 'purchase.bill.write', source: 'receipts' },
}

export const isKind = (k: unknown): k is Kind => KINDS.includes(k as Kind)
export const kindOfType = (type?: string): Kind | undefined => KINDS.find((k) => KIND[k].type === type)
/** The document's screen. */
export const docPath = (k: Kind, id?: number | string) => `/purchase/${k}/${id}`

/** Names of the kinds (singular and plural), of states and their tag colours. */
export function usePurchaseLabels() {
  const { t, te } = useI18n()
  const kindLabel = (k: Kind) => t(`purchase.kind.${k}`)
  /** A posted order is a placed one (已下达); the other states read as on every document. */
  const stateLabel = (x?: string, k?: Kind) => (k === 'orders' && x === 'posted' ? t('purchase.placed') : x && te(`stock.state.${x}`) ? t(`stock.state.${x}`) : x || '')
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
export function numberOf(k: Kind, id: number): Promise<string> {
  const key = `${k}/${id}`
  let p = numbers.get(key)
  if (!p) {
    p = api<Doc>('GET', `/purchase/${k}/${id}`)
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
 * The lists have no source filter: the supplier's documents from doc's date
 * on are read and filtered here.
 */
export async function followers(doc: Doc, kinds: Kind[]): Promise<{ kind: Kind; doc: Doc }[]> {
  if (!doc.id || !doc.partner_id) return []
  const out: { kind: Kind; doc: Doc }[] = []
  for (const k of kinds) {
    const list = await fetchAll<Doc>(`/purchase/${k}`, { partner_id: doc.partner_id, from: doc.date, sort: 'date' }, 2000)
    for (const d of list) if (d.source_id === doc.id) out.push({ kind: k, doc: d })
  }
  return out
}

/** A dialog or message box is open: page shortcuts (Ctrl+Enter) leave the keys to it. */
export function overlayOpen(): boolean {
  return [...document.querySelectorAll('.el-message-box, .el-overlay-dialog')].some((e) => e.checkVisibility())
}
