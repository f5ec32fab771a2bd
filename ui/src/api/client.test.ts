import { describe, expect, it } from 'vitest'
import { ApiError, ruleText } from './client'

describe('ApiError', () => {
  it('keeps the message key and its params from problem+json', () => {
    const e = new ApiError(409, { code: 'conflict', key: 'error.stocktake_uncounted', params: { count: '3' }, title: '还有 3 行没有盘点', detail: '还有 3 行没有盘点' })
    expect([e.status, e.code, e.key, e.params.count, e.message]).toEqual([409, 'conflict', 'error.stocktake_uncounted', '3', '还有 3 行没有盘点'])
  })
  it('has empty ones for a body without them', () => {
    const e = new ApiError(502, undefined)
    expect([e.code, e.key, e.params, e.message]).toEqual(['error', '', {}, 'HTTP 502'])
  })
})

describe('ruleText', () => {
  it('drops the field name in both languages, keeping colons of the rule itself', () => {
    const tests: [string, string][] = [
      ['明细 1 › 数量：库存不足，可用 0', '库存不足，可用 0'],
      ['Lines 1 › quantity: not enough stock: 0 available', 'not enough stock: 0 available'],
      ['数量：必须大于 0', '必须大于 0'],
      ['Quantity: must be greater than 0', 'must be greater than 0'],
      ['Reason: must be one of: damage, other', 'must be one of: damage, other'],
      ['Shelf life (days): must be at least 0', 'must be at least 0'],
    ]
    for (const [m, want] of tests) expect(ruleText(m), m).toBe(want)
  })
  it('gives a field\'s rules without their names', () => {
    const e = new ApiError(400, { errors: [
      { field: 'lines[0].qty', rule: 'positive', message: 'Lines 1 › quantity: must be greater than 0' },
      { field: 'lines[0].qty', rule: 'max', message: 'Lines 1 › quantity: must be at most 9' },
    ] })
    expect(e.byField(true)).toEqual({ 'lines[0].qty': 'must be greater than 0; must be at most 9' })
    expect(e.byField()['lines[0].qty']).toBe('Lines 1 › quantity: must be greater than 0; Lines 1 › quantity: must be at most 9')
  })
})
