// Money owed to a supplier (应付), as the bookkeeper works it, against a
// real jxc with the demo company: a supplier's bill of 977.60, forty days
// old on 30-day terms, is prepared through the API (order → receipt →
// bill, all posted) → from 应付账款 the bookkeeper pays 300.00 of it from a
// new bank account, applied to the bill as the editor suggests → the
// payables table shows 677.60 owed, overdue 1–30 days → a second payment of
// 200.00 is kept unapplied (a prepayment) and then allocated (核销) to the
// bill in the supplier's panel → the statement of this month opens at
// 977.60 and closes at 477.60, with PDF and Excel → the supplier's page
// shows the same balance → the payments list filters by account → the
// payables screen reads in English. No console errors.
import { test, expect, type APIRequestContext, type Locator, type Page } from '@playwright/test'
import { mkdirSync } from 'node:fs'
import { PASSWORD, SHOTS, USER, adminAPI, get, post, signIn, watchedPage } from './support'

mkdirSync(SHOTS, { recursive: true })

const stamp = Date.now().toString(36).toUpperCase().slice(-5)
const SUPPLIER = { code: 'AP-' + stamp, name: '应付测试供应商' + stamp }
const ACCOUNT = { code: 'AP-BANK-' + stamp, name: '应付测试银行' + stamp }

test.describe.configure({ mode: 'serial' })

let page: Page
let api: APIRequestContext
let supplierId = 0
let billId = 0
let billNumber = ''
const problems: string[] = []
const expectedStatus = new Set<number>()

/** A business date n days before today, in this machine's time zone (the server's too). */
function daysAgo(n: number): string {
  const d = new Date()
  d.setDate(d.getDate() - n)
  const z = (x: number) => String(x).padStart(2, '0')
  return `${d.getFullYear()}-${z(d.getMonth() + 1)}-${z(d.getDate())}`
}

test.beforeAll(async ({ browser }, info) => {
  api = await adminAPI(String(info.project.use.baseURL))
  const bottle = (await get(api, '/units?q=BOTTLE&archived=all')).items.find((u: { code: string }) => u.code === 'BOTTLE').id
  const warehouse = (await get(api, '/warehouses?q=SH')).items.find((w: { code: string }) => w.code === 'SH').id
  supplierId = (await post(api, '/partners', { code: SUPPLIER.code, name: SUPPLIER.name, kind: 'supplier', payment_terms_days: 30 })).id
  await post(api, '/accounts', { code: ACCOUNT.code, name: ACCOUNT.name, kind: 'bank', currency: 'CNY', opening_balance: '0' })
  const item = (await post(api, '/items', { code: 'APIT-' + stamp, name: '应付测试商品' + stamp, base_unit_id: bottle, tracking: 'none', purchase_price: '97.76' })).id

  // Forty days old on 30-day terms: ten days overdue. Prices include tax on every document, so the bill matches.
  const date = daysAgo(40)
  const order = await post(api, '/purchase/orders?post=true', {
    partner_id: supplierId, warehouse_id: warehouse, date, tax_included: true, lines: [{ item_id: item, qty: '10', price: '97.76' }],
  })
  const receipt = await post(api, '/purchase/receipts?post=true', {
    partner_id: supplierId, warehouse_id: warehouse, date, lines: order.lines.map((l: { id: number }) => ({ source_line_id: l.id, qty: '10' })),
  })
  const bill = await post(api, '/purchase/bills?post=true', {
    partner_id: supplierId, date, tax_included: true, ref: 'INV-' + stamp, lines: receipt.lines.map((l: { id: number }) => ({ source_line_id: l.id, qty: '10' })),
  })
  expect(bill.state).toBe('posted')
  expect(bill.gross_amount).toBe('977.60')
  billId = bill.id
  billNumber = bill.number

  page = await watchedPage(browser, problems, expectedStatus)
  await signIn(page, USER, PASSWORD)
})

test.afterAll(async () => {
  await api?.dispose()
  expect(problems, 'no console errors during the browser tests').toEqual([])
})

async function shot(name: string) {
  await page.waitForLoadState('networkidle')
  await expect(page.locator('.el-loading-mask:visible')).toHaveCount(0)
  await page.waitForTimeout(300)
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: false })
}

