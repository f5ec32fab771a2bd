import { describe, expect, it } from 'vitest'
import { balance, byDue, cents, money, netOwed, pair, share, withCredits } from './allocate'

const s = (open: string, typed: string | null = null) => ({ open: cents(open), typed: typed === null ? null : cents(typed) })
const m = (xs: bigint[]) => xs.map(money)

describe('share', () => {
  const tests = [
    { name: 'oldest first up to the total', rows: [s('340'), s('720'), s('700')], total: '1000', want: ['340.00', '660.00', '0.00'] },
    { name: 'more than is open', rows: [s('340'), s('720')], total: '5000', want: ['340.00', '720.00'] },
    { name: 'nothing', rows: [s('340')], total: '0', want: ['0.00'] },
    { name: 'a typed row keeps its amount, the rest share what is left', rows: [s('340'), s('720', '100'), s('700')], total: '1000', want: ['340.00', '100.00', '560.00'] },
    { name: 'typed more than the total: the others take nothing', rows: [s('340'), s('720', '900')], total: '500', want: ['0.00', '900.00'] },
    { name: 'cents stay exact', rows: [s('0.10'), s('0.20'), s('977.60')], total: '0.35', want: ['0.10', '0.20', '0.05'] },
  ]
  for (const tt of tests) {
    it(tt.name, () => {
      expect(m(share(tt.rows, cents(tt.total)))).toEqual(tt.want)
    })
  }
})

describe('balance', () => {
  it('one bill and one payment: the smaller of the two opens', () => {
    const got = balance([s('840')], [s('300')])
    expect([m(got.debits), m(got.credits)]).toEqual([['300.00'], ['300.00']])
  })
  it('fills each side in order up to the smaller side', () => {
    const got = balance([s('340'), s('720')], [s('300'), s('500'), s('1000')])
    expect([m(got.debits), m(got.credits)]).toEqual([['340.00', '720.00'], ['300.00', '500.00', '260.00']])
  })
  it('a typed amount caps its side', () => {
    const got = balance([s('340', '100'), s('720')], [s('300')])
    expect([m(got.debits), m(got.credits)]).toEqual([['100.00', '200.00'], ['300.00']])
  })
})

describe('pair', () => {
  it('applies credits to debits in order', () => {
    const got = pair(
      [{ id: 1, amount: cents('340') }, { id: 2, amount: cents('720') }],
      [{ id: 10, amount: cents('300') }, { id: 11, amount: cents('760') }],
    )
    expect(got.map((p) => [p.debit_id, p.credit_id, money(p.amount)])).toEqual([
      [1, 10, '300.00'],
      [1, 11, '40.00'],
      [2, 11, '720.00'],
    ])
  })
  it('skips zero rows', () => {
    const got = pair([{ id: 1, amount: 0n }, { id: 2, amount: cents('5') }], [{ id: 10, amount: cents('5') }])
    expect(got.map((p) => [p.debit_id, p.credit_id, money(p.amount)])).toEqual([[2, 10, '5.00']])
  })
})

describe('byDue', () => {
  it('earliest due first, the bill date standing in for a missing due date', () => {
    const got = byDue([
      { document_id: 1, date: '2026-08-10', due_date: '2026-12-09' },
      { document_id: 2, date: '2026-10-05', due_date: '2026-11-04' },
      { document_id: 3, date: '2026-10-01', due_date: null },
    ])
    expect(got.map((x) => x.document_id)).toEqual([3, 2, 1])
  })
})

describe('withCredits', () => {
  const plan = (debits: ReturnType<typeof s>[], credits: ReturnType<typeof s>[], m: string) => {
    const p = withCredits(debits, credits, cents(m))
    return [money(p.money), ...p.debits.map(money), '|', ...p.credits.map(money)]
  }
  it('an invoice and a credit of the same amount: nothing to receive, the credit settles it', () => {
    expect(plan([s('2.29')], [s('2.29')], '0')).toEqual(['0.00', '2.29', '|', '2.29'])
  })
  it('the balance received: the credit goes first, the money pays the rest, nothing stays open', () => {
    // 300.00 owed, 31.70 credited by a return: 268.30 received.
    expect(plan([s('300')], [s('31.70')], '268.30')).toEqual(['268.30', '300.00', '|', '31.70'])
    expect(plan([s('2.29'), s('10')], [s('2.29')], '10')).toEqual(['10.00', '2.29', '10.00', '|', '2.29'])
  })
  it('more credit than owed: only what the invoices take, the rest stays open', () => {
    expect(plan([s('40')], [s('30'), s('25')], '0')).toEqual(['0.00', '40.00', '|', '30.00', '10.00'])
  })
  it('more money than owed: the rest is a prepayment (not applied)', () => {
    expect(plan([s('40')], [s('10')], '50')).toEqual(['30.00', '40.00', '|', '10.00'])
  })
  it('a typed credit amount is what it gives', () => {
    expect(plan([s('40')], [s('30', '5')], '35')).toEqual(['35.00', '40.00', '|', '5.00'])
  })
})

describe('netOwed', () => {
  it('the debits less the credits, never below 0', () => {
    expect(money(netOwed([cents('300')], [cents('31.70')]))).toBe('268.30')
    expect(money(netOwed([cents('2.29')], [cents('2.29')]))).toBe('0.00')
    expect(money(netOwed([cents('2')], [cents('5')]))).toBe('0.00')
  })
})
