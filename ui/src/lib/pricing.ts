// The server explains every priced line as notes: a key, parameters and the
// same step in English. noteText says a note in the user's language; a key
// it does not know falls back to the server's text.

export interface PriceNote {
  key?: string
  params?: Record<string, string> | null
  text?: string
}

type T = (key: string, params?: Record<string, unknown>) => string

/** One note in words: "客户专属价 PL-A（满 10）：2.90". sep is what comes before the figure ("：" or ": "). */
export function noteText(n: PriceNote, t: T, sep: string): string {
  const p = n.params || {}
  const key = (n.key || '').replace(/^pricing\./, '')
  const figure = p.base ? `${p.base} × ${p.factor} = ${p.price}` : p.price
  const excl = p.exclusive ? t('pricing.exclusive') : ''
  switch (key) {
    case 'customer':
    case 'tier':
    case 'qty_break':
      return t('pricing.' + key, { list: p.list }) + (p.min ? t('pricing.fromQty', { min: p.min }) : '') + sep + figure
    case 'default_retail':
    case 'default_wholesale':
      return t('pricing.' + key) + sep + figure
    case 'percent':
    case 'fixed':
      return t('pricing.' + key, { promo: p.promo, rate: p.rate, amount: p.amount }) + (p.factor ? ` × ${p.factor}` : '') + excl + sep + p.price
    case 'threshold':
      return t('pricing.threshold', p) + (p.times ? ` × ${p.times}` : '') + excl + sep + '-' + p.discount
    case 'buy_get':
      return t('pricing.buy_get', p)
    default:
      return n.text || ''
  }
}

/** All notes of a line, one after the other. */
export function explain(notes: PriceNote[] | null | undefined, t: T, sep: string): string {
  return (notes || []).map((n) => noteText(n, t, sep)).join('; ')
}
