// Where a dialog puts the cursor once it has opened.
//
// Element Plus says "opened" when the dialog's animation ends, about 0.3 s
// after it appears. A quick clerk (or a browser test) may already have clicked
// into a field and started typing by then; moving the cursor to the first
// input at that moment sends the rest of the typing into the wrong field. So
// the first input takes the cursor only if the person has not moved it: the
// cursor is still on the page behind, or on the dialog itself, where the
// dialog's focus trap puts it when it opens.

/** What of the focused element the decision reads (an Element in the browser). */
export interface Focused {
  classList: { contains(token: string): boolean }
  closest(selector: string): unknown
}

/** The person has put the cursor in a field of a dialog. */
export function movedIntoDialog(active: Focused | null | undefined): boolean {
  if (!active || active.classList.contains('el-dialog')) return false
  return active.closest('.el-dialog') !== null
}

/** Focus (and select, for quick retyping) the target unless the person already moved into a field of the dialog. */
export function focusFirst(target: { focus: () => void; select?: () => void } | null | undefined, select = false) {
  if (!target || movedIntoDialog(document.activeElement)) return
  target.focus()
  if (select) target.select?.()
}

/**
 * The person is already typing in a field of the page (or has a drop-down of
 * it open): a screen that finished loading must not take the cursor away —
 * moving it would close the drop-down (an el-select closes on blur) or send
 * the rest of the typing into another field.
 */
export function typingInField(active: Element | null = document.activeElement): boolean {
  if (!active || active === document.body) return false
  const tag = active.tagName
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || (active as HTMLElement).isContentEditable === true
}
