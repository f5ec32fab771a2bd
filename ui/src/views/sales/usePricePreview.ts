// The price a sales line will get, asked of the server while the order is
// typed. A sales price left empty is the server's to fill on saving (the
// customer's price list, its tier's, quantity breaks, promotions, gift
// lines and the threshold discount: domain/pricing.go). Without this the
// screen could only guess the item's default price, so the total a clerk
// read out to the customer changed on confirming (54.15 on screen, 51.10
// saved). Here the same request the server will make on saving — the
// unpriced lines, the customer, the day — goes to POST /sales/price a
// moment after the clerk stops typing, and its answer shows as the greyed
// price, the rule, the gifts and the threshold discount, all marked as a
// preview until the document is saved.
import { computed, onScopeDispose, ref, watch } from 'vue'
import { api, type S } from '../../api/client'
import { QTY, sign, toScaled } from '../../lib/decimal'

type PricedLine = S['PricedLine']
type PriceResult = S['PriceResult']

/** A line as the preview sees it: its row key and what prices it. */
export interface PreviewLine {
  k: number
  item_id: number | null
  unit_id: number
  qty: string
  /** The price typed (or kept from a saved draft): the server will not price the line. */
  price: string
  /** The line follows a source line: its price is the source's. */
  sourced: boolean
}

export interface PricePreview {
  /** The server's price for the line with row key k, while it has no price of its own. */
  line: (k: number) => PricedLine | undefined
  /** Gift lines (买赠) saving will add. */
  gifts: () => PricedLine[]
  /** The threshold discount (满减) saving will share over the lines it counts (each previewed line's bill_discount); '' when none or not all lines are priced by the server. */
  billDiscount: () => string
  /** The threshold promotion's code, for the note. */
  billPromotion: () => string
  /** A request is on its way: the figures may be about to change. */
  pending: () => boolean
}

/**
 * Which lines the server prices on saving, as service.autoPrice picks
 * them: free lines with an item, a positive quantity and no price. The
 * threshold discount is added only when every free line is among them
 * (a draft saved once keeps its prices and its discount).
 */
export function previewRequest(lines: PreviewLine[]): { lines: PreviewLine[]; whole: boolean } {
  const free = lines.filter((l) => !l.sourced && l.item_id)
  const out = free.filter((l) => !l.price && (toScaled(l.qty, QTY) ?? 0n) > 0n)
  return { lines: out, whole: out.length > 0 && out.length === free.length }
}

export function usePricePreview(opts: {
  enabled: () => boolean
  partnerId: () => number | null
  date: () => string
  lines: () => PreviewLine[]
  delay?: number
}): PricePreview {
  const answer = ref<{ keys: number[]; whole: boolean; result: PriceResult } | null>(null)
  const inFlight = ref(false)
  let seq = 0
  let timer: ReturnType<typeof setTimeout> | undefined

  const request = computed(() => {
    if (!opts.enabled()) return null
    const { lines, whole } = previewRequest(opts.lines())
    if (!lines.length) return null
    return {
      keys: lines.map((l) => l.k),
      whole,
      body: {
        partner_id: opts.partnerId() || null,
        date: opts.date() || null,
        lines: lines.map((l) => ({ item_id: l.item_id!, unit_id: l.unit_id || 0, qty: l.qty.trim() })),
      },
    }
  })
  // Compared as text: a keystroke elsewhere (a note, the discount) must not ask again.
  const requestText = computed(() => (request.value ? JSON.stringify([request.value.keys, request.value.whole, request.value.body]) : ''))

  async function ask(n: number) {
    const r = request.value
    if (!r) return
    inFlight.value = true
    try {
      const result = await api<PriceResult>('POST', '/sales/price', r.body)
      if (n === seq) answer.value = { keys: r.keys, whole: r.whole, result }
    } catch {
      // The preview is a courtesy: saving prices the lines again and says what is wrong.
      if (n === seq) answer.value = null
    } finally {
      if (n === seq) inFlight.value = false
    }
  }
  watch(requestText, (text) => {
    clearTimeout(timer)
    const n = ++seq
    if (!text) {
      answer.value = null
      inFlight.value = false
      return
    }
    inFlight.value = true
    timer = setTimeout(() => ask(n), opts.delay ?? 250)
  }, { immediate: true })
  onScopeDispose(() => clearTimeout(timer))

  /**
   * While a new answer is on its way the last one stands for the lines it
   * priced (same row, item and unit), so the figures do not flicker back
   * to the default price at every keystroke; pending() says they may move.
   */
  return {
    line(k) {
      const a = answer.value
      if (!a) return undefined
      const i = a.keys.indexOf(k)
      const l = i < 0 ? undefined : (a.result.lines || []).filter((x) => !x.gift)[i]
      const now = opts.lines().find((x) => x.k === k)
      return l && now && !now.price && l.item_id === now.item_id && (!now.unit_id || l.unit_id === now.unit_id) ? l : undefined
    },
    gifts: () => (answer.value?.result.lines || []).filter((l) => l.gift),
    billDiscount: () => {
      const a = answer.value
      return a && a.whole && request.value?.whole && sign(a.result.bill_discount) > 0 ? a.result.bill_discount || '' : ''
    },
    billPromotion: () => answer.value?.result.bill_promotion || '',
    pending: () => inFlight.value,
  }
}
