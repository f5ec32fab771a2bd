import { defineStore } from 'pinia'
import { api, type S } from '../api/client'
import { setServerOffset } from '../lib/clock'

// Who is signed in, in which company, with which permissions. Buttons and
// menu entries ask can(); the API checks again on every call.
export const useSession = defineStore('session', {
  state: () => ({
    me: null as S['Me'] | null,
    setupNeeded: false,
    loaded: false,
  }),
  getters: {
    signedIn: (s) => s.me !== null,
    company: (s) => s.me?.companies?.find((c) => c.id === s.me?.company_id) || null,
  },
  actions: {
    /** Whether the user holds perm; given a list, any one of them (a page that a read permission and a working one both open). */
    can(perm: string | readonly string[]): boolean {
      const u = this.me?.user
      if (!u) return false
      const held = this.me?.perms || []
      return !!u.is_admin || (typeof perm === 'string' ? [perm] : perm).some((p) => held.includes(p))
    },
    async load() {
      try {
        // One call that never answers 401: a signed-out visitor's console stays clean.
        const s = await api<S['SessionState']>('GET', '/auth/session')
        this.setupNeeded = !!s.setup_needed
        setServerOffset(s.utc_offset)
        this.me = s.me ?? null
      } catch {
        this.me = null
      } finally {
        this.loaded = true
      }
    },
    async login(username: string, password: string) {
      this.me = await api<S['Me']>('POST', '/auth/login', { username, password })
      this.setupNeeded = false
    },
    async logout() {
      try {
        await api('POST', '/auth/logout')
      } finally {
        this.me = null
      }
    },
    async switchCompany(id: number) {
      await api('POST', '/auth/company', { company_id: id })
      this.me = await api<S['Me']>('GET', '/auth/me')
    },
  },
})
