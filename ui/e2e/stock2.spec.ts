// The stock screens beyond the basics, against a real jxc with the demo
// company: a clerk counts a warehouse by scanning (one item short: the
// server refuses to post while a line is uncounted, then posts the loss and
// the balance drops), ships a two-step transfer that waits in 在途 and is
// received there, prints it, and tries an Excel import of opening stock
// whose every bad row is listed. The count screen is looked at on a phone
// and in English too. Two fresh warehouses keep the sheet small and the
// spec independent of the others. No console errors except the refusals
// the steps expect.
import { test, expect, type Page, type Locator } from '@playwright/test'
import { mkdirSync, readFileSync } from 'node:fs'
import { SHOTS, adminAPI, get, post, signIn, watchedPage } from './support'

mkdirSync(SHOTS, { recursive: true })

const stamp = Date.now().toString(36).toUpperCase().slice(-5)
const WH_A = '盘点仓' + stamp
const WH_B = '门店仓' + stamp
const A = { code: 'PDA-' + stamp, name: '盘点测试苹果汁' + stamp, ean: '69' + String(Date.now()).slice(-10) + '3' }
const B = { code: 'PDB-' + stamp, name: '盘点测试橙汁' + stamp, ean: '69' + String(Date.now()).slice(-10) + '4' }
const CLERK = 'counter' + stamp.toLowerCase()
const CLERK_PASSWORD = 'count-pass-' + stamp + '-1'

test.describe.configure({ mode: 'serial' })

let page: Page
const problems: string[] = []
// Chromium logs every 4xx response as a console error. A step that expects
// one (a stocktake refused while uncounted, a bad import) names it here.
const expectedStatus = new Set<number>()
let stocktakeNumber = ''
let transferNumber = ''

test.beforeAll(async ({ browser }, info) => {
  // The administrator sets the stage through the API: two warehouses, two
  // items with stock in the first, and a clerk with the 仓管员 role.
  const api = await adminAPI(String(info.project.use.baseURL))
  const me = await get(api, '/auth/me')
  const bottle = (await get(api, '/units?q=BOTTLE&archived=all')).items.find((u: { code: string }) => u.code === 'BOTTLE').id
  const wa = await post(api, '/warehouses', { code: 'PA' + stamp, name: WH_A, name_en: 'Count ' + stamp })
  await post(api, '/warehouses', { code: 'PB' + stamp, name: WH_B, name_en: 'Shop ' + stamp })
  const ia = await post(api, '/items', { code: A.code, name: A.name, spec: '1L', base_unit_id: bottle, barcode: A.ean, tracking: 'none', purchase_price: '6' })
  const ib = await post(api, '/items', { code: B.code, name: B.name, spec: '1L', base_unit_id: bottle, barcode: B.ean, tracking: 'none', purchase_price: '5.5' })
  await post(api, '/stock/documents?post=true', {
    type: 'stock_opening', warehouse_id: wa.id, note: 'e2e',
    lines: [{ item_id: ia.id, qty: '5', price: '6' }, { item_id: ib.id, qty: '3', price: '5.5' }],
  })
  const roles = await get(api, '/roles?limit=100')
  const role = roles.items.find((r: { code: string }) => r.code === 'warehouse')
  await post(api, '/users', {
    username: CLERK, display_name: '盘点员小李', password: CLERK_PASSWORD, language: 'zh-CN', active: true,
    roles: [{ company_id: me.company_id, role_id: role.id }],
  })
  await api.dispose()

  page = await watchedPage(browser, problems, expectedStatus)
})

test.afterAll(() => {
  expect(problems, 'no console errors during the browser tests').toEqual([])
})

async function shot(name: string) {
  await page.waitForLoadState('networkidle')
  await expect(page.locator('.el-loading-mask:visible')).toHaveCount(0)
  await page.waitForTimeout(300) // let row highlights fade and popovers settle
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: false })
}

