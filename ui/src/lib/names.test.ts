import { describe, expect, it } from 'vitest'
import { createSSRApp, h } from 'vue'
import { renderToString } from 'vue/server-renderer'
import { createI18n } from 'vue-i18n'
import { localName, nameIn, tierName, useLocalName } from './names'

describe('localName', () => {
  it('shows the English name in English when there is one, else the Chinese name', () => {
    expect(localName('en', '清泉饮用天然水', 'Clear Spring Water')).toBe('Clear Spring Water')
    expect(localName('en', '清泉饮用天然水', '')).toBe('清泉饮用天然水')
    expect(localName('en', '清泉饮用天然水', '  ')).toBe('清泉饮用天然水')
    expect(localName('en', '清泉饮用天然水', null)).toBe('清泉饮用天然水')
    expect(localName('en', '清泉饮用天然水')).toBe('清泉饮用天然水')
  })
  it('always shows the Chinese name in Chinese', () => {
    expect(localName('zh-CN', '清泉饮用天然水', 'Clear Spring Water')).toBe('清泉饮用天然水')
    expect(localName('zh-CN', undefined, 'Clear Spring Water')).toBe('')
  })
  it('names a record, and nothing for no record', () => {
    expect(nameIn('en', { name: '北京分仓', name_en: 'Beijing Branch Warehouse' })).toBe('Beijing Branch Warehouse')
    expect(nameIn('zh-CN', { name: '北京分仓', name_en: 'Beijing Branch Warehouse' })).toBe('北京分仓')
    expect(nameIn('en', { name: '北京分仓' })).toBe('北京分仓')
    expect(nameIn('en', undefined)).toBe('')
    expect(nameIn('en', null)).toBe('')
  })
})

describe('tierName', () => {
  const tiers = [
    { code: 'VIP', name: 'VIP客户', name_en: 'VIP customer' },
    { code: 'A', name: 'A级客户', name_en: '' },
    { code: 'X', name: '' },
  ]
  it('names a tier code in the language, falling back to the Chinese name, then the code', () => {
    expect(tierName('en', tiers, 'VIP')).toBe('VIP customer')
    expect(tierName('zh-CN', tiers, 'VIP')).toBe('VIP客户')
    expect(tierName('en', tiers, 'A')).toBe('A级客户')
    expect(tierName('en', tiers, 'X')).toBe('X')
    expect(tierName('en', tiers, 'GONE')).toBe('GONE')
    expect(tierName('en', undefined, 'VIP')).toBe('VIP')
  })
  it('names no tier as nothing', () => {
    expect(tierName('en', tiers, '')).toBe('')
    expect(tierName('en', tiers, null)).toBe('')
  })
})

describe('useLocalName', () => {
  it('follows the UI language', async () => {
    const i18n = createI18n({ legacy: false, locale: 'en', messages: { en: {}, 'zh-CN': {} } })
    const partner = { name: '饮料批发', name_en: 'Drinks Wholesale' }
    const render = () =>
      renderToString(
        createSSRApp({
          setup() {
            const { nameOf, localName, tierName } = useLocalName()
            const tiers = [{ code: 'VIP', name: 'VIP客户', name_en: 'VIP customer' }]
            return () => h('p', `${nameOf(partner)}|${localName('饮料批发', 'Drinks Wholesale')}|${localName('饮料批发', '')}|${tierName(tiers, 'VIP')}`)
          },
        }).use(i18n),
      )
    expect(await render()).toBe('<p>Drinks Wholesale|Drinks Wholesale|饮料批发|VIP customer</p>')
    i18n.global.locale.value = 'zh-CN'
    expect(await render()).toBe('<p>饮料批发|饮料批发|饮料批发|VIP客户</p>')
  })
})
