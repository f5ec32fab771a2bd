// What the sales screens add to the shared trade screens: the salespeople
// to choose from, the notices the server sends with a document (credit
// warnings and overrides, purchase budgets) in words, and the credit
// override's prompt for a reason.
import { computed, ref } from 'vue'
import { ElMessageBox } from 'element-plus'
import { fetchAll, type S } from '../../api/client'
import { i18n } from '../../i18n'
import { useSession } from '../../stores/session'

type User = S['User']

/**
 * Users who may be a document's salesperson (业务员). Without the right
 * to read users only the signed-in user is known by name; others show as
 * a reference.
 */
export function useSalespeople() {
  const session = useSession()
  const users = ref<User[]>([])
  async function load() {
    if (!session.can('settings.user.read')) return
    try {
      users.value = await fetchAll<User>('/users', { archived: 'all' })
    } catch {
      users.value = []
    }
  }
  const known = computed(() => {
    const me = session.me?.user
    return me && !users.value.some((u) => u.id === me.id) ? [...users.value, me as User] : users.value
  })
  const label = (u: User) => u.display_name || u.username || `#${u.id}`
  const name = (id?: number | null) => {
    if (!id) return ''
    const u = known.value.find((x) => x.id === id)
    return u ? label(u) : i18n.global.t('partners.userRef', { id })
  }
  /** Active users, and the current one even when archived. */
  const options = (current?: number | null) => {
    const list = known.value.filter((u) => (!u.archived && u.active !== false) || u.id === current)
    if (current && !list.some((u) => u.id === current)) list.push({ id: current, username: name(current) })
    return list
  }
  return { load, label, name, options }
}

// The notices the server sends, by key, and the message that words each.
const NOTICES: Record<string, string> = {
  'budget.warn': 'purchase.budget.warn',
  'budget.override': 'purchase.budget.overridden',
  'credit.over': 'sales.credit.over',
  'credit.overdue': 'sales.credit.overdue',
  'credit.override': 'sales.credit.overridden',
}

/** A document's notice in the user's language ('' for one this screen does not know). */
export function noticeText(n: S['Notice']): string {
  const key = NOTICES[n.key || '']
  if (!key) return ''
  const text = i18n.global.t(key, (n.params || {}) as Record<string, string>)
  // A customer set to warn only is let through; say so.
  return n.key === 'credit.over' || n.key === 'credit.overdue' ? `${text} ${i18n.global.t('sales.credit.warnOnly')}` : text
}

/**
 * Asks someone allowed to override credit why this order or shipment goes
 * past the customer's credit. The reason, or null when they decline.
 */
export async function creditOverride(message: string): Promise<string | null> {
  const t = i18n.global.t
  try {
    const r = await ElMessageBox.prompt(`${message}\n${t('sales.credit.ask')}`, t('sales.credit.title'), {
      type: 'warning',
      confirmButtonText: t('sales.credit.override'),
      confirmButtonClass: 'el-button--danger',
      inputPlaceholder: t('sales.credit.reason'),
      inputValidator: (v: string) => (v && v.trim() ? true : t('sales.credit.reasonRequired')),
      customClass: 'credit-override',
    })
    return r.value.trim()
  } catch {
    return null
  }
}