async function pick(select: Locator, text: string) {
  await select.click()
  const option = page.locator('.el-popper[aria-hidden="false"] .el-select-dropdown__item').filter({ hasText: text }).first()
  await option.click()
  await expect(page.locator('.el-popper[aria-hidden="false"] .el-select-dropdown')).toHaveCount(0)
}

/** A barcode gun: fast keys ending with Enter, into a scan field. */
async function scan(field: string, code: string, delay = 5) {
  await page.locator(`input[data-test=${field}]`).click()
  await page.keyboard.type(code, { delay })
  await page.keyboard.press('Enter')
}

/** Barcode lookups answer slowly until the returned function is called. */
async function slowLookups() {
  const url = '**/api/v1/items/by-barcode/**'
  await page.route(url, async (r) => {
    await new Promise((done) => setTimeout(done, 400))
    await r.continue()
  })
  return () => page.unroute(url)
}

async function openMenu(title: string) {
  await page.locator('.aside .el-menu-item').filter({ hasText: new RegExp('^\\s*' + title + '\\s*$') }).click()
}

async function confirmBox() {
  const box = page.locator('.el-message-box')
  await expect(box).toBeVisible()
  await box.locator('.el-message-box__btns .el-button--primary').click()
  await expect(box).toBeHidden()
}

const line = (name: string) => page.locator('[data-test=stocktake-lines] .el-table__body tr').filter({ hasText: name })

test('the clerk starts a stocktake of one warehouse', async () => {
  await signIn(page, CLERK, CLERK_PASSWORD)
  const menu = page.locator('.aside')
  for (const entry of ['库存盘点', '在途调拨', '库存预警', '序列号追踪', '组装单', '拆卸单', '物料清单', '月结']) {
    await expect(menu.getByText(entry, { exact: true })).toBeVisible()
  }
  await openMenu('库存盘点')
  await expect(page).toHaveURL(/\/stock\/stocktakes$/)
  await pick(page.locator('[data-test=stocktake-warehouse]'), WH_A)
  await shot('t01-stocktake-new')
  await page.locator('[data-test=stocktake-start]').click()

  await expect(page).toHaveURL(/\/stock\/stocktakes\/\d+$/)
  stocktakeNumber = (await page.locator('[data-test=doc-number]').textContent()) || ''
  expect(stocktakeNumber).toMatch(/^PD\d{8}-\d{4}$/)
  await expect(page.locator('[data-test=doc-state]')).toHaveText('草稿')
  await expect(page.locator('[data-test=stocktake-progress]')).toContainText('已盘 0 / 2 行')
  await expect(line(A.name).locator('[data-test=stocktake-book]')).toHaveText('5')
  await expect(line(B.name).locator('[data-test=stocktake-book]')).toHaveText('3')
})

