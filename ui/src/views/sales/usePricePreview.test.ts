// The sales editor's price preview: which lines it asks about (as the server
// picks them on saving), that the answer lands on the right rows, that an
// answer overtaken by a newer request is dropped, and that the threshold
// discount counts only when the server will add it.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { effectScope, nextTick, reactive } from 'vue'

const calls: any[] = []
let answers: ((body: any) => any)[] = []
vi.mock('../../api/client', () => ({
  api: vi.fn((_m: string, _p: string, body: any) => {
    calls.push(body)
    const a = answers.shift()
    return Promise.resolve(a ? a(body) : { lines: [] })
  }),
}))
import { previewRequest, usePricePreview, type PreviewLine } from './usePricePreview'

const line = (k: number, item: number | null, qty: string, price = '', sourced = false): PreviewLine => ({ k, item_id: item, unit_id: 1, qty, price, sourced })

describe('previewRequest', () => {
  it('asks about free, unpriced lines with a quantity; whole only when every free line is among them', () => {
    const r = previewRequest([line(1, 10, '2'), line(2, null, '1'), line(3, 11, '0'), line(4, 12, '1', '', true)])
    expect(r.lines.map((l) => l.k)).toEqual([1])
    expect(r.whole).toBe(false) // line 3 is free but has no quantity yet
    expect(previewRequest([line(1, 10, '2'), line(4, 12, '1', '', true)]).whole).toBe(true)
    expect(previewRequest([line(1, 10, '2'), line(2, 11, '1', '9.90')]).whole).toBe(false) // a typed price keeps the threshold off
    expect(previewRequest([line(1, 10, '')]).lines).toEqual([])
  })
})

describe('usePricePreview', () => {
  beforeEach(() => {
    vi.useFakeTimers()
    calls.length = 0
    answers = []
  })
  afterEach(() => vi.useRealTimers())

  function setup(lines: PreviewLine[]) {
    const state = reactive({ lines, partner: 7 as number | null })
    const scope = effectScope()
    const pv = scope.run(() => usePricePreview({ enabled: () => true, partnerId: () => state.partner, date: () => '2026-12-06', lines: () => state.lines }))!
    return { state, pv, scope }
  }
  const settle = async () => {
    await vi.advanceTimersByTimeAsync(300)
    await nextTick()
  }

  it('prices the rows it asked about, adds gifts and the threshold, and waits for typing to stop', async () => {
    answers.push(() => ({
      lines: [{ item_id: 10, unit_id: 1, price: '11.2500', rule: 'customer', list: 'VIP' }, { item_id: 10, unit_id: 1, qty: '2.0000', gift: true }],
      bill_discount: '5.00', bill_promotion: 'MJ',
    }))
    const { pv, scope } = setup([line(1, 10, '10')])
    expect(pv.pending()).toBe(true)
    expect(calls).toHaveLength(0) // not before the pause
    await settle()
    expect(calls).toEqual([{ partner_id: 7, date: '2026-12-06', lines: [{ item_id: 10, unit_id: 1, qty: '10' }] }])
    expect(pv.line(1)?.price).toBe('11.2500')
    expect(pv.gifts()).toHaveLength(1)
    expect(pv.billDiscount()).toBe('5.00')
    expect(pv.billPromotion()).toBe('MJ')
    expect(pv.pending()).toBe(false)
    scope.stop()
  })

  it('drops an answer a newer request overtook, and forgets a row whose item changed', async () => {
    let release: (v: any) => void = () => {}
    answers.push(() => new Promise((r) => (release = r)))
    answers.push(() => ({ lines: [{ item_id: 10, unit_id: 1, price: '9.0000' }] }))
    const { state, pv, scope } = setup([line(1, 10, '1')])
    await settle() // the first request is out, unanswered
    state.lines[0].qty = '5'
    await settle() // the second is answered
    release({ lines: [{ item_id: 10, unit_id: 1, price: '12.5000' }] }) // the first answers late
    await settle()
    expect(calls).toHaveLength(2)
    expect(pv.line(1)?.price).toBe('9.0000')
    state.lines[0].item_id = 11 // another item on the row: the old price is not its
    await nextTick()
    expect(pv.line(1)).toBeUndefined()
    scope.stop()
  })

  it('a typed price takes the row out, and the threshold with it', async () => {
    answers.push(() => ({ lines: [{ item_id: 10, unit_id: 1, price: '11.0000' }, { item_id: 11, unit_id: 1, price: '3.0000' }], bill_discount: '5.00' }))
    const { state, pv, scope } = setup([line(1, 10, '10'), line(2, 11, '1')])
    await settle()
    expect(pv.billDiscount()).toBe('5.00')
    state.lines[1].price = '2.50'
    await nextTick()
    expect(pv.line(2)).toBeUndefined()
    expect(pv.billDiscount()).toBe('') // the server adds it only when it prices the whole bill
    expect(pv.line(1)?.price).toBe('11.0000') // shown until the new answer comes
    scope.stop()
  })
})
