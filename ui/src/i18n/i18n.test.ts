// Every key exists in zh-CN and en, and every key the code uses exists.
import { describe, expect, it } from 'vitest'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'

type Tree = { [k: string]: string | Tree }

function flatten(t: Tree, prefix = ''): string[] {
  return Object.entries(t).flatMap(([k, v]) => (typeof v === 'string' ? [prefix + k] : flatten(v, prefix + k + '.')))
}

async function load(): Promise<Record<string, Tree>> {
  const dir = join(__dirname, 'messages')
  const out: Record<string, Tree> = { 'zh-CN': {}, en: {} }
  for (const f of readdirSync(dir)) {
    const m = (await import(join(dir, f))).default as Record<string, Tree>
    for (const lang of ['zh-CN', 'en']) {
      for (const k of Object.keys(m[lang] || {})) {
        expect(out[lang][k], `${f}: top-level key ${k} defined twice`).toBeUndefined()
      }
      Object.assign(out[lang], m[lang])
    }
  }
  return out
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f)
    if (statSync(p).isDirectory()) return sources(p)
    return /\.(vue|ts)$/.test(f) && !f.endsWith('.test.ts') && !f.endsWith('.d.ts') ? [p] : []
  })
}

describe('i18n', () => {
  it('has the same keys in zh-CN and en, none empty', async () => {
    const m = await load()
    const zh = flatten(m['zh-CN']).sort()
    const en = flatten(m.en).sort()
    expect(zh).toEqual(en)
    for (const lang of ['zh-CN', 'en']) {
      for (const k of flatten(m[lang])) {
        const v = k.split('.').reduce((t: any, p) => t[p], m[lang])
        expect(String(v).trim(), `${lang} ${k}`).not.toBe('')
      }
    }
  })

  it('defines every key the code uses', async () => {
    const m = await load()
    const keys = new Set(flatten(m['zh-CN']))
    const missing: string[] = []
    const re = /\b(?:t|\$t|i18nKey)\(\s*'([a-zA-Z][\w-]*(?:\.[\w-]+)+)'/g
    const labels = /\b(?:label|title|exportName):\s*'([a-zA-Z][\w-]*(?:\.[\w-]+)+)'/g
    for (const file of sources(join(__dirname, '..'))) {
      const text = readFileSync(file, 'utf8')
      for (const r of [re, labels]) {
        for (const match of text.matchAll(r)) if (!keys.has(match[1])) missing.push(`${file.split('/src/')[1]}: ${match[1]}`)
      }
    }
    expect(missing).toEqual([])
  })
})
