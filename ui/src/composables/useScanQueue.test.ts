import { describe, expect, it, vi } from 'vitest'
import { useScanQueue } from './useScanQueue'

describe('useScanQueue', () => {
  it('empties the field at the scan and handles the codes in order, each after the last', async () => {
    const seen: string[] = []
    let running = 0
    const q = useScanQueue(async (code: string) => {
      running++
      expect(running).toBe(1) // never two at once
      await new Promise((r) => setTimeout(r, code === 'slow' ? 20 : 1))
      seen.push(code)
      running--
    })
    q.text.value = 'slow'
    q.onScan('slow')
    expect(q.text.value).toBe('') // ready for the next code before the first is handled
    q.text.value = 'fast'
    q.onScan('fast')
    expect(q.text.value).toBe('')
    await q.settled()
    expect(seen).toEqual(['slow', 'fast'])
  })

  it('goes on after a handler that throws, and says so', async () => {
    const err = vi.spyOn(console, 'error').mockImplementation(() => {})
    const seen: string[] = []
    const q = useScanQueue(async (code: string) => {
      if (code === 'bad') throw new Error('boom')
      seen.push(code)
    })
    q.onScan('bad')
    q.onScan('good')
    await q.settled()
    expect(seen).toEqual(['good'])
    expect(err).toHaveBeenCalledTimes(1)
    err.mockRestore()
  })
})
