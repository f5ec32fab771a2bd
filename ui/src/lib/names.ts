// The name of a master record (partner, item, warehouse, bin, unit, category,
// promotion, customer tier, the company …)
// in the user's language: every such record has a Chinese name and may have
// an English one (name_en). In English the English name shows when there is
// one, else the Chinese name; in Chinese always the Chinese name. Lists that
// name a record by denormalised fields carry both: partner_name and
// partner_name_en, item_name and item_name_en, and so on.
import { useI18n } from 'vue-i18n'

/** A record with a name and maybe an English name. */
export interface Named {
  name?: string | null
  name_en?: string | null
}

/** The name to show in language lang, given the Chinese name and the English one. */
export function localName(lang: string, name?: string | null, nameEn?: string | null): string {
  if (lang.startsWith('en') && nameEn && nameEn.trim()) return nameEn
  return name || ''
}

/** The name of record x in language lang; '' when there is no record. */
export function nameIn(lang: string, x?: Named | null): string {
  return x ? localName(lang, x.name, x.name_en) : ''
}

/** A customer tier (等级) of the company settings: a code and its names. */
export interface Tier extends Named {
  code?: string | null
}

/**
 * The name of the tier with this code in language lang, among the company's
 * tiers (partners and promotions name a tier by its code); the code itself
 * when no tier has it or the tier has no name, '' for no code.
 */
export function tierName(lang: string, tiers: readonly Tier[] | null | undefined, code?: string | null): string {
  if (!code) return ''
  return nameIn(lang, (tiers || []).find((x) => x.code === code)) || code
}

/**
 * The two in the current UI language, for components:
 * `nameOf(item)` for a record, `localName(row.partner_name, row.partner_name_en)`
 * for a list row's denormalised pair, `tierName(tiers, partner.tier)` for a
 * tier code.
 */
export function useLocalName() {
  const { locale } = useI18n()
  return {
    nameOf: (x?: Named | null) => nameIn(locale.value, x),
    localName: (name?: string | null, nameEn?: string | null) => localName(locale.value, name, nameEn),
    tierName: (tiers: readonly Tier[] | null | undefined, code?: string | null) => tierName(locale.value, tiers, code),
  }
}