test('counting by scanning; posting is refused while a line is uncounted', async () => {
  // Five bottles of A on the shelf: five scans, the later ones typed at a
  // hand's pace while the first is still being looked up on a slow network.
  const fast = await slowLookups()
  await scan('stocktake-scan', A.ean)
  for (let i = 0; i < 4; i++) await scan('stocktake-scan', A.ean, 60)
  await fast()
  await expect(line(A.name).locator('input[data-test=stocktake-count]')).toHaveValue('5')
  await expect(line(A.name).locator('[data-test=stocktake-variance]')).toHaveText('0')
  await expect(page.locator('[data-test=stocktake-last]')).toContainText(A.name)
  await expect(page.locator('[data-test=stocktake-progress]')).toContainText('已盘 1 / 2 行')

  // B not counted yet: the server refuses and says why; the screen offers the uncounted lines.
  expectedStatus.add(409)
  const refused = page.waitForResponse((r) => /\/stock\/documents\/\d+\/post$/.test(r.url()))
  await page.locator('[data-test=doc-post]').click()
  await confirmBox()
  expect((await refused).status()).toBe(409)
  const banner = page.locator('[data-test=stocktake-error]')
  await expect(banner).toContainText('还有 1 行没有盘点')
  await shot('t02-stocktake-uncounted')
  expectedStatus.delete(409)
  await banner.locator('[data-test=stocktake-show-uncounted]').click()
  await expect(page.locator('[data-test=stocktake-lines] .el-table__body tr')).toHaveCount(1)
  await expect(line(B.name)).toHaveCount(1)

  // A count typed by hand, then counted again (重盘) by scanning: two bottles of B, one is missing.
  await line(B.name).locator('input[data-test=stocktake-count]').fill('1')
  await line(B.name).locator('input[data-test=stocktake-count]').press('Enter')
  await expect(page.locator('[data-test=stocktake-progress]')).toContainText('已盘 2 / 2 行')
  await page.locator('[data-test=stocktake-filter] label').filter({ hasText: '全部' }).click()
  await expect(line(B.name).locator('[data-test=stocktake-variance]')).toHaveText('-2')
  await line(B.name).locator('[data-test=stocktake-recount]').click()
  await expect(line(B.name).locator('input[data-test=stocktake-count]')).toHaveValue('')
  await expect(page.locator('[data-test=stocktake-progress]')).toContainText('已盘 1 / 2 行')
  await scan('stocktake-scan', B.ean)
  await scan('stocktake-scan', B.ean)
  await expect(line(B.name).locator('input[data-test=stocktake-count]')).toHaveValue('2')
  await expect(line(B.name).locator('[data-test=stocktake-variance]')).toHaveText('-1')
  await expect(page.locator('[data-test=stocktake-variance-count]')).toHaveText('差异 1 行')
  await page.locator('[data-test=stocktake-filter] label').filter({ hasText: '有差异' }).click()
  await expect(page.locator('[data-test=stocktake-lines] .el-table__body tr')).toHaveCount(1)
  await shot('t03-stocktake-variances')
  await page.locator('[data-test=stocktake-filter] label').filter({ hasText: '全部' }).click()
})

test('a counter on a phone sees the same sheet as cards', async () => {
  await page.setViewportSize({ width: 375, height: 760 })
  await page.reload()
  const cards = page.locator('[data-test=stocktake-lines] [data-test=stocktake-line]')
  await expect(cards).toHaveCount(2)
  await expect(cards.filter({ hasText: B.name }).locator('[data-test=stocktake-variance]')).toHaveText('-1')
  await scan('stocktake-scan', A.ean) // one more A: 6, a gain of 1 …
  await expect(cards.filter({ hasText: A.name }).locator('input[data-test=stocktake-count]')).toHaveValue('6')
  await shot('t04-stocktake-375')
  // … was a mistake: type the right count back.
  const input = cards.filter({ hasText: A.name }).locator('input[data-test=stocktake-count]')
  await input.fill('5')
  await input.press('Enter')
  await expect(cards.filter({ hasText: A.name }).locator('[data-test=stocktake-variance]')).toHaveText('0')
  await page.setViewportSize({ width: 1366, height: 800 })
})

test('posting books the loss and the balance drops', async () => {
  await page.locator('[data-test=doc-post]').click()
  await confirmBox()
  await expect(page.locator('[data-test=doc-state]')).toHaveText('已过账')
  await expect(page.locator('[data-test=stocktake-summary]')).toContainText('盘亏 1 行')
  await expect(page.locator('[data-test=stocktake-scan]')).toHaveCount(0)
  await expect(line(B.name).locator('[data-test=stocktake-variance]')).toHaveText('-1')
  await shot('t05-stocktake-posted')

  await openMenu('库存查询')
  await pick(page.locator('[data-test=balances-warehouse]'), WH_A)
  await page.locator('input[data-test=list-search]').fill(B.code)
  const row = page.locator('.data-list .el-table__body tr').filter({ hasText: B.code })
  // The search has answered (the warehouse's list before it had B too).
  await expect(page.locator('.data-list .el-table__body tr')).toHaveCount(1)
  await expect(row).toHaveCount(1)
  const header = await page.locator('.data-list .el-table__header th').allTextContents()
  await expect(row.locator('td').nth(header.findIndex((h) => h.includes('现存量')))).toHaveText('2')

  // The ledger shows the loss as the stocktake's.
  // A click while the list is still loading lands on its mask.
  await expect(page.locator('.el-loading-mask:visible')).toHaveCount(0)
  await row.click()
  await expect(page.locator('[data-test=ledger-table]')).toContainText(stocktakeNumber)
  await expect(page.locator('[data-test=ledger-table] [data-test=ledger-balance]')).toHaveText(['0', '3', '2', '2'])
})

