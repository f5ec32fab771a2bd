import { describe, expect, it } from 'vitest'
import { carriedShare, documentAmounts, lineAmounts, money, wholeBillShare } from './tax'
import { QTY, toScaled } from './decimal'

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

  it('takes a threshold share off its own line before spreading the bill discount (R4a)', () => {
    // As the server's TestThresholdSharesStayOnTheirLines: 满100减10 counts B only.
    const d = documentAmounts(
      [
        { qty: '5', price: '9', taxIncluded: true, taxRate: '13' },
        { qty: '6', price: '20', taxIncluded: true, taxRate: '13', promo: 1000n },
      ],
      '5',
    )
    expect(d.lines.map((l) => money(l.gross))).toEqual(['43.55', '106.45'])
    expect(d.lines.map((l) => money(l.discount))).toEqual(['1.45', '13.55'])
    expect(money(d.total.gross)).toBe('150.00')
  })

  it('does not spread a discount above the gross', () => {
    const d = documentAmounts([{ qty: '1', price: '5', taxIncluded: true, taxRate: '13' }], '6')
    expect(d.over).toBe(true)
    expect(money(d.total.gross)).toBe('5.00')
  })
})

// R5, worked as the server's TestCarriedShare: the order X 24 × 1.27 and
// Y 10 × 2.86 less 5 % (13 %, tax-inclusive), 3.50 off: X keeps 28.63 of
// 30.48 (a share of 1.85), Y 25.52 of 27.17 (1.65). Half of X and all of Y
// shipped, then the other half of X: 0.93 and 0.92 of X's share.
describe('carriedShare', () => {
  const x = { qty: '24', base_qty: '24', factor: '1', price: '1.27', tax_rate: '13', gross: '28.63' }
  const y = { qty: '10', base_qty: '10', factor: '1', price: '2.86', tax_rate: '13', discount_rate: '5', gross: '25.52' }
  const q = (s: string) => toScaled(s, QTY)!
  it('is what the whole-bill discount took off the line', () => {
    expect(wholeBillShare(x, true)).toBe(185n)
    expect(wholeBillShare(y, true)).toBe(165n)
  })
  it('is taken in proportion, rounded cumulatively, so the halves add up to the share', () => {
    expect(carriedShare(x, true, q('12'), 0n)).toBe(93n)
    expect(carriedShare(x, true, q('12'), q('12'))).toBe(92n)
    expect(carriedShare(y, true, q('10'), 0n)).toBe(165n)
  })
  it('comes off the follower gross before its own discount, as the server prices it', () => {
    const a = documentAmounts(
      [
        { qty: '12', price: '1.27', taxIncluded: true, taxRate: '13', carried: 93n },
        { qty: '10', price: '2.86', taxIncluded: true, taxRate: '13', discountRate: '5', carried: 165n },
      ],
      '',
    )
    expect([money(a.lines[0].gross), money(a.lines[0].tax), money(a.lines[1].gross), money(a.total.gross)]).toEqual(['14.31', '1.65', '25.52', '39.83'])
  })
  it('is nothing for a line the whole-bill discount did not touch', () => {
    expect(carriedShare({ ...x, gross: '30.48' }, true, q('12'), 0n)).toBe(0n)
  })
})

describe('whole-bill discount check', () => {
  it('does not blame an empty discount for a negative line', () => {
    const a = documentAmounts([{ qty: '-5', price: '2', taxIncluded: true, taxRate: '13' }], '')
    expect(a.over).toBe(false)
  })
  it('still says a discount above the bill is over', () => {
    expect(documentAmounts([{ qty: '1', price: '2', taxIncluded: true, taxRate: '13' }], '3').over).toBe(true)
  })
})
