// 零售单: the counter's sales and returns from the back office, against a
// real jxc with the demo company. A cashier rings up a sale (WeChat and
// cash with change) and takes one item back, through the API, at a store
// of this run's own; the owner opens 销售 → 零售单 from the menu, narrows
// it to the store, sees the sale with its cashier and total, the takings
// of the filtered list by payment method, opens the sale (its lines, its
// payments, the receipt printed again), then the return. The counter's
// 今日流水 reads a busy day a page at a time. Screens in Chinese at
// 1366 px and in English on a phone. A bookkeeper (会计) finds 零售单 too,
// but no counter to ring up at. No console errors.
import { test, expect, request, type Locator, type Page, type Response } from '@playwright/test'
import { mkdirSync } from 'node:fs'
import { PASSWORD, SHOTS, USER, adminAPI, get, pick as pickIn, post, shot as shotOf, signIn, watchedPage } from './support'

mkdirSync(SHOTS, { recursive: true })

const stamp = Date.now().toString(36).toUpperCase().slice(-5)
const STORE = '零售单测试店' + stamp
const BUSY = '零售单繁忙店' + stamp
const A = { code: 'CSA-' + stamp, name: '零售单测试饼干' + stamp }
const B = { code: 'CSB-' + stamp, name: '零售单测试果汁' + stamp }
const CASHIER = 'cs' + stamp.toLowerCase()
const CASHIER_NAME = '收银员小周' + stamp
const CASHIER_PASSWORD = 'counter-sales-' + stamp + '-1'
const BOOKKEEPER = 'bk' + stamp.toLowerCase()
const BOOKKEEPER_PASSWORD = 'counter-books-' + stamp + '-1'

test.describe.configure({ mode: 'serial' })

let page: Page
let baseURL = ''
const problems: string[] = []
const expectedStatus = new Set<number>()
const ids = { store: 0, busy: 0, a: 0 }
let sale = { id: 0, number: '' }
let ret = { id: 0, number: '' }

test.beforeAll(async ({ browser }, info) => {
  // A store with stock of two items, its till's accounts, and a cashier.
  baseURL = String(info.project.use.baseURL)
  const api = await adminAPI(baseURL)
  const me = await get(api, '/auth/me')
  const pcs = await post(api, '/units', { code: 'CS' + stamp, name: '件' + stamp.slice(-2), name_en: 'pc' })
  const item = (x: { code: string; name: string }, price: string) =>
    post(api, '/items', { code: x.code, name: x.name, base_unit_id: pcs.id, tracking: 'none', retail_price: price, purchase_price: '1', tax_rate: '13' })
  const a = await item(A, '3.50')
  const b = await item(B, '12.00')
  const store = await post(api, '/warehouses', { code: 'CS' + stamp, name: STORE, name_en: 'Counter store ' + stamp })
  const busy = await post(api, '/warehouses', { code: 'CSB' + stamp, name: BUSY, name_en: 'Busy store ' + stamp })
  for (const wh of [store, busy]) {
    await post(api, '/stock/documents?post=true', {
      type: 'stock_opening', warehouse_id: wh.id, lines: [{ item_id: a.id, qty: '100', price: '1' }, { item_id: b.id, qty: '10', price: '5' }],
    })
  }
  const cash = await post(api, '/accounts', { code: 'CSCASH' + stamp, name: '零售单钱箱' + stamp, kind: 'cash' })
  const wx = await post(api, '/accounts', { code: 'CSWX' + stamp, name: '零售单微信' + stamp, kind: 'wechat' })
  Object.assign(ids, { store: store.id, busy: busy.id, a: a.id })
  const roles: { id: number; code: string }[] = (await get(api, '/roles?limit=100')).items
  const role = (code: string) => [{ company_id: me.company_id, role_id: roles.find((r) => r.code === code)!.id }]
  await post(api, '/users', { username: CASHIER, display_name: CASHIER_NAME, password: CASHIER_PASSWORD, language: 'zh-CN', active: true, roles: role('cashier') })
  await post(api, '/users', { username: BOOKKEEPER, password: BOOKKEEPER_PASSWORD, language: 'zh-CN', active: true, roles: role('bookkeeper') })

  // The cashier sells 2 × A and 1 × B (19.00): WeChat 10, cash 9 from a 20 note; then one A comes back.
  const till = await request.newContext({ baseURL })
  await post(till, '/auth/login', { username: CASHIER, password: CASHIER_PASSWORD })
  const s = await post(till, '/pos/sales', {
    warehouse_id: store.id,
    lines: [{ item_id: a.id, qty: '2' }, { item_id: b.id, qty: '1' }],
    payments: [{ method: 'wechat', account_id: wx.id, tendered: '10' }, { method: 'cash', account_id: cash.id, tendered: '20' }],
  })
  expect(s.gross_amount).toBe('19.00')
  sale = { id: s.id, number: s.number }
  const lineA = s.lines.find((l: { item_id: number }) => l.item_id === a.id)
  const r = await post(till, '/pos/returns', {
    warehouse_id: store.id, lines: [{ source_line_id: lineA.id, qty: '1' }], payments: [{ method: 'cash', account_id: cash.id, tendered: '3.50' }],
  })
  expect(r.gross_amount).toBe('3.50')
  ret = { id: r.id, number: r.number }
  // A busy day at the other store: more sales than the counter's 今日流水 shows at once.
  for (let i = 0; i < 53; i++) {
    await post(till, '/pos/sales', { warehouse_id: busy.id, lines: [{ item_id: a.id, qty: '1' }], payments: [{ method: 'cash', account_id: cash.id, tendered: '3.50' }] })
  }
  await till.dispose()
  await api.dispose()

  page = await watchedPage(browser, problems, expectedStatus)
  await page.setViewportSize({ width: 1366, height: 800 })
  await signIn(page, USER, PASSWORD)
})