test('a two-step transfer ships into transit', async () => {
  await openMenu('调拨单')
  await expect(page.locator('input[data-test=doc-scan]')).toBeFocused() // the screen has loaded and placed the cursor
  await pick(page.locator('[data-test=doc-warehouse]'), WH_A)
  // The switch waits for a second, different warehouse.
  await expect(page.locator('[data-test=doc-two-step]')).toHaveClass(/is-disabled/)
  // The clerk types the destination's code and presses Enter: it is taken.
  await page.locator('[data-test=doc-to-warehouse]').click()
  await page.keyboard.type('PB' + stamp, { delay: 20 })
  await expect(page.locator('.el-popper[aria-hidden="false"] .el-select-dropdown__item')).toHaveCount(1)
  await page.keyboard.press('Enter')
  await expect(page.locator('[data-test=doc-to-warehouse]')).toContainText(WH_B)
  await page.locator('[data-test=doc-two-step]').click()
  await expect(page.locator('[data-test=doc-two-step]')).toHaveClass(/is-checked/)
  // A code the shop does not know is named in the warning; the field is
  // empty for the next scan, which (on a slow network, typed by hand) is
  // taken whole.
  expectedStatus.add(404)
  await scan('doc-scan', 'NO-SUCH-CODE')
  await expect(page.locator('.el-message--warning')).toContainText('NO-SUCH-CODE')
  expectedStatus.delete(404)
  await expect(page.locator('input[data-test=doc-scan]')).toHaveValue('')
  const fast = await slowLookups()
  await scan('doc-scan', A.ean)
  await scan('doc-scan', A.ean, 60)
  await fast()
  await expect(page.locator('input[data-test=line-qty-0]')).toHaveValue('2')
  await shot('t06-transfer-two-step')
  await page.locator('[data-test=doc-post]').click()
  await confirmBox()
  await expect(page.locator('[data-test=doc-state]')).toHaveText('已过账')
  transferNumber = (await page.locator('[data-test=doc-number]').textContent()) || ''
  await expect(page.locator('[data-test=doc-two-step-tag]')).toHaveText('两步调拨')
  await expect(page.locator('[data-test=doc-in-transit]')).toContainText(WH_B)
  await expect(page.locator('[data-test=doc-receive]')).toBeVisible()
  await expect(page.locator('[data-test=doc-reverse]')).toBeVisible()

  // 打印 opens the PDF in a new tab.
  const popup = page.waitForEvent('popup')
  await page.locator('[data-test=doc-print] .el-button').first().click()
  const tab = await popup
  expect(tab.url()).toMatch(/\/api\/v1\/stock\/documents\/\d+\/pdf\?lang=zh-CN$/)
  await tab.close()
  await shot('t07-transfer-in-transit')
})

