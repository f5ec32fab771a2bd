// What the payables screens share: the names of the documents on a
// supplier's account, where each opens, the money accounts by name, the
// ageing buckets, and the dates a bookkeeper picks ranges by.
import { computed, ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { fetchAll, newKey, type S } from '../../api/client'
import { useSession } from '../../stores/session'
import { today } from '../stock/useStock'

export { today }

/** The ageing buckets of PartnerBalance.aging, in order; the first is not yet due. */
export const AGING = ['current', 'd30', 'd60', 'd90', 'over90'] as const

/** Where a document on a supplier's account opens. */
export function docLink(type?: string, id?: number): string {
  if (!id) return ''
  if (type === 'purchase_bill') return `/purchase/bills/${id}`
  if (type === 'purchase_return') return `/purchase/returns/${id}`
  if (type === 'payment') return `/finance/payments/${id}`
  return ''
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
export function statementFile(partnerId: number, from: string, to: string, format: 'pdf' | 'xlsx', lang: string): string {
  const q = new URLSearchParams({ from, to, lang })
  return `/api/v1/purchase/statements/${partnerId}/${format}?${q}`
}

export function usePayablesLabels() {
  const { t, te } = useI18n()
  const typeLabel = (x?: string) => (x && te(`payables.type.${x}`) ? t(`payables.type.${x}`) : x || '')
  return { typeLabel }
}

/** Money accounts, archived ones too (old payments name them), read once per screen. */
export function useAccounts() {
  const { locale } = useI18n()
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
    return a ? (locale.value === 'en' && a.name_en) || a.name || '' : `#${id}`
  }
  return { accounts, byId, loadAccounts, accountName }
}

/** A table as an Excel file the server renders (the lists' export does the same), downloaded as name.xlsx. */
export async function downloadSheet(name: string, columns: string[], rows: string[][]) {
  const res = await fetch('/api/v1/exports/xlsx', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': newKey() },
    body: JSON.stringify({ sheet: name, columns, rows }),
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
