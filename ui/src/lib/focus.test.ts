import { describe, expect, it } from 'vitest'
import { movedIntoDialog, type Focused } from './focus'

/** An element with these classes, inside a dialog or not. */
function el(classes: string[], inDialog: boolean): Focused {
  return {
    classList: { contains: (c: string) => classes.includes(c) },
    closest: (sel: string) => (sel === '.el-dialog' && (inDialog || classes.includes('el-dialog')) ? {} : null),
  }
}

describe('movedIntoDialog', () => {
  it('is false while the cursor is on the page behind the dialog', () => {
    expect(movedIntoDialog(el(['el-button'], false))).toBe(false)
    expect(movedIntoDialog(null)).toBe(false)
  })
  it('is false on the dialog itself, where its focus trap puts the cursor', () => {
    expect(movedIntoDialog(el(['el-dialog'], true))).toBe(false)
  })
  it('is true once the person clicked into a field of the dialog', () => {
    expect(movedIntoDialog(el(['el-input__inner'], true))).toBe(true)
  })
})
