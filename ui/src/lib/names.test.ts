import { describe, expect, it } from 'vitest'
import { createSSRApp, h } from 'vue'
import { renderToString } from 'vue/server-renderer'
import { createI18n } from 'vue-i18n'
import { localName, nameIn, useLocalName } from './names'

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

describe('useLocalName', () => {
  it('follows the UI language', async () => {
    const i18n = createI18n({ legacy: false, locale: 'en', messages: { en: {}, 'zh-CN': {} } })
    const partner = { name: '饮料批发', name_en: 'Drinks Wholesale' }
    const render = () =>
      renderToString(
        createSSRApp({
          setup() {
            const { nameOf, localName } = useLocalName()
            return () => h('p', `${nameOf(partner)}|${localName('饮料批发', 'Drinks Wholesale')}|${localName('饮料批发', '')}`)
          },
        }).use(i18n),
      )
    expect(await render()).toBe('<p>Drinks Wholesale|Drinks Wholesale|饮料批发</p>')
    i18n.global.locale.value = 'zh-CN'
    expect(await render()).toBe('<p>饮料批发|饮料批发|饮料批发</p>')
  })
})
