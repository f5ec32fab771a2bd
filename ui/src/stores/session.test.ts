import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { useSession } from './session'
import { COUNTER_SALES } from '../views/pos/usePos'

describe('session.can', () => {
  beforeEach(() => setActivePinia(createPinia()))
  const as = (perms: string[], isAdmin = false) => {
    const s = useSession()
    s.me = { user: { id: 1, username: 'u', is_admin: isAdmin }, perms } as never
    return s
  }

  it('takes one permission, or a list of which any one will do', () => {
    const tests: [string, string[], string | string[], boolean][] = [
      ['the bookkeeper opens 零售单', ['sales.pos.read'], COUNTER_SALES, true],
      ['the cashier opens 零售单', ['sales.pos.use'], COUNTER_SALES, true],
      ['but the bookkeeper not the counter', ['sales.pos.read'], 'sales.pos.use', false],
      ['neither', ['sales.order.read'], COUNTER_SALES, false],
      ['an empty list', ['sales.pos.read'], [], false],
    ]
    for (const [name, held, perm, want] of tests) expect(as(held).can(perm), name).toBe(want)
  })

  it('lets an administrator do anything and a visitor nothing', () => {
    expect(as([], true).can(COUNTER_SALES)).toBe(true)
    const s = useSession()
    s.me = null
    expect(s.can('sales.pos.read')).toBe(false)
  })
})
