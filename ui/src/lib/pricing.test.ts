import { describe, expect, it } from 'vitest'
import { createI18n } from 'vue-i18n'
import messages from '../i18n/messages/promotions'
import { explain, noteText } from './pricing'

const i18n = createI18n({ legacy: false, locale: 'en', messages: messages as any })
const t = (k: string, p?: Record<string, unknown>) => i18n.global.t(k, p || {})

describe('noteText', () => {
  it('says each rule and promotion in the user language', () => {
    const notes = [
      { key: 'pricing.customer', params: { list: 'PL-A', min: '10', price: '2.90' }, text: 'customer PL-A ≥10: 2.90' },
      { key: 'pricing.qty_break', params: { list: 'PL-STD', price: '79.20', base: '3.30', factor: '24' } },
      { key: 'pricing.default_wholesale', params: { price: '3.00' } },
      { key: 'pricing.fixed', params: { promo: 'CUT', amount: '0.20', factor: '24', price: '76.80', exclusive: 'true' } },
      { key: 'pricing.threshold', params: { promo: 'MJ50', threshold: '50.00', amount: '4.00', times: '2', discount: '8.00' } },
      { key: 'pricing.buy_get', params: { promo: 'B2G1', buy: '2', get: '1', times: '2', qty: '2' } },
      { key: 'pricing.unknown', text: 'as the server says' },
    ]
    expect(notes.map((n) => noteText(n, t, ': '))).toEqual([
      'Customer price list PL-A (from 10): 2.90',
      'Price list PL-STD: 3.30 × 24 = 79.20',
      'Wholesale price: 3.00',
      'CUT 0.20 off × 24 (exclusive): 76.80',
      'Spend & save MJ50: spend 50.00, save 4.00 × 2: -8.00',
      'Buy & get B2G1: buy 2 get 1 × 2, 2 free',
      'as the server says',
    ])
    i18n.global.locale.value = 'zh-CN'
    expect(explain([notes[0], { key: 'pricing.percent', params: { promo: 'P10', rate: '10', price: '2.61' } }], t, '：')).toBe(
      '客户专属价 PL-A（满 10）：2.90; P10 折扣 -10%：2.61',
    )
    i18n.global.locale.value = 'en'
  })
})
