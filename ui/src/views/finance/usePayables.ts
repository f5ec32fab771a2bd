// What the payables screens share — and the receivables ones, the same
// screens on the sales side (the route's meta.side): the side's API and
// screens, the names of the documents on a partner's account, where each
// opens, the money accounts by name, the ageing buckets, and the dates a
// bookkeeper picks ranges by.
import { computed, ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { fetchAll, newKey, type S } from '../../api/client'
import { useSession } from '../../stores/session'
import { today } from '../stock/useStock'

export { today }

/** Money owed to suppliers (应付) or by customers (应收). */
export type MoneySide = 'payables' | 'receivables'
export interface MoneySideInfo {
  side: MoneySide
  partnerKind: 'supplier' | 'customer'
  read: string
  write: string
  /** The API: balances, a partner's open items (+ /{id}/items), allocations, payments or receipts, statements. */
  balances: string
  settlements: string
  docs: string
  statements: string
  /** The document type that is owed (a bill, an invoice) and the one that pays it. */
  debitType: string
  docType: string
  /** Every document type owed on the account that a payment settles (a landed cost owed to a carrier is paid like a bill). */
  debitTypes: string[]
  /** The screens. */
  balancesPath: string
  docsPath: string
  statementPath: string
}
export const MONEY_SIDES: Record<MoneySide, MoneySideInfo> = {
  payables: {
    side: 'payables', partnerKind: 'supplier', read: 'finance.payment.read', write: 'finance.payment.write',
    balances: '/purchase/payables', settlements: '/purchase/settlements', docs: '/purchase/payments', statements: '/purchase/statements',
    debitType: 'purchase_bill', docType: 'payment', debitTypes: ['purchase_bill', 'landed_cost'],
    balancesPath: '/finance/payables', docsPath: '/finance/payments', statementPath: '/finance/statements',
  },
  receivables: {
    side: 'receivables', partnerKind: 'customer', read: 'finance.receipt.read', write: 'finance.receipt.write',
    balances: '/sales/receivables', settlements: '/sales/settlements', docs: '/sales/receipts', statements: '/sales/statements',
    debitType: 'sales_invoice', docType: 'receipt', debitTypes: ['sales_invoice', 'pos_sale'],
    balancesPath: '/finance/receivables', docsPath: '/finance/receipts', statementPath: '/finance/customer-statements',
  },
}
/** The side of a money screen: the route's meta.side ('sales': receivables). */
export const moneySideOf = (side: unknown): MoneySideInfo => MONEY_SIDES[side === 'sales' ? 'receivables' : 'payables']

/**
 * The words of a money screen: receivables.<key> where the customer's side
 * says it differently (客户, 收款, 应收), else payables.<key>.
 */
export function useMoneyText(side: MoneySideInfo) {
  const { t, te } = useI18n()
  return (key: string, params: Record<string, unknown> = {}, plural?: number): string => {
    const k = side.side === 'receivables' && te(`receivables.${key}`) ? `receivables.${key}` : `payables.${key}`
    return plural === undefined ? t(k, params) : t(k, params, plural)
  }
}

/** The ageing buckets of PartnerBalance.aging, in order; the first is not yet due. */
export const AGING = ['current', 'd30', 'd60', 'd90', 'over90'] as const

/** Where a document on a supplier's or a customer's account opens. */
export function docLink(type?: string, id?: number): string {
  if (!id) return ''
  const at: Record<string, string> = {
    purchase_bill: '/purchase/bills/', purchase_return: '/purchase/returns/', payment: '/finance/payments/',
    sales_invoice: '/sales/invoices/', sales_return: '/sales/returns/', receipt: '/finance/receipts/',
    landed_cost: '/purchase/landed-costs/',
  }
  return at[type || ''] ? at[type || ''] + id : ''
}

/** Days from one business date to another ("2026-11-04" → "2026-12-04": 30). */
export function daysBetween(from: string, to: string): number {
  const a = Date.UTC(+from.slice(0, 4), +from.slice(5, 7) - 1, +from.slice(8, 10))
  const b = Date.UTC(+to.slice(0, 4), +to.slice(5, 7) - 1, +to.slice(8, 10))
  return Math.round((b - a) / 86_400_000)
}

const z = (n: number) => String(n).padStart(2, '0')
const ymd = (d: Date) => `${d.getFullYear()}-${z(d.getMonth() + 1)}-${z(d.getDate())}`

/** Ranges a statement is asked for, as [from, to]. */
export function rangeOf(kind: 'month' | 'lastMonth' | 'quarter' | 'year', day = today()): [string, string] {
  const y = +day.slice(0, 4)
  const m = +day.slice(5, 7) - 1
  switch (kind) {
    case 'lastMonth':
      return [ymd(new Date(y, m - 1, 1)), ymd(new Date(y, m, 0))]
    case 'quarter': {
      const q = m - (m % 3)
      return [ymd(new Date(y, q, 1)), ymd(new Date(y, q + 3, 0))]
    }
    case 'year':
      return [`${y}-01-01`, `${y}-12-31`]
    default:
      return [ymd(new Date(y, m, 1)), ymd(new Date(y, m + 1, 0))]
  }
}

/** The statement as a file the server renders (PDF to print, Excel to send). */
export function statementFile(partnerId: number, from: string, to: string, format: 'pdf' | 'xlsx', lang: string, base = '/purchase/statements'): string {
  const q = new URLSearchParams({ from, to, lang })
  return `/api/v1${base}/${partnerId}/${format}?${q}`
}

export function usePayablesLabels() {
  const { t, te } = useI18n()
  const typeLabel = (x?: string) => (!x ? '' : te(`payables.type.${x}`) ? t(`payables.type.${x}`) : te(`receivables.type.${x}`) ? t(`receivables.type.${x}`) : x)
  return { typeLabel }
}

/**
 * A partner's or an account's name in the user's language: the English
 * name in English when it has one, else the name. (The finance screens'
 * own; the other screens have theirs.)
 */
export function useNameOf() {
  const { locale } = useI18n()
  return (x?: { name?: string | null; name_en?: string | null } | null): string => (x ? (locale.value === 'en' && x.name_en) || x.name || '' : '')
}

/** Money accounts, archived ones too (old payments name them), read once per screen. */
export function useAccounts() {
  const nameOf = useNameOf()
  const session = useSession()
  const accounts = ref<S['Account'][]>([])
  const byId = computed(() => new Map(accounts.value.map((a) => [a.id!, a])))
  async function loadAccounts() {
    if (!session.can('finance.account.read')) return
    try {
      accounts.value = await fetchAll<S['Account']>('/accounts', { archived: 'all', sort: 'code' })
    } catch {
      /* names fall back to #id */
    }
  }
  const accountName = (id?: number | null) => {
    if (!id) return ''
    const a = byId.value.get(id)
    return a ? nameOf(a) : `#${id}`
  }
  return { accounts, byId, loadAccounts, accountName }
}

/** A table as an Excel file the server renders (the lists' export does the same), downloaded as name.xlsx; numeric marks the columns of figures. */
export async function downloadSheet(name: string, columns: string[], rows: string[][], numeric?: boolean[]) {
  const res = await fetch('/api/v1/exports/xlsx', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': newKey() },
    body: JSON.stringify({ sheet: name, columns, rows, numeric }),
  })
  if (!res.ok) throw new Error((await res.json().catch(() => ({}))).title || `HTTP ${res.status}`)
  saveBlob(await res.blob(), `${name}.xlsx`)
}

export function saveBlob(blob: Blob, file: string) {
  const a = document.createElement('a')
  a.href = URL.createObjectURL(blob)
  a.download = file
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(a.href), 1000)
}
