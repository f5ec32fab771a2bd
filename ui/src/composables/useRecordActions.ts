// Archive, restore and delete for one kind of master record, as every list
// and edit screen offers them: a confirmation, the call, a toast, a reload.
// A delete the server refuses with 409 in_use (the record is referenced)
// turns into an offer to archive it instead. Failures are reported as a
// toast; a cancelled confirmation is silent.
import { useI18n } from 'vue-i18n'
import { ElMessage, ElMessageBox } from 'element-plus'
import { api, ApiError } from '../api/client'

export interface RecordActionOptions<T> {
  /** Refresh what the user sees after archive, restore and delete. */
  reload: () => unknown
  /** After a delete, when it differs from reload (an edit screen leaves). */
  afterDelete?: () => unknown
  /** The name in the confirmations; the record's name by default. */
  label?: (row: T) => string
  /** i18n key ({name}) of the offer to archive a record still in use. */
  inUseKey?: string
  /** i18n key ({name}) of a confirmation before restoring; none when unset. */
  confirmRestoreKey?: string
  /**
   * Catalog style (the default): the confirmations carry a title and the
   * delete button is red. The partner and price-list screens use plain boxes.
   */
  titled?: boolean
}

/**
 * `base` is the collection path ('/brands'), or a function of it when it
 * changes (a warehouse's bins).
 */
export function useRecordActions<T extends { id?: number; name?: string }>(base: string | (() => string), opts: RecordActionOptions<T>) {
  const { t } = useI18n()
  const titled = opts.titled ?? true
  const path = (row: T) => `${typeof base === 'string' ? base : base()}/${row.id}`
  const label = (row: T) => (opts.label ? opts.label(row) : row.name)

  function confirm(message: string, title: string, options: Record<string, unknown>) {
    return titled ? ElMessageBox.confirm(message, title, options) : ElMessageBox.confirm(message, options)
  }

  /** A cancelled confirmation rejects with 'cancel' or 'close': say nothing. */
  function report(e: unknown) {
    if (e instanceof ApiError) ElMessage.error(e.message)
    else if (e instanceof Error) ElMessage.error(t('error.network'))
  }

  async function doArchive(row: T) {
    await api('POST', `${path(row)}/archive`)
    ElMessage.success(t('list.archivedDone'))
    await opts.reload()
  }

  async function archive(row: T, ask = true) {
    try {
      if (ask) await confirm(t('list.confirmArchive', { name: label(row) }), t('action.archive'), { type: 'warning' })
      await doArchive(row)
    } catch (e) {
      report(e)
    }
  }

  async function restore(row: T) {
    try {
      if (opts.confirmRestoreKey) await confirm(t(opts.confirmRestoreKey, { name: label(row) }), t('action.restore'), { type: 'info' })
      await api('POST', `${path(row)}/restore`)
      ElMessage.success(t('list.restoredDone'))
      await opts.reload()
    } catch (e) {
      report(e)
    }
  }

  async function remove(row: T) {
    try {
      await confirm(t('list.confirmDelete', { name: label(row) }), t('action.delete'), titled ? { type: 'warning', confirmButtonClass: 'el-button--danger' } : { type: 'warning' })
      try {
        await api('DELETE', path(row))
        ElMessage.success(t('list.deleted'))
        await (opts.afterDelete ?? opts.reload)()
      } catch (e) {
        if (!(e instanceof ApiError && e.code === 'in_use')) throw e
        await confirm(t(opts.inUseKey ?? 'catalog.inUseArchive', { name: label(row) }), t('action.archive'), { type: 'warning', confirmButtonText: t('action.archive') })
        await doArchive(row)
      }
    } catch (e) {
      report(e)
    }
  }

  /** The row's "more" dropdown: archive, restore or delete. */
  async function command(cmd: string, row: T) {
    if (cmd === 'archive') await archive(row)
    else if (cmd === 'restore') await restore(row)
    else if (cmd === 'delete') await remove(row)
  }

  return { archive, restore, remove, command }
}
