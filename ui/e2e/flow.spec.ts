// The web app as a person uses it, against a real jxc with the demo company:
// first run → sign in → an item with two units and a 颜色×尺码 matrix →
// found by pinyin initials and by a scanned barcode → the same screen in
// English → the list exported and opened → barcode labels with the Chinese
// name → a phone-sized lookup. No console errors anywhere.
import { test, expect, type Page, type Locator } from '@playwright/test'
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { PASSWORD, SHOTS, USER, signIn, watchedPage } from './support'

mkdirSync(SHOTS, { recursive: true })

const stamp = Date.now().toString(36).toUpperCase().slice(-5)
const CODE = 'E2E-' + stamp
const NAME = '测试纯棉圆领衫' // 助记码 cscmyls
const EAN = '2' + String(Date.now()).slice(-11) // 12 digits; the server accepts any barcode text
const CARTON = '19' + String(Date.now()).slice(-11)

test.describe.configure({ mode: 'serial' })

let page: Page
const problems: string[] = []
// Chromium logs every 4xx response as a console error. A step that expects
// one (a delete refused with 409 in_use) names the status here.
const expectedStatus = new Set<number>()

test.beforeAll(async ({ browser }) => {
  page = await watchedPage(browser, problems, expectedStatus)
})

test.afterAll(() => {
  expect(problems, 'no console errors during the browser tests').toEqual([])
})

async function shot(name: string) {
  await page.waitForLoadState('networkidle')
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: false })
}

async function pick(select: Locator, text: string) {
  await select.click()
  // Only the dropdown that is open now: closed ones stay in the DOM while they fade.
  const option = page.locator('.el-popper[aria-hidden="false"] .el-select-dropdown__item').filter({ hasText: new RegExp('^\\s*' + text + '\\s*$') }).first()
  await option.click()
  await expect(page.locator('.el-popper[aria-hidden="false"] .el-select-dropdown')).toHaveCount(0)
}

test('first run creates the administrator; sign out and in again', async () => {
  await page.goto('/')
  await expect(page).toHaveURL(/\/(setup|login)/)
  if (/\/setup$/.test(page.url())) {
    await shot('01-setup-zh')
    await page.locator('input[name=username]').fill(USER)
    await page.locator('input[name=password]').fill(PASSWORD)
    await page.locator('[data-test=setup-submit]').click()
  } else {
    // Another spec ran first on this server and created the administrator.
    await signIn(page, USER, PASSWORD)
  }
  await expect(page).toHaveURL(/\/$/)
  await expect(page.getByText('演示商贸有限公司').first()).toBeVisible()

  await page.locator('[data-test=user-menu]').click()
  await page.locator('[data-test=logout]').click()
  await expect(page).toHaveURL(/\/login/)
  await page.locator('input[name=username]').fill(USER)
  await page.locator('input[name=password]').fill(PASSWORD)
  await shot('02-login-zh')
  await page.locator('[data-test=login-submit]').click()
  await expect(page).toHaveURL(/\/$/)
  await shot('03-home-zh')
})

test('create an item with two units and a colour × size matrix', async () => {
  await page.goto('/data/items/new')
  await page.locator('input[data-test=item-code]').fill(CODE)
  await page.locator('input[data-test=item-name]').fill(NAME)
  await pick(page.locator('[data-test=item-base-unit]'), '件')
  await page.locator('input[data-test=item-retail-price]').fill('59')
  await page.locator('input[data-test=item-wholesale-price]').fill('45')
  await page.locator('input[data-test=item-purchase-price]').fill('30')

  await page.locator('[data-test=unit-add]').click()
  await pick(page.locator('[data-test=unit-select-0]'), '盒')
  await page.locator('input[data-test=unit-factor-0]').fill('3')
  await page.locator('[data-test=unit-add]').click()
  await pick(page.locator('[data-test=unit-select-1]'), '箱')
  await page.locator('input[data-test=unit-factor-1]').fill('24')
  await expect(page.getByText('1 箱 = 24 件')).toBeVisible()

  await page.locator('[data-test=item-variants-switch]').click()
  await page.locator('input[data-test=attr-draft-0]').fill('白:WHT 黑:BLK')
  await page.locator('input[data-test=attr-draft-0]').press('Enter')
  await page.locator('input[data-test=attr-draft-1]').fill('S M L')
  await page.locator('input[data-test=attr-draft-1]').press('Enter')
  const matrix = page.locator('[data-test=variant-matrix]')
  await expect(matrix.getByText(CODE + '-WHT-01')).toBeVisible()
  await expect(matrix.getByText(CODE + '-BLK-03')).toBeVisible()
  await matrix.scrollIntoViewIfNeeded()
  await shot('04-item-new-matrix-zh')

  await page.locator('[data-test=item-save]').click()
  await expect(page).toHaveURL(/\/data\/items\/\d+$/)
  const kids = page.locator('[data-test=item-children] .el-table__body tr')
  await expect(kids).toHaveCount(6)
  await shot('05-item-template-zh')

  // Barcodes belong to the sellable variants: open the first and scan its
  // piece and carton barcodes in, as a clerk with a barcode gun would.
  await kids.first().locator('a').click()
  await expect(page.locator('input[data-test=item-code]')).toHaveValue(CODE + '-WHT-01')
  await page.locator('input[data-test=item-barcode]').click()
  await page.keyboard.type(EAN, { delay: 5 })
  await page.keyboard.press('Enter')
  await page.locator('input[data-test=unit-barcode-1]').click()
  await page.keyboard.type(CARTON, { delay: 5 })
  await page.keyboard.press('Enter')
  await expect(page.locator('input[data-test=unit-barcode-1]')).toHaveValue(CARTON)
  const saved = page.waitForResponse((r) => r.request().method() === 'PUT' && r.ok())
  await page.locator('[data-test=item-save]').click()
  await saved
})

