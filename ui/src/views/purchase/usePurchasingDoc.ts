// One purchasing-planning document on screen (请购单, 询价单, 到岸成本): load
// it or start a new one, save the draft under one Idempotency-Key kept
// across retries, act on it (submit, approve, post, cancel, close) with the
// version read, and put the server's errors where they belong: lines[2].qty
// on row 3's quantity, the rest in a banner. Leaving with unsaved changes
// asks first. The screens say what a document looks like; this says how it
// travels.
import { computed, onBeforeUnmount, onMounted, ref, watch } from 'vue'
import { onBeforeRouteLeave, onBeforeRouteUpdate, useRoute, useRouter } from 'vue-router'
import { useI18n } from 'vue-i18n'
import { ElMessage, ElMessageBox } from 'element-plus'
import { api, ApiError, newKey, ruleText } from '../../api/client'
import { useSession } from '../../stores/session'
import { PKIND, pdocPath, type Doc, type PKind } from './usePurchasing'

export type Act = 'submit' | 'approve' | 'post' | 'cancel' | 'close'
export interface Banner {
  kind: 'conflict' | 'other'
  title: string
  items: string[]
}

export interface DocEditorOptions {
  kind: PKind
  /** What to send on save. */
  body: () => Record<string, unknown>
  /** Show a document the server returned. */
  fill: (d: Doc) => Promise<void> | void
  /** Start a new document. */
  blank: () => Promise<void> | void
  /** The row keys of the lines sent, in order: lines[i] errors go to row sent[i]. */
  sentKeys: () => number[]
  /** Header fields shown next to an input; other field errors go to the banner. */
  headerFields: string[]
  /** Line fields with a cell; other line errors go to the item cell. */
  lineFields: string[]
  /** A line field shown in another cell (source_line_id → item_id). */
  lineFieldAlias?: Record<string, string>
  /** Problems to say before asking the server (field → message). */
  check?: () => Record<string, string>
}

