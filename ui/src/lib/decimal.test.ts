import { describe, expect, it } from 'vitest'
import { addDec, fmtMoney, fmtPrice, fmtQty, fromScaled, mulMoney, mulQty, sign, sumDec, toScaled, trimDec } from './decimal'

describe('decimal strings', () => {
  it('parses and rounds half away from zero', () => {
    const tests: [string, number, bigint | null][] = [
      ['12.5', 4, 125000n],
      ['12.5000', 4, 125000n],
      ['-3.2', 2, -320n],
      ['.5', 2, 50n],
      ['1.005', 2, 101n],
      ['-1.005', 2, -101n],
      ['1.0049', 2, 100n],
      ['1,234.5', 2, 123450n],
      ['', 4, null],
      ['abc', 4, null],
      ['1.2.3', 4, null],
      ['-', 4, null],
    ]
    for (const [s, scale, want] of tests) expect(toScaled(s, scale), s).toBe(want)
  })

  it('formats with trimmed zeros and grouping', () => {
    expect(fromScaled(125000n, 4)).toBe('12.5')
    expect(fromScaled(5n, 4)).toBe('0.0005')
    expect(fromScaled(-5n, 4, 0)).toBe('-0.0005')
    expect(fromScaled(123456789n, 2, 2, true)).toBe('1,234,567.89')
    expect(fromScaled(0n, 2, 2)).toBe('0.00')
  })

  it('adds, sums and multiplies without floats', () => {
    expect(addDec('0.1', '0.2')).toBe('0.3')
    expect(addDec('1', '1')).toBe('2')
    expect(addDec('', '1')).toBe('1')
    expect(fromScaled(sumDec(['0.10', '0.20', null, 'x'], 2), 2, 2)).toBe('0.30')
    expect(mulMoney('3.3333', '3')).toBe('10.00')
    expect(mulMoney('0.005', '1')).toBe('0.01')
    expect(mulMoney('1.9400', '24')).toBe('46.56')
    expect(mulMoney('', '2')).toBe('')
    expect(fromScaled(mulQty('2', '24.0000'), 4)).toBe('48')
    expect(fromScaled(mulQty('1.5', ''), 4)).toBe('1.5')
  })

  it('formats quantities, prices and money for display', () => {
    expect(fmtQty('30955.0000')).toBe('30,955')
    expect(fmtQty('-6.0000')).toBe('-6')
    expect(fmtQty('2.5000', false)).toBe('2.5')
    expect(fmtPrice('3.2000')).toBe('3.20')
    expect(fmtPrice('1.9425')).toBe('1.9425')
    expect(fmtMoney('288481.17')).toBe('288,481.17')
    expect(fmtMoney('0')).toBe('0.00')
    expect(fmtMoney(undefined)).toBe('')
    expect(trimDec('24.0000')).toBe('24')
    expect(trimDec('3.2000', 2)).toBe('3.20')
    expect(sign('-0.0001')).toBe(-1)
    expect(sign('0.0000')).toBe(0)
    expect(sign('2')).toBe(1)
  })
})
