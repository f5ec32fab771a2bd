// What the stock screens share: the names of document types, states,
// reasons and ledger counterparts, and the reference data they show by name
// (warehouses, their bins, units), loaded once per screen.
import { computed, ref, shallowReactive } from 'vue'
import { useI18n } from 'vue-i18n'
import { api, fetchAll, type S } from '../../api/client'
import { useSession } from '../../stores/session'

export type DocType = NonNullable<S['Document']['type']>
export type DocState = NonNullable<S['Document']['state']>

/** The types these screens create and edit; the others are shown read-only. */
export const EDIT_TYPES = ['stock_opening', 'stock_in', 'stock_out', 'stock_transfer'] as const
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

/** Today as a business date in the browser's time zone. */
export function today(): string {
  const d = new Date()
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
  const { locale } = useI18n()
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

  const nameOf = (x?: { name?: string; name_en?: string }) => (x ? (locale.value === 'en' && x.name_en) || x.name || '' : '')
  const warehouseName = (id?: number | null) => (id ? nameOf(warehouseMap.value.get(id)) || `#${id}` : '')
  const unitName = (id?: number | null) => (id ? nameOf(units.value.get(id)) : '')
  const binLabel = (warehouseId: number | null | undefined, id?: number | null) => {
    if (!id) return ''
    const l = (bins.get(warehouseId || 0) || []).find((b) => b.id === id)
    return l ? `${l.code} ${l.name}` : `#${id}`
  }

  return { warehouses, activeWarehouses, warehouseMap, units, bins, loadWarehouses, loadUnits, loadBins, warehouseName, unitName, binLabel }
}