test('find it by pinyin initials and by a scanned carton barcode', async () => {
  await page.goto('/data/items')
  await page.locator('input[data-test=list-search]').fill('cscmyls')
  await expect(page.locator('.data-list .el-table__body tr').filter({ hasText: CODE }).first()).toBeVisible()
  await expect(page.locator('.data-list .el-table__body tr').filter({ hasText: CODE + '-WHT-01' })).toBeVisible()
  await shot('06-items-search-zh')

  const url = page.url()
  const scan = page.locator('input[data-test=items-scan]')
  await scan.click()
  await page.keyboard.type(CARTON, { delay: 5 }) // a barcode gun types fast and ends with Enter
  await page.keyboard.press('Enter')
  await expect(page).not.toHaveURL(url)
  await expect(page.locator('input[data-test=item-code]')).toHaveValue(CODE + '-WHT-01')
})

test('switch to English and see the same screen translated', async () => {
  await page.goto('/data/items')
  await expect(page.locator('.el-table__header').getByText('编码')).toBeVisible()
  await page.locator('[data-test=lang-switch]').click()
  await page.locator('.el-dropdown-menu__item:visible').filter({ hasText: 'English' }).click()
  await expect(page.locator('.el-table__header').getByText('Code', { exact: true })).toBeVisible()
  await expect(page.locator('.el-breadcrumb').getByText('Items')).toBeVisible()
  await shot('07-items-en')
  await page.locator('[data-test=lang-switch]').click()
  await page.locator('.el-dropdown-menu__item:visible').filter({ hasText: '中文' }).click()
  await expect(page.locator('.el-table__header').getByText('编码')).toBeVisible()
})

test('export the list to Excel and CSV and open the files', async () => {
  await page.goto('/data/items')
  await page.locator('input[data-test=list-search]').fill(CODE)
  await expect(page.locator('.data-list .el-table__body tr').first()).toContainText(CODE)

  await page.locator('[data-test=list-export]').click()
  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=export-xlsx]').click()])
  const xlsxPath = `e2e/output/${xlsx.suggestedFilename()}`
  await xlsx.saveAs(xlsxPath)
  expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/)
  const strings = execFileSync('unzip', ['-p', xlsxPath]).toString() // every part of the workbook
  expect(strings).toContain(NAME)
  expect(strings).toContain(CODE + '-BLK-03')
  // Prices are numbers Excel can add up (59.00 → 59, shown as 59.00), not text.
  expect(strings).toMatch(/<c r="[A-Z]+\d+" s="\d+"><v>59<\/v><\/c>/)

  await page.locator('[data-test=list-export]').click()
  const [csv] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=export-csv]').click()])
  const csvPath = `e2e/output/${csv.suggestedFilename()}`
  await csv.saveAs(csvPath)
  const text = readFileSync(csvPath, 'utf8')
  expect(text.charCodeAt(0)).toBe(0xfeff) // BOM: Excel opens it as UTF-8
  expect(text).toContain(NAME)
})