async function pick(select: Locator, text: string) {
  await select.click()
  const option = page.locator('.el-popper[aria-hidden="false"] .el-select-dropdown__item').filter({ hasText: text }).first()
  await option.click()
  await expect(page.locator('.el-popper[aria-hidden="false"] .el-select-dropdown')).toHaveCount(0)
}

async function confirmBox() {
  const box = page.locator('.el-message-box')
  await expect(box).toBeVisible()
  await box.locator('.el-message-box__btns .el-button--primary').click()
  await expect(box).toBeHidden()
}

const supplierRow = () => page.locator('[data-test=payables-table] .el-table__body-wrapper tr').filter({ hasText: SUPPLIER.code })

async function openPayables() {
  // 财务 stays open on every finance page: clicking its title then would fold
  // it, and the click below would race the fold (lost on a slow machine).
  const finance = page.locator('.aside .el-sub-menu[data-menu=finance]')
  if (!(await finance.evaluate((e) => e.classList.contains('is-opened')))) await finance.locator('.el-sub-menu__title').click()
  await expect(finance).toHaveClass(/is-opened/)
  await finance.locator('.el-menu-item').filter({ hasText: /^\s*应付账款\s*$/ }).click()
  await expect(page).toHaveURL(/\/finance\/payables/)
  await expect(page.locator('.page-head h2')).toHaveText('应付账款')
  await expect(supplierRow()).toHaveCount(1)
}

test('part of the bill is paid from 应付账款, applied to it as suggested', async () => {
  await openPayables()
  await expect(supplierRow().locator('[data-test=payables-balance]')).toHaveText('977.60')
  await expect(supplierRow().locator('[data-test=payables-aging-1]')).toHaveText('977.60')
  await shot('payables-1-before')

  await supplierRow().locator('[data-test=payables-pay]').click()
  await expect(page).toHaveURL(new RegExp(`/finance/payments/new\\?partner=${supplierId}$`))
  await expect(page.locator('[data-test=payment-supplier]')).toContainText(SUPPLIER.name)
  await expect(page.locator('[data-test=payment-supplier-balance]')).toContainText('977.60')
  await pick(page.locator('[data-test=payment-account]'), ACCOUNT.name)
  await page.locator('[data-test=payment-amount]').fill('300')
  await page.locator('[data-test=payment-ref]').fill('TT-' + stamp)
  // The open bill takes the payment.
  const bills = page.locator('[data-test=payment-bills] .el-table__body tr')
  await expect(bills).toHaveCount(1)
  await expect(bills.first()).toContainText(billNumber)
  await expect(bills.first()).toContainText('逾期 10 天')
  await expect(page.locator('[data-test=payment-apply-amount]')).toHaveValue('300.00')
  await expect(page.locator('[data-test=payment-prepaid]')).toHaveText('0.00')
  await shot('payables-2-payment')

  await page.locator('[data-test=payment-post]').click()
  await expect(page.locator('.el-message-box')).toContainText('将核销 1 张发票共 300.00')
  await confirmBox()
  await expect(page).toHaveURL(/\/finance\/payments\/\d+$/)
  await expect(page.locator('[data-test=payment-state]')).toHaveText('已过账')
  await expect(page.locator('[data-test=payment-settled]')).toHaveText('300.00')
  await expect(page.locator('[data-test=payment-remaining]')).toHaveText('0.00')
  await expect(page.locator('[data-test=payment-apply]')).toHaveCount(0)
  await shot('payables-3-posted')

  const bill = await get(api, `/purchase/bills/${billId}`)
  expect(bill.settled).toBe('300.00')
})

test('the payables table shows what is still owed', async () => {
  await openPayables()
  const row = supplierRow()
  await expect(row.locator('[data-test=payables-balance]')).toHaveText('677.60')
  await expect(row.locator('[data-test=payables-aging-1]')).toHaveText('677.60')
  await expect(row.locator('[data-test=payables-unapplied]')).toHaveText('')
})

