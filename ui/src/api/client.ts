// The one way the app talks to jxc: JSON over fetch with the session cookie,
// the user's language, an Idempotency-Key on every change, and problem+json
// errors turned into ApiError with the fields at fault.
import type { components } from './schema'

export type S = components['schemas']

export interface FieldProblem {
  field: string
  rule: string
  message: string
  params?: Record<string, string>
}

export class ApiError extends Error {
  status: number
  code: string
  /** The message's key, finer than code: "error.stocktake_uncounted", "error.period_open_docs" … */
  key: string
  /** The values the message names, e.g. { count: "3" }. */
  params: Record<string, string>
  fields: FieldProblem[]
  requestId?: string
  constructor(status: number, body: any) {
    super(body?.detail || body?.title || `HTTP ${status}`)
    this.status = status
    this.code = body?.code || 'error'
    this.key = body?.key || ''
    this.params = body?.params || {}
    this.fields = body?.errors || []
    this.requestId = body?.request_id
  }
  /** Field errors keyed by field path, for el-form's error slots; short drops the field's name (for a cell that already says where). */
  byField(short = false): Record<string, string> {
    const out: Record<string, string> = {}
    for (const f of this.fields) {
      const m = short ? ruleText(f.message) : f.message
      out[f.field] = out[f.field] ? out[f.field] + '; ' + m : m
    }
    return out
  }
}

/**
 * What a field message says is wrong, without the field's name, which the
 * server puts first with a separator in each language:
 * "明细 1 › 数量：库存不足，可用 0" → "库存不足，可用 0",
 * "Lines 1 › quantity: not enough stock: 0 available" → "not enough stock: 0 available".
 */
export function ruleText(message: string): string {
  return message.replace(/^.*›\s*/, '').replace(/^[^：:]{1,40}?(：|:\s)\s*/, '')
}

let language = 'zh-CN'
export function setApiLanguage(l: string) {
  language = l
}

let onUnauthorized: (() => void) | null = null
export function setUnauthorizedHandler(fn: () => void) {
  onUnauthorized = fn
}

export function newKey(): string {
  if (typeof globalThis.crypto !== 'undefined' && 'randomUUID' in globalThis.crypto) return globalThis.crypto.randomUUID()
  return Math.random().toString(36).slice(2) + Date.now().toString(36)
}

export interface CallOptions {
  query?: Record<string, string | number | boolean | undefined | null>
  /** Reuse one key across retries of the same user action. */
  key?: string
}

export async function api<T = any>(method: string, path: string, body?: unknown, opt: CallOptions = {}): Promise<T> {
  const url = new URL('/api/v1' + path, window.location.origin)
  for (const [k, v] of Object.entries(opt.query || {})) {
    if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, String(v))
  }
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': language }
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  if (method !== 'GET') headers['Idempotency-Key'] = opt.key || newKey()
  const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' })
  const text = await res.text()
  const data = text ? safeJSON(text) : undefined
  if (!res.ok) {
    if (res.status === 401 && onUnauthorized && !path.startsWith('/auth/login')) onUnauthorized()
    throw new ApiError(res.status, data)
  }
  return data as T
}

function safeJSON(t: string): any {
  try {
    return JSON.parse(t)
  } catch {
    return { title: t }
  }
}

export interface Page<T> {
  items: T[]
  total: number
  limit: number
  offset: number
}

/** Fetch every page of a list (for exports), at most `max` rows. */
export async function fetchAll<T>(path: string, query: Record<string, any>, max = 20000): Promise<T[]> {
  const out: T[] = []
  for (let offset = 0; offset < max; offset += 500) {
    const p = await api<Page<T>>('GET', path, undefined, { query: { ...query, limit: 500, offset } })
    out.push(...p.items)
    if (out.length >= p.total || p.items.length === 0) break
  }
  return out
}