test('在途 lists it until it is received', async () => {
  await openMenu('在途调拨')
  const row = page.locator('[data-test=transit-table] .el-table__body tr').filter({ hasText: transferNumber })
  await expect(row).toHaveCount(1)
  await expect(row).toContainText(WH_A)
  await expect(row).toContainText(WH_B)
  await shot('t08-in-transit')

  await row.locator('[data-test=transit-receive]').click()
  const dialog = page.locator('[data-test=receive-dialog]')
  await expect(dialog).toBeVisible()
  await expect(dialog).toContainText(transferNumber)
  await shot('t09-receive-dialog')
  await dialog.locator('[data-test=receive-confirm]').click()
  await expect(dialog).toBeHidden()
  await expect(page.locator('.el-message--success').filter({ hasText: '已收货' })).toBeVisible()
  await expect(row).toHaveCount(0)

  // The transfer names its receipt, and the receipt its transfer.
  await openMenu('出入库单据')
  await page.locator('input[data-test=list-search]').fill(transferNumber)
  const docs = page.locator('.data-list .el-table__body tr')
  await expect(docs).toHaveCount(2) // the transfer, and its receipt (whose note is the transfer's number)
  await docs.filter({ hasText: '两步调拨' }).click()
  await expect(page.locator('[data-test=doc-number]')).toHaveText(transferNumber)
  await expect(page.locator('[data-test=doc-receive]')).toHaveCount(0)
  await expect(page.locator('[data-test=doc-reverse]')).toHaveCount(0) // the receipt is reversed first
  const receipt = page.locator('[data-test=doc-receipt-link]')
  await expect(receipt).toHaveText(/^DB\d{8}-\d{4}$/)
  await receipt.click()
  await expect(page.locator('[data-test=doc-receipt-of]')).toBeVisible()
  await expect(page.locator('[data-test=doc-source-link]')).toHaveText(transferNumber)
  await shot('t10-receipt')

  // Two bottles of A are now in the shop.
  await openMenu('库存查询')
  await pick(page.locator('[data-test=balances-warehouse]'), WH_B)
  await page.locator('input[data-test=list-search]').fill(A.code)
  const bal = page.locator('.data-list .el-table__body tr').filter({ hasText: A.code })
  await expect(bal).toHaveCount(1)
  const header = await page.locator('.data-list .el-table__header th').allTextContents()
  await expect(bal.locator('td').nth(header.findIndex((h) => h.includes('现存量')))).toHaveText('2')
})

test('an Excel import of opening stock lists every bad row', async () => {
  await openMenu('出入库单据')
  await page.locator('[data-test=docs-import]').click()
  const dialog = page.locator('[data-test=import-dialog]')
  await expect(dialog).toBeVisible()
  const download = page.waitForEvent('download')
  await dialog.locator('[data-test=import-template]').click()
  const file = await (await download).path()
  expect(file).toBeTruthy()
  await pick(dialog.locator('[data-test=import-warehouse]'), WH_B)
  // The template's example rows name items that do not exist, and a bin this warehouse lacks: all is reported, nothing imported.
  await dialog.locator('input[data-test=import-input]').setInputFiles({ name: 'opening.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: readFileSync(file!) })
  await expect(dialog.locator('[data-test=import-file]')).toHaveText('opening.xlsx')
  expectedStatus.add(400)
  await dialog.locator('[data-test=import-run]').click()
  const errors = dialog.locator('[data-test=import-errors] li')
  await expect(errors).toHaveCount(3)
  await expect(errors.nth(0)).toContainText('行 2 › 商品编码')
  await expect(errors.nth(1)).toContainText('行 3 › 商品编码')
  await expect(errors.nth(2)).toContainText('行 3 › 货位编码')
  await shot('t11-import-errors')
  expectedStatus.delete(400)
  await dialog.locator('.el-dialog__footer .el-button').first().click()
  await expect(dialog).toBeHidden()
})

test('the same screens in English', async () => {
  await page.evaluate(() => localStorage.setItem('jxc.lang', 'en'))
  await page.goto('/stock/stocktakes')
  await expect(page.locator('h2')).toContainText('Stocktake')
  await shot('t12-stocktake-start-en')
  await page.goto('/stock/documents?type=stocktake')
  await page.locator('input[data-test=list-search]').fill(stocktakeNumber)
  await page.locator('.data-list .el-table__body tr').filter({ hasText: stocktakeNumber }).click()
  await expect(page.locator('[data-test=doc-state]')).toHaveText('Posted')
  await expect(page.locator('[data-test=stocktake-summary]')).toContainText('Losses: 1 line')
  await shot('t13-stocktake-posted-en')
  await page.setViewportSize({ width: 375, height: 760 })
  await shot('t14-stocktake-posted-375-en')
  await page.setViewportSize({ width: 1366, height: 800 })
  await page.goto('/stock/in-transit')
  await expect(page.locator('h2')).toContainText('In transit')
  await page.evaluate(() => localStorage.setItem('jxc.lang', 'zh-CN'))
})