test('print barcode labels: the PDF carries the Chinese name', async () => {
  await page.goto('/data/items')
  await page.locator('input[data-test=items-scan]').click()
  await page.keyboard.type(EAN, { delay: 5 })
  await page.keyboard.press('Enter')
  await expect(page.locator('input[data-test=item-code]')).toHaveValue(CODE + '-WHT-01')
  await page.locator('[data-test=item-labels]').click()
  const dialog = page.locator('[data-test=label-dialog]')
  await expect(dialog.getByText(CODE + '-WHT-01')).toBeVisible()
  await dialog.locator('[data-test=label-count-0] input').fill('3')
  await page.waitForTimeout(400) // let the dialog finish opening before the screenshot
  await shot('08-labels-zh')
  // The PDF opens in a new tab, as a person would print it from there.
  const [popup] = await Promise.all([page.waitForEvent('popup'), dialog.locator('[data-test=label-print]').click()])
  const blobURL = popup.url()
  expect(blobURL).toMatch(/^blob:/)
  const bytes = await page.evaluate(async (u) => Array.from(new Uint8Array(await (await fetch(u)).arrayBuffer())), blobURL)
  const file = 'e2e/output/labels.pdf'
  writeFileSync(file, Buffer.from(bytes))
  expect(Buffer.from(bytes).subarray(0, 4).toString()).toBe('%PDF')
  const text = execFileSync('pdftotext', ['-layout', file, '-']).toString()
  expect(text).toContain(NAME)
  expect(text.split(NAME).length - 1).toBe(3)
  await popup.close()
})

test('small master data: a brand is created, archived and deleted; a unit in use is archived instead', async () => {
  const brand = 'E2E品牌' + stamp
  await page.goto('/data/brands')
  await page.locator('[data-test=brand-new]').click()
  const dlg = page.locator('[data-test=brand-dialog]')
  await dlg.locator('input[data-test=brand-code]').fill('B' + stamp)
  await dlg.locator('input[data-test=brand-name]').fill(brand)
  await dlg.locator('[data-test=brand-save]').click()
  const row = page.locator('.data-list .el-table__body tr').filter({ hasText: brand })
  await page.locator('input[data-test=list-search]').fill(brand)
  await expect(row).toHaveCount(1)

  // Archive: it leaves the active list.
  await row.locator('[data-test=brand-more]').click()
  await page.locator('.el-dropdown-menu__item:visible[data-test=brand-archive]').click()
  await page.locator('.el-message-box__btns .el-button--primary').click()
  await expect(row).toHaveCount(0)

  // Deleted from the archived list (nothing refers to it).
  await page.locator('[data-test=list-archived]').click()
  await page.locator('.el-popper[aria-hidden="false"] .el-select-dropdown__item').filter({ hasText: '已停用' }).click()
  await expect(row).toHaveCount(1)
  await row.locator('[data-test=brand-more]').click()
  await page.locator('.el-dropdown-menu__item:visible[data-test=brand-delete]').click()
  await page.locator('.el-message-box__btns .el-button--primary').click()
  await expect(row).toHaveCount(0)

  // 瓶 is the base unit of many demo items: deleting it offers archiving.
  expectedStatus.add(409)
  await page.goto('/data/units')
  await page.locator('input[data-test=list-search]').fill('BOTTLE')
  const unit = page.locator('.data-list .el-table__body tr').filter({ hasText: '瓶' })
  await expect(unit).toHaveCount(1)
  await unit.locator('[data-test=unit-more]').click()
  await page.locator('.el-dropdown-menu__item:visible[data-test=unit-delete]').click()
  await page.locator('.el-message-box__btns .el-button--primary').click()
  const offer = page.locator('.el-message-box').filter({ hasText: '已被引用' })
  await expect(offer).toBeVisible()
  await offer.locator('.el-message-box__btns .el-button:not(.el-button--primary)').click() // keep it
  await expect(unit).toHaveCount(1)
  expectedStatus.delete(409)
})

test('a phone-sized lookup shows the item card', async () => {
  await page.setViewportSize({ width: 375, height: 740 })
  await page.goto('/data/items')
  await page.locator('input[data-test=list-search]').fill('cscmyls')
  await expect(page.locator('.data-list .el-table__body tr').first()).toBeVisible()
  await shot('09-items-375')
  await page.locator('.data-list .el-table__body tr').filter({ hasText: CODE }).first().click()
  await expect(page.locator('input[data-test=item-code]')).toHaveValue(CODE)
  await shot('10-item-375')
  const width = await page.evaluate(() => document.documentElement.scrollWidth)
  expect(width, 'no sideways scrolling at 375 px').toBeLessThanOrEqual(380)
  await page.setViewportSize({ width: 1366, height: 800 })
})
