// Every visible string goes through vue-i18n. Messages live in
// messages/<feature>.ts, each with 'zh-CN' and 'en' halves; a test fails when
// a key is missing in either language or used but not defined.
import { createI18n } from 'vue-i18n'
import { setApiLanguage } from '../api/client'

export type Lang = 'zh-CN' | 'en'
type Tree = { [k: string]: string | Tree }

const modules = import.meta.glob<{ default: Record<Lang, Tree> }>('./messages/*.ts', { eager: true })

export const messages: Record<Lang, Tree> = { 'zh-CN': {}, en: {} }
for (const m of Object.values(modules)) {
  for (const lang of ['zh-CN', 'en'] as Lang[]) Object.assign(messages[lang], m.default[lang])
}

export function initialLanguage(): Lang {
  const saved = localStorage.getItem('jxc.lang')
  if (saved === 'zh-CN' || saved === 'en') return saved
  const nav = (navigator.languages || [navigator.language]).find((l) => /^(zh|en)/i.test(l)) || 'zh-CN'
  return nav.toLowerCase().startsWith('en') ? 'en' : 'zh-CN'
}

export const i18n = createI18n({
  legacy: false,
  locale: initialLanguage(),
  fallbackLocale: 'zh-CN',
  messages: messages as any,
  missingWarn: true,
  fallbackWarn: false,
})
setApiLanguage(i18n.global.locale.value)

export function setLanguage(l: Lang) {
  i18n.global.locale.value = l
  localStorage.setItem('jxc.lang', l)
  setApiLanguage(l)
  document.documentElement.lang = l
}
