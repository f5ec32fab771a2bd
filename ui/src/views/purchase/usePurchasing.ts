// What the purchasing-planning screens share (请购单, 询价单, 到岸成本): the
// three document kinds with their API paths and permissions, their state
// names, the units an item may be entered in, what is still open on a
// requisition line, and the periods a budget or a scorecard is read over.
import { useI18n } from 'vue-i18n'
import { type S } from '../../api/client'
import { QTY, fromScaled, toScaled, trimDec } from '../../lib/decimal'

export type Doc = S['Document']
export type DocLine = S['DocLine']
export type PKind = 'requisitions' | 'rfqs' | 'landed-costs'
export const PKINDS: PKind[] = ['requisitions', 'rfqs', 'landed-costs']

interface KindInfo {
  type: NonNullable<Doc['type']>
  read: string
  write: string
  approve: string
  /** Empty: never posted (a requisition is approved, then ordered from). */
  post: string
  /** Always approved before it counts, whatever the company's settings. */
  alwaysApproved?: boolean
}

// The permissions are the server's (httpapi/purchase.go purchaseKinds).
export const PKIND: Record<PKind, KindInfo> = {
  requisitions: {
    type: 'purchase_requisition', read: 'purchase.requisition.read', write: 'purchase.requisition.write', approve: 'purchase.requisition.approve', post: '',
    alwaysApproved: true,
  },
  rfqs: { type: 'purchase_rfq', read: 'purchase.order.read', write: 'purchase.order.write', approve: 'purchase.order.approve', post: 'purchase.order.write' },
  'landed-costs': { type: 'landed_cost', read: 'purchase.bill.read', write: 'purchase.bill.write', approve: 'purchase.bill.approve', post: 'purchase.bill.write' },
}
export const isPKind = (k: unknown): k is PKind => PKINDS.includes(k as PKind)
export const pdocPath = (k: PKind, id?: number | string) => `/purchase/${k}/${id}`

/** State names as a buyer says them: an approved requisition is open for ordering, a posted RFQ was sent. */
export function usePurchasingLabels() {
  const { t, te } = useI18n()
  const stateLabel = (k: PKind | 'orders', x?: string, closed = false) => {
    if (closed) return t('purchasing.state.closed')
    const own = `purchasing.state.${k}.${x}`
    if (x && te(own)) return t(own)
    return x && te(`stock.state.${x}`) ? t(`stock.state.${x}`) : x || ''
  }
  const stateTag = (x?: string, closed = false): 'info' | 'warning' | 'primary' | 'success' | 'danger' =>
    closed ? 'info' : x === 'posted' ? 'success' : x === 'submitted' ? 'warning' : x === 'approved' ? 'primary' : x === 'cancelled' ? 'danger' : 'info'
  return { stateLabel, stateTag }
}

// ---------------------------------------------------------------- the warehouse a buyer works for

const lastWarehouseKey = 'jxc.purchase.warehouse'
/** The warehouse last used on these screens while it is active, else the only active one. */
export function defaultWarehouse(active: S['Warehouse'][]): number | null {
  const saved = Number(localStorage.getItem(lastWarehouseKey))
  if (saved && active.some((w) => w.id === saved)) return saved
  return active.length === 1 ? active[0].id! : null
}
export function rememberWarehouse(id?: number | null) {
  if (id) localStorage.setItem(lastWarehouseKey, String(id))
}

// ---------------------------------------------------------------- units

export interface UnitOpt {
  value: number
  label: string
  factor: string
}

/** The units an item may be entered in: its base unit, then its other units with their factor. */
export function unitOptions(it: S['Item'] | undefined, current: number, unitName: (id?: number | null) => string, t: (k: string, p?: Record<string, unknown>) => string): UnitOpt[] {
  const out: UnitOpt[] = []
  if (it) {
    const base = unitName(it.base_unit_id)
    out.push({ value: it.base_unit_id!, label: base || t('purchasing.baseUnit'), factor: '1' })
    for (const u of it.units || []) {
      if (!u.unit_id) continue
      const name = unitName(u.unit_id) || `#${u.unit_id}`
      out.push({ value: u.unit_id, label: t('purchasing.unitFactor', { name, n: trimDec(u.factor), base }), factor: u.factor || '1' })
    }
  }
  if (current && !out.some((o) => o.value === current)) out.push({ value: current, label: unitName(current) || `#${current}`, factor: '1' })
  return out
}