test.afterAll(() => {
  expect(problems, 'no console errors during the browser tests').toEqual([])
})

const shot = (name: string) => shotOf(page, name)
const pick = (select: Locator, text: string, search = '') => pickIn(page, select, text, search)
const row = (number: string) => page.locator('.el-table__body tr.el-table__row').filter({ hasText: number })
/** The receipt the browser opened, wherever it went (this page or a new tab). */
function receipt(kind: 'sales' | 'returns', id: number): Promise<Response> {
  return page.context().waitForEvent('response', (r) => r.url().includes(`/api/v1/pos/${kind}/${id}/receipt?`))
}
/** The element lies within the phone's width. */
async function onScreen(el: Locator, what: string) {
  await expect.poll(async () => {
    const b = await el.boundingBox()
    return !!b && b.x >= 0 && b.x + b.width <= 390
  }, { message: `${what} within the screen` }).toBe(true)
}
async function closePopups() {
  for (const p of page.context().pages()) if (p !== page) await p.close()
  await page.bringToFront()
}

test('the owner finds the counter sale under 销售 → 零售单 and opens it', async () => {
  await page.goto('/')
  const entry = page.locator('.aside .el-menu-item').filter({ hasText: /^\s*零售单\s*$/ })
  if (!(await entry.isVisible())) await page.locator('.aside .el-sub-menu__title').filter({ hasText: '销售' }).click()
  await entry.click()
  await expect(page).toHaveURL(/\/sales\/counter-sales/)
  await expect(page.locator('.page-head h2')).toHaveText('零售单')
  // The last 7 days by default, today among them.
  await expect(page.locator('[data-test=counter-range] input').first()).not.toHaveValue('')

  await pick(page.locator('[data-test=counter-store]'), STORE, STORE)
  await expect(page).toHaveURL(new RegExp(`warehouse_id=${ids.store}`))
  await expect(page.locator('.el-table__body tr.el-table__row')).toHaveCount(1)
  const r = row(sale.number)
  await expect(r.locator('[data-test=counter-total]')).toHaveText('19.00')
  await expect(r).toContainText(CASHIER_NAME)
  await expect(r).toContainText(STORE)
  await expect(r).toContainText('微信 10.00 · 现金 9.00') // how it was paid, in the row
  // The filtered list's takings: one sale of 19.00, WeChat 10, cash 9 (after 11 change).
  const sums = page.locator('[data-test=counter-sums]')
  await expect(sums).toContainText('共 1 笔销售')
  await expect(sums.locator('[data-test=counter-sum]')).toHaveText('¥19.00')
  await expect(sums.locator('[data-test=counter-sum-methods]')).toContainText('现金 9.00')
  await expect(sums.locator('[data-test=counter-sum-methods]')).toContainText('微信 10.00')
  // Only this cashier's: still the sale.
  await pick(page.locator('[data-test=counter-cashier]'), CASHIER_NAME, CASHIER_NAME)
  await expect(row(sale.number)).toHaveCount(1)
  // The range's shortcuts (every list's date filter has them): 本月 in two clicks.
  await page.locator('[data-test=counter-range] input').first().click()
  const shortcut = page.locator('.el-picker-panel__shortcut:visible').filter({ hasText: /^本月$/ })
  await expect(page.locator('.el-picker-panel__shortcut:visible')).toHaveText(['今天', '昨天', '本周', '最近 7 天', '最近 30 天', '本月', '上月', '今年'])
  await shot('cs00-range-shortcuts')
  await shortcut.click()
  const now = new Date()
  const month = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`
  await expect(page).toHaveURL(new RegExp(`from=${month}-01&to=${month}-${String(now.getDate()).padStart(2, '0')}`))
  await expect(row(sale.number)).toHaveCount(1)
  await shot('cs01-counter-sales')

  // From the keyboard: Tab reaches the row, Enter opens it.
  await row(sale.number).focus()
  await expect(row(sale.number)).toBeFocused()
  await page.keyboard.press('Enter')
  const doc = page.locator('[data-test=counter-doc]')
  await expect(doc.locator('[data-test=counter-doc-number]')).toHaveText(sale.number)
  const lines = doc.locator('[data-test=counter-doc-lines] .el-table__body tr')
  await expect(lines).toHaveCount(2)
  await expect(lines.filter({ hasText: A.name }).locator('[data-test=counter-doc-line-amount]')).toHaveText('7.00')
  await expect(lines.filter({ hasText: B.name }).locator('[data-test=counter-doc-line-amount]')).toHaveText('12.00')
  await expect(doc.locator('[data-test=counter-doc-total]')).toHaveText('¥19.00')
  const pays = doc.locator('[data-test=counter-doc-payments] .el-table__body tr')
  await expect(pays).toHaveCount(2)
  await expect(pays.filter({ hasText: '现金' }).locator('td')).toHaveText(['现金', '9.00', '20.00', '11.00', ''])
  await expect(doc).toContainText(CASHIER_NAME)
  await shot('cs02-counter-sale')

  // The receipt again, as a PDF in a new tab.
  const pdf = receipt('sales', sale.id)
  await doc.locator('[data-test=counter-doc-print]').click()
  const res = await pdf
  expect(res.status()).toBe(200)
  expect(res.headers()['content-type']).toBe('application/pdf')
  await closePopups()
  await page.keyboard.press('Escape')
  await expect(doc).toBeHidden()

  // A search by the number: the page holds the whole result, so it is the sum.
  await page.locator('input[data-test=list-search]').fill(sale.number)
  await expect(page.locator('.el-table__body tr.el-table__row')).toHaveCount(1)
  await expect(sums.locator('[data-test=counter-sum]')).toHaveText('¥19.00')
  await expect(sums.locator('[data-test=counter-sum-page]')).toHaveCount(0)
})

test('the returns of the same store, and one opened', async () => {
  await page.locator('[data-test=counter-kind-returns]').click()
  await expect(page).toHaveURL(/kind=returns/)
  // The store and the cashier stay; the search was the sales list's.
  await expect(page.locator('input[data-test=list-search]')).toHaveValue('')
  await expect(page.locator('.el-table__body tr.el-table__row')).toHaveCount(1)
  await expect(row(ret.number).locator('[data-test=counter-total]')).toHaveText('3.50')
  const sums = page.locator('[data-test=counter-sums]')
  await expect(sums).toContainText('共 1 笔退货')
  await expect(sums.locator('[data-test=counter-sum]')).toHaveText('¥3.50')
  await expect(sums.locator('[data-test=counter-sum-methods]')).toContainText('现金 3.50')

  await row(ret.number).click()
  const doc = page.locator('[data-test=counter-doc]')
  await expect(doc.locator('[data-test=counter-doc-number]')).toHaveText(ret.number)
  await expect(doc.locator('.el-drawer__title')).toContainText('零售退货单')
  const lines = doc.locator('[data-test=counter-doc-lines] .el-table__body tr')
  await expect(lines).toHaveCount(1)
  await expect(lines.first()).toContainText(A.name)
  await expect(lines.first().locator('[data-test=counter-doc-line-amount]')).toHaveText('3.50')
  await expect(doc).toContainText('退款')
  await expect(doc.locator('[data-test=counter-doc-payments] .el-table__body tr td').first()).toHaveText('现金')
  const pdf = receipt('returns', ret.id)
  await doc.locator('[data-test=counter-doc-print-other]').click()
  const res = await pdf
  expect(res.headers()['content-type']).toBe('application/pdf')
  await closePopups()
  await page.keyboard.press('Escape')
  await expect(doc).toBeHidden()
  // The address opens the same list again.
  await page.reload()
  await expect(page.locator('[data-test=counter-kind-returns]')).toHaveClass(/is-active/)
  await expect(row(ret.number)).toHaveCount(1)
})

test("the counter's 今日流水 reads a busy day a page at a time", async () => {
  await page.goto('/pos')
  await pick(page.locator('[data-test=pos-warehouse]'), BUSY)
  await page.keyboard.press('F7')
  const today = page.locator('[data-test=today-dialog]')
  const rows = today.locator('[data-test=today-list] .el-table__body tr')
  await expect(today.locator('[data-test=today-count]')).toHaveText('共 53 单')
  await expect(rows).toHaveCount(50)
  await shot('cs05-today-load-more')
  await today.locator('[data-test=today-more]').click()
  await expect(rows).toHaveCount(53)
  await expect(today.locator('[data-test=today-more]')).toHaveCount(0)
  // The returns tab counts its own.
  await today.locator('.el-tabs__item').filter({ hasText: '退货' }).click()
  await expect(today.locator('[data-test=today-count]')).toHaveText('共 0 单')
  await page.keyboard.press('Escape')
  await expect(today).toBeHidden()
})

test('零售单 in English on a phone', async () => {
  await page.setViewportSize({ width: 390, height: 844 })
  await page.goto(`/sales/counter-sales?warehouse_id=${ids.store}`)
  await page.locator('[data-test=lang-switch]').click()
  await page.locator('.el-dropdown-menu__item:visible').filter({ hasText: 'English' }).click()
  await expect(page.locator('.page-head h2')).toHaveText('Counter sales')
  await expect(row(sale.number).locator('[data-test=counter-total]')).toHaveText('19.00')
  await expect(page.locator('[data-test=counter-sums]')).toContainText('1 sale, total')
  // Nothing wider than the phone (the table scrolls inside itself), and the total shows without scrolling it.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
  await onScreen(row(sale.number).locator('[data-test=counter-total]'), 'the total')
  await shot('cs03-counter-sales-en-phone')
  await row(sale.number).click()
  const doc = page.locator('[data-test=counter-doc]')
  await expect(doc.locator('.el-drawer__title')).toContainText('Counter sale')
  await expect(doc.locator('[data-test=counter-doc-lines] .el-table__body tr')).toHaveCount(2)
  // (once the drawer has slid in)
  await onScreen(doc.locator('[data-test=counter-doc-line-amount]').first(), "a line's amount")
  await expect(doc.locator('[data-test=counter-doc-payments]')).toContainText('WeChat')
  await expect(doc.locator('[data-test=counter-doc-payments]')).toContainText('Change 11.00')
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
  await shot('cs04-counter-sale-en-phone')
  await page.keyboard.press('Escape')
  await page.locator('[data-test=lang-switch]').click()
  await page.locator('.el-dropdown-menu__item:visible').filter({ hasText: '中文' }).click()
  await page.setViewportSize({ width: 1366, height: 800 })
})

test('the bookkeeper reads 零售单 but has no counter', async ({ browser }) => {
  const books = await watchedPage(browser, problems, expectedStatus)
  await signIn(books, BOOKKEEPER, BOOKKEEPER_PASSWORD)
  await expect(books.locator('.aside [data-menu=sales]')).toBeVisible()
  await expect(books.locator('.aside [data-menu=pos]')).toHaveCount(0)
  const entry = books.locator('.aside .el-menu-item').filter({ hasText: /^\s*零售单\s*$/ })
  if (!(await entry.isVisible())) await books.locator('.aside .el-sub-menu__title').filter({ hasText: '销售' }).click()
  await entry.click()
  await expect(books).toHaveURL(/\/sales\/counter-sales/)
  await pickIn(books, books.locator('[data-test=counter-store]'), STORE, STORE)
  const r = books.locator('.el-table__body tr.el-table__row').filter({ hasText: sale.number })
  await expect(r.locator('[data-test=counter-total]')).toHaveText('19.00')
  await expect(r).toContainText(CASHIER_NAME) // by name, though the bookkeeper may not read the users
  await expect(books.locator('[data-test=counter-sums] [data-test=counter-sum]')).toHaveText('¥19.00')
  // The cashier filter offers who sold in those days, though the bookkeeper may not read the users.
  await pickIn(books, books.locator('[data-test=counter-cashier]'), CASHIER_NAME, CASHIER_NAME)
  await expect(books).toHaveURL(/cashier_id=\d+/)
  await expect(r).toBeVisible()
  // The sale opens with its items by name.
  await r.click()
  const doc = books.locator('[data-test=counter-doc]')
  await expect(doc.locator('[data-test=counter-doc-number]')).toHaveText(sale.number)
  await expect(doc.locator('[data-test=counter-doc-lines] .el-table__body tr').filter({ hasText: A.name })).toHaveCount(1)
  await expect(doc.locator('[data-test=counter-doc-lines] .el-table__body tr').filter({ hasText: B.name })).toHaveCount(1)
  // The counter's address leads home.
  await books.goto('/pos')
  await expect(books).not.toHaveURL(/\/pos/)
  await books.context().close()
})