export function usePurchasingDoc(o: DocEditorOptions) {
  const { t } = useI18n()
  const route = useRoute()
  const router = useRouter()
  const session = useSession()
  const info = PKIND[o.kind]
  const can = {
    write: session.can(info.write),
    approve: session.can(info.approve),
    post: !!info.post && session.can(info.post),
  }

  const docId = computed(() => (route.params.id === 'new' ? 0 : Number(route.params.id) || 0))
  const isNew = computed(() => !docId.value)
  const doc = ref<Doc | null>(null)
  const loading = ref(false)
  const notFound = ref(false)
  const busy = ref<'save' | Act | ''>('')
  const errors = ref<Record<string, string>>({})
  const lineErrors = ref(new Map<number, Record<string, string>>())
  const banner = ref<Banner | null>(null)
  let key = newKey()

  const state = computed(() => doc.value?.state || 'draft')
  const closed = computed(() => !!doc.value?.closed)
  const needsApproval = computed(() => !!info.alwaysApproved || (session.company?.settings?.approval_for || []).includes(info.type))
  const editable = computed(() => can.write && (isNew.value || state.value === 'draft'))

  // ---------------------------------------------------------------- leaving with changes
  // A ref, so that what shows "changed since saved" follows a save.
  const snapshot = ref('')
  const takeSnapshot = () => (snapshot.value = JSON.stringify(o.body()))
  const dirty = () => editable.value && JSON.stringify(o.body()) !== snapshot.value
  async function leaveGuard() {
    if (!dirty()) return true
    try {
      await ElMessageBox.confirm(t('purchasing.doc.unsaved'), { type: 'warning' })
      return true
    } catch {
      return false
    }
  }
  onBeforeRouteLeave(leaveGuard)
  onBeforeRouteUpdate(leaveGuard)

  function clearErrors() {
    errors.value = {}
    lineErrors.value = new Map()
    banner.value = null
  }

  async function show(d: Doc) {
    doc.value = d
    await o.fill(d)
    takeSnapshot()
  }

  async function load() {
    clearErrors()
    notFound.value = false
    key = newKey()
    if (isNew.value) {
      doc.value = null
      await o.blank()
      takeSnapshot()
      return
    }
    loading.value = true
    try {
      await show(await api<Doc>('GET', `/purchase/${o.kind}/${docId.value}`))
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) notFound.value = true
      else ElMessage.error(e instanceof ApiError ? e.message : t('error.network'))
    } finally {
      loading.value = false
    }
  }

  function onKey(e: KeyboardEvent) {
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's') {
      e.preventDefault()
      if (editable.value && !busy.value) save()
    }
  }
  onMounted(() => window.addEventListener('keydown', onKey))
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey))
  // A new document saved becomes /purchase/<kind>/:id: it is on screen already.
  watch(
    () => route.fullPath,
    () => {
      if (!new RegExp(`^/purchase/${o.kind}/(\\d+|new)$`).test(route.path)) return
      if (doc.value && docId.value === doc.value.id) return
      load()
    },
  )

  // ---------------------------------------------------------------- errors

  function fail(e: unknown) {
    if (!(e instanceof ApiError)) {
      banner.value = { kind: 'other', title: t('error.network'), items: [] }
      return
    }
    const sent = o.sentKeys()
    const head: Record<string, string> = {}
    const byLine = new Map<number, Record<string, string>>()
    const other: string[] = []
    for (const f of e.fields) {
      const m = /^lines\[(\d+)\]\.(\w+)$/.exec(f.field)
      const k = m ? sent[Number(m[1])] : undefined
      if (m && k !== undefined) {
        const rec = byLine.get(k) || {}
        const named = o.lineFieldAlias?.[m[2]] || m[2]
        const cell = o.lineFields.includes(named) ? named : 'item_id'
        rec[cell] = rec[cell] ? `${rec[cell]}; ${ruleText(f.message)}` : ruleText(f.message)
        byLine.set(k, rec)
      } else if (o.headerFields.includes(f.field.replace(/\[\d+\].*$/, ''))) {
        const name = f.field
        head[name] = head[name] ? `${head[name]}; ${ruleText(f.message)}` : ruleText(f.message)
      } else other.push(f.message)
    }
    errors.value = head
    lineErrors.value = byLine
    if (e.status === 409 && !e.fields.length) banner.value = { kind: 'conflict', title: e.message, items: [] }
    else if (other.length || !e.fields.length) banner.value = { kind: 'other', title: e.fields.length ? t('purchasing.doc.checkErrors') : e.message, items: other }
    showFirstError()
  }
  function showFirstError() {
    setTimeout(() => document.querySelector('.doc-banner, .el-form-item.is-error, .row-bad, .cell-err')?.scrollIntoView({ block: 'center', behavior: 'smooth' }), 50)
  }
  const cellErr = (k: number, f: string) => lineErrors.value.get(k)?.[f] || ''
  const rowBad = (k: number) => lineErrors.value.has(k)

  function checkFirst(): boolean {
    const e = o.check ? o.check() : {}
    errors.value = e
    if (Object.keys(e).length) showFirstError()
    return !Object.keys(e).length
  }

  // ---------------------------------------------------------------- saving and acting

  async function persist(): Promise<Doc> {
    const b = o.body()
    try {
      const d = !doc.value
        ? await api<Doc>('POST', `/purchase/${o.kind}`, b, { key })
        : await api<Doc>('PUT', `/purchase/${o.kind}/${doc.value.id}`, { ...b, version: doc.value.version }, { key })
      key = newKey()
      return d
    } catch (e) {
      // The server answered: the next attempt is a new request. Without an
      // answer the same key makes a retry safe.
      if (e instanceof ApiError) key = newKey()
      throw e
    }
  }
  async function shown(d: Doc) {
    await show(d)
    if (docId.value !== d.id) router.replace(pdocPath(o.kind, d.id))
  }

  async function run(what: 'save' | Act, fn: () => Promise<void>) {
    if (busy.value) return
    busy.value = what
    clearErrors()
    try {
      await fn()
    } catch (e) {
      fail(e)
    } finally {
      busy.value = ''
    }
  }

  /** Save the draft (create it when new). */
  function save() {
    if (!checkFirst()) return
    return run('save', async () => {
      await shown(await persist())
      ElMessage.success(t('purchasing.doc.saved'))
    })
  }

  async function confirm(message: string, title: string, button: string, danger = false): Promise<boolean> {
    try {
      await ElMessageBox.confirm(message, title, { type: 'warning', confirmButtonText: button, confirmButtonClass: danger ? 'el-button--danger' : undefined })
      return true
    } catch {
      return false
    }
  }

  /** An action on the document; a new or changed draft is saved first. */
  async function act(a: Act, opts: { confirm?: string; title?: string; danger?: boolean; done: string }) {
    if (editable.value && (a === 'submit' || a === 'post') && !checkFirst()) return
    if (opts.confirm && !(await confirm(opts.confirm, opts.title || '', opts.title || t('action.confirm'), opts.danger))) return
    return run(a, async () => {
      if (editable.value && (dirty() || !doc.value)) await shown(await persist())
      const d = await api<Doc>('POST', `/purchase/${o.kind}/${doc.value?.id}/${a}`, { version: doc.value?.version || 0 })
      await show(d)
      ElMessage.success(opts.done)
    })
  }

  return {
    can, doc, docId, isNew, loading, notFound, busy, errors, lineErrors, banner, state, closed, needsApproval, editable,
    load, save, act, fail, cellErr, rowBad, dirty,
  }
}
