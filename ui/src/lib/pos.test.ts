import { describe, expect, it } from 'vitest'
import { appendPage, listSum, moneyText, parseDiscount, parseEntry, parseMoney, quickCash, refundOf, returnable, roundOff, share, tender } from './pos'

const m = (s: string) => parseMoney(s)!

describe('parseEntry', () => {
  it.each([
    ['6901234567892', null, '6901234567892'],
    ['  6901234567892 ', null, '6901234567892'],
    ['3*6901234567892', '3', '6901234567892'],
    ['2.5 × COLA', '2.5', 'COLA'],
    ['12x6901', '12', '6901'],
    ['0*6901', null, '0*6901'],
    ['可乐', null, '可乐'],
    ['*6901', null, '*6901'],
  ])('%s', (text, qty, code) => {
    expect(parseEntry(text)).toEqual({ qty, code })
  })
})

describe('tender', () => {
  it('takes WeChat first and cash for the rest, with change', () => {
    // The server's example: 83.50, WeChat 50, cash 40 → 33.50 taken, 6.50 change.
    const r = tender(m('83.50'), [m('50')], m('40'))
    expect([r.nonCash, r.cashDue, r.tendered, r.change, r.short, r.ok]).toEqual([m('50'), m('33.50'), m('40'), m('6.50'), 0n, true])
  })
  it('an empty cash field is exact cash', () => {
    const r = tender(m('12.30'), [], null)
    expect([r.tendered, r.change, r.ok]).toEqual([m('12.30'), 0n, true])
  })
  it('says what cash is short', () => {
    const r = tender(m('100'), [m('20')], m('50'))
    expect([r.short, r.ok]).toEqual([m('30'), false])
  })
  it('refuses non-cash above the total', () => {
    const r = tender(m('10'), [m('8'), m('5')], null)
    expect([r.over, r.ok]).toEqual([m('3'), false])
  })
  it('paid in full without cash', () => {
    const r = tender(m('10'), [m('10')], m('50'))
    expect([r.cashDue, r.tendered, r.change, r.ok]).toEqual([0n, 0n, 0n, true])
  })
  it('needs a cash account for the rest', () => {
    expect(tender(m('10'), [m('4')], null, false)).toMatchObject({ short: m('6'), ok: false })
  })
  it('nothing to pay is not a sale', () => {
    expect(tender(0n, [], null).ok).toBe(false)
  })
})

describe('quickCash', () => {
  it.each([
    ['33.50', ['40.00', '50.00', '100.00']],
    ['83.50', ['90.00', '100.00']],
    ['50', ['60.00', '100.00']],
    ['0', []],
    ['120', ['150.00', '200.00']],
  ])('%s', (due, want) => {
    expect(quickCash(m(due)).map(moneyText)).toEqual(want)
  })
})

describe('parseDiscount', () => {
  it.each([
    ['', '100', '0.00'],
    ['5', '100', '5.00'],
    ['5%', '83.50', '4.18'],
    ['10％', '83.50', '8.35'],
    ['101', '100', null],
    ['-1', '100', null],
    ['abc', '100', null],
    ['120%', '100', null],
  ])('%s of %s', (text, sub, want) => {
    const v = parseDiscount(text, m(sub))
    expect(v === null ? null : moneyText(v)).toBe(want)
  })
})

describe('returns', () => {
  it('roundOff drops the jiao and fen', () => {
    expect(moneyText(roundOff(m('83.56')))).toBe('0.56')
    expect(roundOff(m('80'))).toBe(0n)
  })
  it('share rounds half away from zero', () => {
    expect(share(m('10.00'), 1n, 3n)).toBe(m('3.33'))
    expect(share(m('0.05'), 1n, 2n)).toBe(m('0.03'))
  })
  it('returnable counts in the line unit from base quantities', () => {
    expect(returnable({ base_qty: '48.0000', returned_qty: '24.0000', factor: '24.0000' })).toBe('1')
    expect(returnable({ base_qty: '3.0000', returned_qty: '0.0000', factor: '1.0000' })).toBe('3')
    expect(returnable({ base_qty: '3.0000', returned_qty: '3.0000', factor: '1.0000' })).toBe('0')
  })
  it('refundOf is the share of what the line was paid', () => {
    // Three at 3.50 less a share of a whole-bill discount: 9.99 paid.
    expect(moneyText(refundOf({ gross: '9.99', base_qty: '3.0000', factor: '1.0000' }, '1'))).toBe('3.33')
    expect(moneyText(refundOf({ gross: '80.00', base_qty: '48.0000', factor: '24.0000' }, '1'))).toBe('40.00')
    expect(refundOf({ gross: '80.00', base_qty: '48.0000', factor: '24.0000' }, '')).toBe(0n)
  })
})

describe('appendPage', () => {
  it('adds the next page below, none twice', () => {
    // A sale made at another till meanwhile: the next page starts with the last one shown.
    const got = appendPage([{ id: 9 }, { id: 8 }], [{ id: 8 }, { id: 7 }, { id: 6 }])
    expect(got.map((d) => d.id)).toEqual([9, 8, 7, 6])
  })
  it('an empty page adds nothing', () => {
    expect(appendPage([{ id: 1 }], [])).toEqual([{ id: 1 }])
  })
})

describe('listSum', () => {
  const takings = {
    sales: 12, sales_amount: '1234.5', returns: 1, return_amount: '3.50',
    methods: [
      { method: 'cash', received: '1000.00', refunded: '3.50' },
      { method: 'wechat', received: '234.50', refunded: '0.00' },
    ],
  }
  const page = { items: [{ gross_amount: '39.00' }, { gross_amount: '0.10' }, { gross_amount: '0.20' }], total: 3, offset: 0 }
  it('sales: the takings add up the whole filtered list, by method', () => {
    expect(listSum('sales', page, takings)).toEqual({
      n: 12, amount: '1234.50', whole: true,
      methods: [{ method: 'cash', amount: '1000.00' }, { method: 'wechat', amount: '234.50' }],
    })
  })
  it('returns: what was refunded, methods that refunded nothing left out', () => {
    expect(listSum('returns', page, takings)).toEqual({ n: 1, amount: '3.50', whole: true, methods: [{ method: 'cash', amount: '3.50' }] })
  })
  it('nothing in the range', () => {
    expect(listSum('returns', { items: [], total: 0 }, { sales: 0, sales_amount: '0.00', returns: 0, return_amount: '0.00', methods: [] }))
      .toEqual({ n: 0, amount: '0.00', whole: true, methods: [] })
  })
  it('a search: the page, exactly, and it is the whole list when the first page holds it all', () => {
    expect(listSum('sales', page, null)).toEqual({ n: 3, amount: '39.30', whole: true, methods: [] })
  })
  it('a search with more pages: only the page', () => {
    expect(listSum('sales', { ...page, total: 40 }, null)).toMatchObject({ n: 3, amount: '39.30', whole: false })
    expect(listSum('sales', { ...page, total: 6, offset: 3 }, null)).toMatchObject({ whole: false })
  })
})
