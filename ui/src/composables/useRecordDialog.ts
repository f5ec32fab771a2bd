// The small dialog form of the catalog screens (brand, unit, warehouse,
// category): open blank or with a record (re-read from the server), save with
// POST or PUT under one Idempotency-Key kept across retries (renewed after a
// success), field errors next to the inputs and the rest in a banner, a stale
// version (409) offered as a reload, and "save and new" that keeps the dialog
// open for the next record.
import { nextTick, reactive, ref, type Ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { ElMessage } from 'element-plus'
import { api, ApiError, newKey } from '../api/client'

export interface RecordDialogOptions<T> {
  /** Collection path, '/brands'. */
  base: string
  /** Field paths shown next to an input; other problems go to the banner. */
  fields: string[]
  blank: () => T
  canWrite: () => boolean
  /** What to send; the form as it is by default. */
  body?: (form: T) => T
  /** After a save, before the dialog closes or clears: reload the list. */
  saved: () => unknown
  /** "Save and new": clear the form for the next record (reset(null) by default). */
  again?: (body: T) => void
}

export interface DialogState<T> {
  open: boolean
  /** The record being edited; null for a new one. */
  editing: T | null
  busy: boolean
  /** Idempotency-Key of the current attempt, renewed after a success. */
  key: string
  /** The record changed on the server since it was read (409 version). */
  stale: boolean
  /** A problem no input shows. */
  message: string
}

export function useRecordDialog<T extends { id?: number }>(opts: RecordDialogOptions<T>) {
  const { t } = useI18n()
  const form = reactive(opts.blank()) as T
  const dlg: DialogState<T> = reactive({ open: false, editing: null, busy: false, key: newKey(), stale: false, message: '' }) as DialogState<T>
  const errors = ref<Record<string, string>>({})
  /** The first input, focused after "save and new". */
  const firstInput: Ref<{ focus: () => void } | null> = ref(null)

  /** Fill the form with the record (blank for a new one, plus init) and start a fresh attempt. */
  function reset(rec: T | null, init: Partial<T> = {}) {
    Object.assign(form, opts.blank(), rec || {}, init)
    dlg.editing = rec
    dlg.stale = false
    dlg.message = ''
    dlg.key = newKey()
    errors.value = {}
  }
  function openNew() {
    reset(null)
    dlg.open = true
  }
  /** Show the row at once, then what the server has now. */
  async function openEdit(row: T) {
    reset(row)
    dlg.open = true
    try {
      reset(await api<T>('GET', `${opts.base}/${row.id}`))
    } catch (e) {
      fail(e)
    }
  }
  /** After a stale warning: read the record again. */
  async function reload() {
    if (dlg.editing) await openEdit(dlg.editing)
  }

  function fail(e: unknown) {
    if (e instanceof ApiError) {
      if (e.status === 409 && e.fields.some((f) => f.field === 'version')) {
        dlg.stale = true
        return
      }
      errors.value = e.byField()
      dlg.message = e.fields.some((f) => opts.fields.includes(f.field)) ? '' : e.message
    } else dlg.message = t('error.network')
  }

  async function save(andNew = false) {
    if (!opts.canWrite() || dlg.busy) return
    dlg.busy = true
    errors.value = {}
    dlg.message = ''
    try {
      const body = opts.body ? opts.body(form as T) : ({ ...form } as T)
      if (dlg.editing) await api<T>('PUT', `${opts.base}/${dlg.editing.id}`, body, { key: dlg.key })
      else await api<T>('POST', opts.base, body, { key: dlg.key })
      ElMessage.success(t('list.saved'))
      await opts.saved()
      if (andNew) {
        if (opts.again) opts.again(body)
        else reset(null)
        await nextTick()
        firstInput.value?.focus()
      } else dlg.open = false
    } catch (e) {
      fail(e)
    } finally {
      dlg.busy = false
    }
  }

  return { form, dlg, errors, firstInput, reset, openNew, openEdit, reload, save }
}
