import { describe, expect, it } from 'vitest'
import { ApiError } from './client'

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