test('a prepayment is allocated to the bill in the supplier panel', async () => {
  await page.goto(`/finance/payments/new?partner=${supplierId}`)
  await pick(page.locator('[data-test=payment-account]'), ACCOUNT.name)
  await page.locator('[data-test=payment-amount]').fill('200')
  await expect(page.locator('[data-test=payment-apply-amount]')).toHaveValue('200.00')
  await page.locator('[data-test=payment-no-apply]').click()
  await expect(page.locator('[data-test=payment-apply-amount]')).toHaveValue('')
  await expect(page.locator('[data-test=payment-prepaid]')).toHaveText('200.00')
  await page.locator('[data-test=payment-post]').click()
  await expect(page.locator('.el-message-box')).toContainText('200.00 作为预付款')
  await confirmBox()
  await expect(page.locator('[data-test=payment-state]')).toHaveText('已过账')
  await expect(page.locator('[data-test=payment-remaining]')).toHaveText('200.00')
  // Still open: it can be applied from here too, but this time the bookkeeper uses the payables screen.
  await expect(page.locator('[data-test=payment-apply]')).toBeVisible()

  await openPayables()
  const row = supplierRow()
  await expect(row.locator('[data-test=payables-balance]')).toHaveText('477.60')
  await expect(row.locator('[data-test=payables-unapplied]')).toHaveText('200.00')
  // A click while the list is still loading lands on its mask.
  await expect(page.locator('.el-loading-mask:visible')).toHaveCount(0)
  await row.click()
  const panel = page.locator('[data-test=settle-panel]')
  await expect(panel).toBeVisible()
  await expect(panel.locator('.el-drawer__title')).toContainText(SUPPLIER.name)
  const bills = panel.locator('[data-test=settle-bills] .el-table__body tr')
  const credits = panel.locator('[data-test=settle-credits] .el-table__body tr')
  await expect(bills).toHaveCount(1)
  await expect(credits).toHaveCount(1)
  await expect(bills.first()).toContainText('677.60')
  await expect(credits.first()).toContainText('200.00')
  // Ticking both fills the smaller of the two.
  await bills.first().locator('[data-test=settle-pick]').click()
  await credits.first().locator('[data-test=settle-pick]').click()
  await expect(bills.first().locator('[data-test=settle-amount]')).toHaveValue('200.00')
  await expect(credits.first().locator('[data-test=settle-amount]')).toHaveValue('200.00')
  await expect(panel.locator('[data-test=settle-diff]')).toHaveCount(0)
  await expect(panel.locator('[data-test=settle-submit]')).toHaveText('核销 200.00')
  await shot('payables-4-settle')

  await panel.locator('[data-test=settle-submit]').click()
  await expect(page.locator('.el-message').filter({ hasText: '已核销 200.00' })).toBeVisible()
  await expect(credits).toHaveCount(0)
  await expect(bills.first()).toContainText('477.60')
  await expect(row.locator('[data-test=payables-balance]')).toHaveText('477.60')
  await expect(row.locator('[data-test=payables-unapplied]')).toHaveText('')
  await shot('payables-5-settled')

  const bill = await get(api, `/purchase/bills/${billId}`)
  expect(bill.settled).toBe('500.00')
})

test('the statement of this month opens at 977.60 and closes at 477.60', async () => {
  await page.locator('[data-test=settle-statement]').click()
  await expect(page).toHaveURL(new RegExp(`/finance/statements\\?partner=${supplierId}`))
  await expect(page.locator('[data-test=statement-month]')).toHaveClass(/is-active/)
  // The bill is older than the month: it is the opening balance; the two payments are the month's.
  await expect(page.locator('[data-test=statement-opening]')).toHaveText('977.60')
  await expect(page.locator('[data-test=statement-credits]')).toHaveText('500.00')
  await expect(page.locator('[data-test=statement-closing]')).toHaveText('477.60')
  const rows = page.locator('[data-test=statement-rows] .el-table__body tr')
  await expect(rows).toHaveCount(4) // opening, two payments, totals
  await expect(rows.nth(1)).toContainText('付款单')
  await expect(rows.nth(1)).toContainText('677.60')
  await expect(rows.nth(2)).toContainText('477.60')
  await shot('payables-6-statement')

  // A range from before the bill shows it and starts from nothing.
  await page.locator('[data-test=statement-year]').click()
  await expect(page.locator('[data-test=statement-closing]')).toHaveText('477.60')
  if ((await page.locator('[data-test=statement-opening]').textContent()) === '0.00') {
    await expect(rows.filter({ hasText: billNumber })).toHaveCount(1)
  }

  // The same statement as PDF and Excel, rendered by the server.
  await page.locator('[data-test=statement-month]').click()
  const href = await page.locator('[data-test=statement-pdf]').getAttribute('href')
  expect(href).toMatch(new RegExp(`/api/v1/purchase/statements/${supplierId}/pdf\\?from=\\d{4}-\\d{2}-01&to=`))
  const pdf = await page.request.get(href!)
  expect(pdf.ok()).toBeTruthy()
  expect(pdf.headers()['content-type']).toContain('application/pdf')
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=statement-xlsx]').click()])
  expect(download.suggestedFilename()).toMatch(/\.xlsx$/)
})

