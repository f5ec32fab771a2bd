// What the counter's parts share: the till's setup (company, money
// accounts, warehouses) and its preferences, kept in this browser because
// they belong to the till, not to the cashier: the warehouse it sells
// from, the account each payment method goes into, the receipt width.
// Also printing a receipt and who lands on the counter after signing in.
import { reactive, ref, watch } from 'vue'
import { api, type S } from '../../api/client'
import { METHOD_KINDS, type PayMethod } from '../../lib/pos'
import { serverNow } from '../../lib/clock'

export type Doc = S['Document']
export type DocLine = S['DocLine']
export type Account = S['Account']
export type Width = '58' | '80'

const PREFS = 'jxc.pos.till'

export interface TillPrefs {
  warehouseId: number
  /** The account chosen for a method when the company has several of its kind. */
  accounts: Partial<Record<PayMethod, number>>
  width: Width
}

function loadPrefs(): TillPrefs {
  const d: TillPrefs = { warehouseId: 0, accounts: {}, width: '80' }
  try {
    const v = JSON.parse(localStorage.getItem(PREFS) || '{}')
    return { warehouseId: Number(v.warehouseId) || 0, accounts: v.accounts && typeof v.accounts === 'object' ? v.accounts : {}, width: v.width === '58' ? '58' : '80' }
  } catch {
    return d
  }
}

export const prefs = reactive<TillPrefs>(loadPrefs())
watch(prefs, (v) => localStorage.setItem(PREFS, JSON.stringify(v)), { deep: true })

export const setup = ref<S['POSSetup'] | null>(null)

export async function loadSetup(): Promise<S['POSSetup']> {
  const s = await api<S['POSSetup']>('GET', '/pos/setup')
  s.accounts = (s.accounts || []).filter((a) => !a.archived)
  s.warehouses = (s.warehouses || []).filter((w) => !w.archived)
  setup.value = s
  if (!s.warehouses.some((w) => w.id === prefs.warehouseId)) prefs.warehouseId = s.warehouses[0]?.id || 0
  return s
}

/** The accounts a method may pay into, preferred kind first. */
export function accountsFor(method: PayMethod): Account[] {
  const all = setup.value?.accounts || []
  return METHOD_KINDS[method].flatMap((k) => all.filter((a) => a.kind === k))
}

/** The account a method pays into at this till: the one chosen here, else the first of its kind. */
export function accountFor(method: PayMethod): Account | undefined {
  const list = accountsFor(method)
  return list.find((a) => a.id === prefs.accounts[method]) || list[0]
}

export function receiptURL(kind: 'sales' | 'returns', id: number, width: Width, lang: string, format: 'pdf' | 'text' | 'escpos' = 'pdf'): string {
  const q = new URLSearchParams({ width, format, lang })
  return `/api/v1/pos/${kind}/${id}/receipt?${q}`
}

/**
 * Print a receipt: the PDF, sized for the roll, in a new tab, where the
 * browser's viewer prints it. (Printing it from a hidden frame on this page
 * would spare the cashier the tab, but it crashes headless Chromium, so it
 * cannot be tested here; a till that prints silently runs Chrome with
 * --kiosk-printing.)
 */
export function printReceipt(kind: 'sales' | 'returns', id: number, width: Width, lang: string) {
  openTab(receiptURL(kind, id, width, lang))
}

export function openTab(url: string) {
  if (window.open(url, '_blank')) return
  const a = document.createElement('a')
  a.href = url
  a.target = '_blank'
  a.rel = 'noopener'
  document.body.appendChild(a)
  a.click()
  a.remove()
}

/** Who opens 销售 → 零售单, the counter's sales and returns in the back office: whoever may read them or ring them up. */
export const COUNTER_SALES = ['sales.pos.read', 'sales.pos.use']

/** Permissions of the back office: a user with none of them is a cashier and starts at the counter. */
const DESK = ['purchase.order.read', 'purchase.receipt.read', 'sales.order.read', 'stock.document.read', 'finance.payment.read', 'settings.company.read', 'settings.user.read']
export function landsOnCounter(can: (p: string) => boolean, isAdmin: boolean): boolean {
  return !isAdmin && can('sales.pos.use') && !DESK.some(can)
}

/** Today, the server's business day (lib/clock), YYYY-MM-DD: the counter sells on it whatever the till's clock zone. */
export function todayISO(): string {
  const d = serverNow()
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}
