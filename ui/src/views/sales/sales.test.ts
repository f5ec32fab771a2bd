// The sales side of the trade screens: what is open on a quote line, and
// the messages they build from the kind at run time (the i18n test cannot
// see them); a message the sales side leaves out falls back to purchasing.
import { describe, expect, it } from 'vitest'
import sales from '../../i18n/messages/sales'
import purchase from '../../i18n/messages/purchase'
import { SALES_KIND, SALES_KINDS, quoteOpen, orderUnbilled } from '../purchase/usePurchase'
import { fromScaled } from '../../lib/decimal'

const q = (v: bigint) => fromScaled(v, 4)

describe('sales open quantities', () => {
  it('a quote line: quoted − ordered, nothing once closed', () => {
    expect(q(quoteOpen({ base_qty: '10.0000', ordered_qty: '4.0000' }))).toBe('6')
    expect(q(quoteOpen({ base_qty: '10.0000', ordered_qty: '4.0000' }, true))).toBe('0')
  })
  it('an order line: shipped, not yet invoiced', () => {
    expect(q(orderUnbilled({ received_qty: '6.0000', billed_qty: '2.0000' }))).toBe('4')
  })
})

describe('sales messages by kind', () => {
  it('exist in both languages for every kind that uses them', () => {
    const withSource = SALES_KINDS.filter((k) => SALES_KIND[k].source)
    const want: [string, string[]][] = [
      ['kind', SALES_KINDS], ['nav', SALES_KINDS], ['ref', SALES_KINDS], ['post', SALES_KINDS], ['savePost', SALES_KINDS], ['posted', SALES_KINDS],
      ['confirmPost', SALES_KINDS], ['list.new', SALES_KINDS], ['doc.newTitle', SALES_KINDS], ['doc.emptyHint', SALES_KINDS], ['doc.keys', SALES_KINDS],
      ['doc.related', ['quotes', 'orders', 'shipments']], ['doc.open', withSource], ['doc.sourceOf', withSource], ['doc.noLines', withSource],
      ['source.title', withSource], ['source.button', withSource], ['source.hint', withSource], ['source.none', withSource], ['source.nothingLeft', withSource],
    ]
    const missing: string[] = []
    for (const lang of ['zh-CN', 'en'] as const) {
      for (const [path, kinds] of want) {
        for (const k of kinds) {
          const v = `${path}.${k}`.split('.').reduce((t: any, p) => t?.[p], (sales as any)[lang].sales)
          if (typeof v !== 'string' || !v.trim()) missing.push(`${lang} sales.${path}.${k}`)
        }
      }
    }
    expect(missing).toEqual([])
  })

  it('override only keys purchasing has, or the sales-only groups', () => {
    const own = ['nav', 'kind', 'postedState', 'rule', 'credit', 'exposure', 'pick', 'deposit', 'buyFor', 'backorder', 'list', 'col', 'doc', 'ref', 'post', 'savePost', 'confirmPost', 'posted', 'source', 'receive']
    const stray = Object.keys((sales as any)['zh-CN'].sales).filter((k) => !own.includes(k) && !(k in (purchase as any)['zh-CN'].purchase))
    expect(stray).toEqual([])
  })
})