test("the supplier's page shows what is owed and links on", async () => {
  await page.goto(`/data/partners/${supplierId}`)
  const card = page.locator('[data-test=partner-payables]')
  await expect(card).toBeVisible()
  await expect(card.locator('[data-test=partner-payables-balance]')).toHaveText('477.60')
  await expect(card.locator('[data-test=partner-payables-overdue]')).toHaveText('477.60')
  await shot('payables-7-partner')
  await card.locator('[data-test=partner-payables-open]').click()
  await expect(page).toHaveURL(new RegExp(`/finance/payables\\?partner=${supplierId}`))
  await expect(page.locator('[data-test=settle-panel]')).toBeVisible()
  await expect(page.locator('[data-test=settle-balance]')).toHaveText('477.60')
})

test('the payments list filters by account', async () => {
  await page.goto('/finance/payments')
  await pick(page.locator('[data-test=payments-account]'), ACCOUNT.name)
  const rows = page.locator('.data-list .el-table__body tr')
  await expect(rows).toHaveCount(2)
  await expect(rows.filter({ hasText: SUPPLIER.name })).toHaveCount(2)
  await expect(rows.filter({ hasText: '200.00' }).first()).toBeVisible()
  await expect(page).toHaveURL(/account_id=\d+/)
  await shot('payables-8-payments')
})

test('the payables screen in English', async () => {
  await page.evaluate(() => localStorage.setItem('jxc.lang', 'en'))
  await page.goto('/finance/payables')
  await expect(page.locator('.page-head h2')).toHaveText('Payables')
  await expect(page.locator('[data-test=payables-table]')).toContainText('Days overdue')
  await expect(page.locator('[data-test=payables-table]')).toContainText('Over 90')
  await expect(supplierRow().locator('[data-test=payables-balance]')).toHaveText('477.60')
  await shot('payables-9-english')
  await page.evaluate(() => localStorage.setItem('jxc.lang', 'zh-CN'))
})

test('a draft keeps no allocation; posted later, it applies what the table says', async () => {
  await page.goto(`/finance/payments/new?partner=${supplierId}`)
  await pick(page.locator('[data-test=payment-account]'), ACCOUNT.name)
  await page.locator('[data-test=payment-amount]').fill('100')
  await page.locator('[data-test=payment-note]').click()
  await expect(page.locator('[data-test=payment-amount]')).toHaveValue('100.00')
  await page.locator('[data-test=payment-save]').click()
  await expect(page).toHaveURL(/\/finance\/payments\/\d+$/)
  await expect(page.locator('[data-test=payment-state]')).toHaveText('草稿')
  await page.reload()
  await expect(page.locator('[data-test=payment-amount]')).toHaveValue('100.00')
  await expect(page.locator('[data-test=payment-apply]')).toContainText('核销分配不随单据保存')
  await expect(page.locator('[data-test=payment-apply-amount]')).toHaveValue('100.00')
  await page.locator('[data-test=payment-post]').click()
  await confirmBox()
  await expect(page.locator('[data-test=payment-state]')).toHaveText('已过账')
  await expect(page.locator('[data-test=payment-settled]')).toHaveText('100.00')
  const bill = await get(api, `/purchase/bills/${billId}`)
  expect(bill.settled).toBe('600.00')
})
