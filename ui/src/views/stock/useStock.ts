// What the stock screens share: the names of document types, states,
// reasons and ledger counterparts, and the reference data they show by name
// (warehouses, their bins, units), loaded once per screen.
import { computed, reactive, ref, shallowReactive, type Ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { api, fetchAll, type S } from '../../api/client'
import { useSession } from '../../stores/session'
import { useLocalName } from '../../lib/names'
import { serverNow } from '../../lib/clock'

export type DocType = NonNullable<S['Document']['type']>
export type DocState = NonNullable<S['Document']['state']>

/** The types the document editor creates and edits; stocktakes have their own count screen. */
export const EDIT_TYPES = ['stock_opening', 'stock_in', 'stock_out', 'stock_transfer', 'assembly', 'disassembly'] as const
export type EditType = (typeof EDIT_TYPES)[number]
export const ALL_TYPES: DocType[] = ['stock_opening', 'stock_in', 'stock_out', 'stock_transfer', 'stocktake', 'assembly', 'disassembly']
export const STATES: DocState[] = ['draft', 'submitted', 'approved', 'posted', 'cancelled']
export const REASONS: Record<string, string[]> = {
  stock_in: ['gain', 'gift', 'found', 'return', 'production', 'other'],
  stock_out: ['damage', 'expired', 'sample', 'internal_use', 'gift', 'loss', 'other'],
}

export const isEditType = (t?: string): t is EditType => (EDIT_TYPES as readonly string[]).includes(t || '')
/** Receipts bring goods in at a cost the user gives. */
export const receives = (t?: string) => t === 'stock_opening' || t === 'stock_in'
/** Assemblies and disassemblies: one product line, component lines from its bill of materials. */
export const isAssembly = (t?: string) => t === 'assembly' || t === 'disassembly'
/** Where a document opens: stocktakes on their count screen, the others in the editor. */
export const docPath = (d: { id?: number; type?: string }) => (d.type === 'stocktake' ? `/stock/stocktakes/${d.id}` : `/stock/documents/${d.id}`)
/**
 * A print of a document as PDF, opened in a new tab (the server forbids
 * frames). base is where the document lives in the API: the warehouse
 * documents by default, "/purchase/receipts" and the like for purchasing.
 */
export function printDoc(id: number, lang: string, paper: Paper = 'a4', base = '/stock/documents') {
  const q = new URLSearchParams({ lang })
  if (paper !== 'a4') q.set('paper', paper)
  const url = `/api/v1${base}/${id}/pdf?${q}`
  if (window.open(url, '_blank')) return
  // A blocked pop-up: a link the browser follows into a new tab instead.
  const a = document.createElement('a')
  a.href = url
  a.target = '_blank'
  a.rel = 'noopener'
  document.body.appendChild(a)
  a.click()
  a.remove()
}

/** Paper sizes a document prints on: A4, half a sheet (A5 landscape), 241 mm continuous (针式三联). */
export type Paper = 'a4' | 'a5' | '241'

/** Today as a business date in the browser's time zone. */
/** A local day as the API writes it: 2026-12-06. */
export function dayOf(d: Date): string {
  const z = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${z(d.getMonth() + 1)}-${z(d.getDate())}`
}
/** Today on the server's calendar (lib/clock). */
export const today = (): string => dayOf(serverNow())
/** The last n days on the server's calendar, today included, as [from, to]. */
export function lastDays(n: number): [string, string] {
  const d = serverNow()
  d.setDate(d.getDate() - (n - 1))
  return [dayOf(d), today()]
}
/** A day as the API writes it, from an address's query (anything else is not one). */
export const isDay = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)

/** The last day of the month before the given day ("2026-11-22" → "2026-10-31"). */
export function lastMonthEnd(day = today()): string {
  const [y, m] = day.split('-').map(Number)
  const d = new Date(y, m - 1, 0)
  const z = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${z(d.getMonth() + 1)}-${z(d.getDate())}`
}

/** A timestamp as "2026-11-22 15:04" in local time. */
export function when(s?: string | null): string {
  if (!s) return ''
  const d = new Date(s)
  const z = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${z(d.getMonth() + 1)}-${z(d.getDate())} ${z(d.getHours())}:${z(d.getMinutes())}`
}

export function useStockLabels() {
  const { t, te } = useI18n()
  const typeLabel = (x?: string) => (x && te(`stock.type.${x}`) ? t(`stock.type.${x}`) : x || '')
  const stateLabel = (x?: string) => (x && te(`stock.state.${x}`) ? t(`stock.state.${x}`) : x || '')
  const reasonLabel = (type?: string, r?: string) => {
    if (!r) return ''
    const key = `stock.reason.${type === 'stock_out' ? 'out' : 'in'}.${r}`
    return te(key) ? t(key) : r
  }
  const counterLabel = (x?: string) => (x && te(`stock.counter.${x}`) ? t(`stock.counter.${x}`) : x || '')
  const stateTag = (x?: string): 'info' | 'warning' | 'primary' | 'success' | 'danger' =>
    x === 'posted' ? 'success' : x === 'submitted' ? 'warning' : x === 'approved' ? 'primary' : x === 'cancelled' ? 'danger' : 'info'
  return { typeLabel, stateLabel, reasonLabel, counterLabel, stateTag }
}

/** Warehouses, their bins and units, read once per screen (archived ones too, for old documents). */
export function useStockRefs() {
  const { nameOf } = useLocalName()
  const session = useSession()
  const warehouses = ref<S['Warehouse'][]>([])
  const units = ref(new Map<number, S['Unit']>())
  const bins = shallowReactive(new Map<number, S['Location'][]>())
  const asked = new Map<number, Promise<void>>()

  const warehouseMap = computed(() => new Map(warehouses.value.map((w) => [w.id!, w])))
  const activeWarehouses = computed(() => warehouses.value.filter((w) => !w.archived))

  async function loadWarehouses() {
    if (!session.can('data.warehouse.read')) return
    try {
      warehouses.value = await fetchAll<S['Warehouse']>('/warehouses', { archived: 'all', sort: 'code' })
    } catch {
      /* names fall back to #id */
    }
  }
  async function loadUnits() {
    if (!session.can('data.unit.read')) return
    try {
      const all = await fetchAll<S['Unit']>('/units', { archived: 'all' })
      units.value = new Map(all.map((u) => [u.id!, u]))
    } catch {
      /* names fall back to '' */
    }
  }
  /** The bins of a warehouse (its root, "the warehouse itself", is not one). */
  function loadBins(warehouseId?: number | null): Promise<void> {
    if (!warehouseId || !session.can('data.warehouse.read')) return Promise.resolve()
    let p = asked.get(warehouseId)
    if (!p) {
      p = api<S['Location'][] | null>('GET', `/warehouses/${warehouseId}/locations`, undefined, { query: { archived: 'all' } })
        .then((ls) => {
          const list = (ls || []).filter((l) => l.kind === 'bin')
          list.sort((a, b) => (a.code || '').localeCompare(b.code || ''))
          bins.set(warehouseId, list)
        })
        .catch(() => {
          bins.set(warehouseId, [])
        })
      asked.set(warehouseId, p)
    }
    return p
  }

  const warehouseName = (id?: number | null) => (id ? nameOf(warehouseMap.value.get(id)) || `#${id}` : '')
  const unitName = (id?: number | null) => (id ? nameOf(units.value.get(id)) : '')
  const binLabel = (warehouseId: number | null | undefined, id?: number | null) => {
    if (!id) return ''
    const l = (bins.get(warehouseId || 0) || []).find((b) => b.id === id)
    return l ? `${l.code} ${nameOf(l)}` : `#${id}`
  }


  return { warehouses, activeWarehouses, warehouseMap, units, bins, loadWarehouses, loadUnits, loadBins, warehouseName, unitName, binLabel }
}

/** How many stock alerts there are, by kind: the menu and the bell show it. */
export const alertCount = reactive({ total: 0, byKind: {} as Record<string, number>, loaded: false })
export function countAlerts(list: S['StockAlert'][]) {
  const by: Record<string, number> = {}
  for (const a of list) by[a.kind || ''] = (by[a.kind || ''] || 0) + 1
  Object.assign(alertCount, { total: list.length, byKind: by, loaded: true })
}
let alertsAsked = 0
/** Refresh the count, at most once a minute unless forced. */
export async function refreshAlertCount(force = false) {
  if (!force && Date.now() - alertsAsked < 60_000) return
  alertsAsked = Date.now()
  try {
    countAlerts((await api<S['StockAlert'][] | null>('GET', '/stock/alerts')) || [])
  } catch {
    /* no badge then */
  }
}

/**
 * A warehouse select's search: its code, name, English name or 助记码 find
 * it (Element Plus on its own matches the label, the name, alone). Bind
 * `shown` as the options, `search` as filter-method and `reset` to
 * visible-change.
 */
export function useWarehouseSearch(options: Readonly<Ref<S['Warehouse'][]>>) {
  const q = ref('')
  const shown = computed(() => {
    const s = q.value.trim().toLowerCase()
    if (!s) return options.value
    return options.value.filter((w) => [w.code, w.name, w.name_en, w.mnemonic].some((x) => (x || '').toLowerCase().includes(s)))
  })
  const search = (s: string) => {
    q.value = s
  }
  const reset = (open: boolean) => {
    if (!open) q.value = ''
  }
  return { shown, search, reset }
}