/** The item's purchase price for a unit, as a starting point ("" when none). */
export function purchasePrice(it: S['Item'] | undefined, unitId: number): string {
  if (!it) return ''
  const p = !unitId || unitId === it.base_unit_id ? it.purchase_price : (it.units || []).find((u) => u.unit_id === unitId)?.purchase_price
  return (toScaled(p, QTY) ?? 0n) > 0n ? trimDec(p, 2) : ''
}

// ---------------------------------------------------------------- open quantities

const ONE = 10n ** BigInt(QTY)
const q = (s?: string | null) => toScaled(s, QTY) ?? 0n

/** A requisition line: what is still to order, in base units (never below 0). */
export function reqOpenBase(l: DocLine): bigint {
  const v = q(l.base_qty) - q(l.ordered_qty)
  return v > 0n ? v : 0n
}

/** Base units in the line's unit (factor base units each), rounded down so it never asks for more than is open. */
export function inUnit(base: bigint, factor?: string): string {
  const f = toScaled(factor, QTY) ?? ONE
  if (f <= 0n) return fromScaled(base, QTY)
  return fromScaled((base * ONE) / f, QTY)
}

// ---------------------------------------------------------------- dates and periods

const z = (n: number) => String(n).padStart(2, '0')
const ymd = (d: Date) => `${d.getFullYear()}-${z(d.getMonth() + 1)}-${z(d.getDate())}`

/** Today as a business date in the browser's time zone. */
export const todayStr = () => ymd(new Date())
/** n days from the day (negative: before it). */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number)
  return ymd(new Date(y, m - 1, d + n))
}

export type Period = 'month' | 'quarter' | 'year' | 'nextMonth' | 'nextQuarter' | 'nextYear'
/** The first and last day of this (or the next) month, quarter or year. */
export function periodRange(p: Period, now = new Date()): [string, string] {
  const y = now.getFullYear()
  const m = now.getMonth()
  switch (p) {
    case 'month':
      return [ymd(new Date(y, m, 1)), ymd(new Date(y, m + 1, 0))]
    case 'nextMonth':
      return [ymd(new Date(y, m + 1, 1)), ymd(new Date(y, m + 2, 0))]
    case 'quarter': {
      const s = m - (m % 3)
      return [ymd(new Date(y, s, 1)), ymd(new Date(y, s + 3, 0))]
    }
    case 'nextQuarter': {
      const s = m - (m % 3) + 3
      return [ymd(new Date(y, s, 1)), ymd(new Date(y, s + 3, 0))]
    }
    case 'year':
      return [`${y}-01-01`, `${y}-12-31`]
    case 'nextYear':
      return [`${y + 1}-01-01`, `${y + 1}-12-31`]
  }
}

/** A timestamp as "2026-11-22 15:04" in local time. */
export function when(s?: string | null): string {
  if (!s) return ''
  const d = new Date(s)
  return `${ymd(d)} ${z(d.getHours())}:${z(d.getMinutes())}`
}

/** A rate as the API sends it ("87.50") for display: "87.5%", "" when null. */
export function pct(s?: string | null): string {
  const v = toScaled(s, 2)
  return v === null ? '' : fromScaled(v, 2, 0, true) + '%'
}

/** A purchasing document as a PDF in a new tab (the server forbids frames). */
export function printPDoc(k: PKind, id: number, lang: string) {
  const url = `/api/v1/purchase/${k}/${id}/pdf?${new URLSearchParams({ lang })}`
  if (window.open(url, '_blank')) return
  const a = document.createElement('a')
  a.href = url
  a.target = '_blank'
  a.rel = 'noopener'
  document.body.appendChild(a)
  a.click()
  a.remove()
}
