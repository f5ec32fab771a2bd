import { describe, expect, it } from 'vitest'
import { documentAmounts, lineAmounts, money } from './tax'

// Expected values are what the server computed for the same documents.
const view = (a: { net: bigint; discount: bigint; tax: bigint; gross: bigint }) => [money(a.net), money(a.discount), money(a.tax), money(a.gross)]

describe('trade line amounts', () => {
  it('splits a tax-inclusive line', () => {
    expect(view(lineAmounts({ qty: '10', price: '2.26', taxIncluded: true, taxRate: '13.00' }))).toEqual(['20.00', '0.00', '2.60', '22.60'])
    expect(view(lineAmounts({ qty: '2', price: '67.86', taxIncluded: true, taxRate: '13' }))).toEqual(['120.11', '0.00', '15.61', '135.72'])
  })

  it('counts nothing for a line still being typed', () => {
    expect(view(lineAmounts({ qty: '', price: '2', taxIncluded: true, taxRate: '13' }))).toEqual(['0.00', '0.00', '0.00', '0.00'])
    expect(view(lineAmounts({ qty: '1', price: 'x', taxIncluded: true, taxRate: '13' }))).toEqual(['0.00', '0.00', '0.00', '0.00'])
  })

  it('spreads a whole-bill discount like the server, tax included', () => {
    const d = documentAmounts(
      [
        { qty: '7', price: '2.33', taxIncluded: true, taxRate: '13', discountRate: '5' },
        { qty: '3.5', price: '5.77', taxIncluded: true, taxRate: '9' },
        { qty: '1', price: '0.99', taxIncluded: true, taxRate: '0' },
      ],
      '10.05',
    )
    expect(d.lines.map(view)).toEqual([
      ['9.96', '5.06', '1.29', '11.25'],
      ['13.46', '5.53', '1.21', '14.67'],
      ['0.71', '0.28', '0.00', '0.71'],
    ])
    expect([money(d.total.net), money(d.total.tax), money(d.total.gross)]).toEqual(['24.13', '2.50', '26.63'])
  })

  it('spreads a whole-bill discount like the server, net prices', () => {
    const d = documentAmounts(
      [
        { qty: '7', price: '2.33', taxIncluded: false, taxRate: '13', discountRate: '5' },
        { qty: '3.5', price: '5.77', taxIncluded: false, taxRate: '9' },
      ],
      '3',
    )
    expect(d.lines.map(view)).toEqual([
      ['14.31', '2.15', '1.86', '16.17'],
      ['18.67', '1.67', '1.68', '20.35'],
    ])
    expect([money(d.total.net), money(d.total.tax), money(d.total.gross)]).toEqual(['32.98', '3.54', '36.52'])
  })

  it('does not spread a discount above the gross', () => {
    const d = documentAmounts([{ qty: '1', price: '5', taxIncluded: true, taxRate: '13' }], '6')
    expect(d.over).toBe(true)
    expect(money(d.total.gross)).toBe('5.00')
  })
})
