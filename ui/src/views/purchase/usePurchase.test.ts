// What is open on a source line, and the messages the purchasing screens
// build from the kind (the i18n test cannot see keys made at run time).
import { describe, expect, it } from 'vitest'
import messages from '../../i18n/messages/purchase'
import { KIND, KINDS, inUnit, orderOpen, receiptAccepted, receiptBillable, receiptReturnable } from './usePurchase'
import { fromScaled } from '../../lib/decimal'

const q = (v: bigint) => fromScaled(v, 4)

describe('open quantities', () => {
  it('an order line owes ordered − received, nothing once closed', () => {
    expect(q(orderOpen({ base_qty: '24.0000', received_qty: '12.0000' }))).toBe('12')
    expect(q(orderOpen({ base_qty: '10.0000', received_qty: '11.0000' }))).toBe('0') // over-received within tolerance
    expect(q(orderOpen({ base_qty: '10.0000', received_qty: '2.0000', closed: true }))).toBe('0')
    expect(q(orderOpen({ base_qty: '10.0000', received_qty: '2.0000' }, true))).toBe('0')
  })

  it('a receipt line: rejects in the unit entered, returns and bills in base units', () => {
    // 3 cartons of 12 delivered, 1 carton rejected: 24 bottles accepted; 5 returned, 12 billed.
    const l = { base_qty: '36.0000', factor: '12.0000', rejected_qty: '1.0000', returned_qty: '5.0000', billed_qty: '12.0000' }
    expect(q(receiptAccepted(l))).toBe('24')
    expect(q(receiptReturnable(l))).toBe('19')
    expect(q(receiptBillable(l))).toBe('7')
    expect(q(receiptBillable({ ...l, billed_qty: '30.0000' }))).toBe('0')
  })

  it('base units in a line\'s unit never round up', () => {
    expect(inUnit(120000n, '12.0000')).toBe('1')
    expect(inUnit(50000n, '12.0000')).toBe('0.4166')
    expect(inUnit(70000n, undefined)).toBe('7')
  })
})

describe('messages by kind', () => {
  it('exist in both languages for every kind that uses them', () => {
    const withSource = KINDS.filter((k) => KIND[k].source)
    const want: [string, string[]][] = [
      ['kind', KINDS], ['nav', KINDS], ['ref', KINDS], ['post', KINDS], ['savePost', KINDS], ['posted', KINDS], ['confirmPost', KINDS],
      ['list.new', KINDS], ['doc.newTitle', KINDS], ['doc.emptyHint', KINDS], ['doc.keys', KINDS], ['doc.related', ['orders', 'receipts']],
      ['doc.open', withSource], ['doc.sourceOf', withSource], ['doc.noLines', withSource], ['source.title', withSource],
      ['source.button', withSource], ['source.hint', withSource], ['source.none', withSource], ['source.nothingLeft', withSource],
    ]
    const missing: string[] = []
    for (const lang of ['zh-CN', 'en'] as const) {
      for (const [path, kinds] of want) {
        for (const k of kinds) {
          const v = `${path}.${k}`.split('.').reduce((t: any, p) => t?.[p], (messages as any)[lang].purchase)
          if (typeof v !== 'string' || !v.trim()) missing.push(`${lang} purchase.${path}.${k}`)
        }
      }
    }
    expect(missing).toEqual([])
  })
})
