// What customers owe (应收), as the bookkeeper clears it, against a real jxc
// with the demo company. Prepared through the API: customer A owes two
// invoices, 40.00 and 60.00, and has a return credited 20.00; customer B
// has an invoice of 2.29 left unpaid and a return of 2.29 credited — they
// cancel out. → 收清余额 for A asks for 80.00, uses the return first and
// leaves nothing open: A is no longer listed → B's invoice and credit are
// offset (冲抵) from the list with no money moving: B is no longer listed →
// the bank account the money went into shows its balance and its
// movements → the same in English, names included. No console errors.
import { test, expect, type APIRequestContext, type Locator, type Page } from '@playwright/test'
import { mkdirSync } from 'node:fs'
import { PASSWORD, SHOTS, USER, adminAPI, confirmBox as confirmIn, get, pick as pickIn, post, shot as shotOf, signIn, watchedPage } from './support'

mkdirSync(SHOTS, { recursive: true })

const stamp = Date.now().toString(36).toUpperCase().slice(-5)
const A = { code: 'RA-' + stamp, name: '收清测试客户' + stamp, en: 'Pay-off Customer ' + stamp }
const B = { code: 'RB-' + stamp, name: '冲抵测试客户' + stamp, en: 'Offset Customer ' + stamp }
const ACCOUNT = { code: 'RCV-BANK-' + stamp, name: '应收测试银行' + stamp, en: 'Receivables Test Bank ' + stamp }

test.describe.configure({ mode: 'serial' })

let page: Page
let api: APIRequestContext
let customerA = 0
let itemId = 0
let whId = 0
let accountId = 0
let returnA = ''
const problems: string[] = []
const expectedStatus = new Set<number>()

const z = (n: number) => String(n).padStart(2, '0')
const now = new Date()
const firstOfMonth = `${now.getFullYear()}-${z(now.getMonth() + 1)}-01`

test.beforeAll(async ({ browser }, info) => {
  api = await adminAPI(String(info.project.use.baseURL))
  const bottle = (await get(api, '/units?q=BOTTLE&archived=all')).items.find((u: { code: string }) => u.code === 'BOTTLE').id
  const wh = (await get(api, '/warehouses?q=SH')).items.find((w: { code: string }) => w.code === 'SH').id
  customerA = (await post(api, '/partners', { code: A.code, name: A.name, name_en: A.en, kind: 'customer', payment_terms_days: 30 })).id
  const customerB = (await post(api, '/partners', { code: B.code, name: B.name, name_en: B.en, kind: 'customer' })).id
  const account = (await post(api, '/accounts', { code: ACCOUNT.code, name: ACCOUNT.name, name_en: ACCOUNT.en, kind: 'bank', currency: 'CNY', opening_balance: '1000', opening_date: firstOfMonth })).id
  const item = (await post(api, '/items', { code: 'RI-' + stamp, name: '应收测试商品' + stamp, base_unit_id: bottle, tracking: 'none', tax_rate: '0' })).id
  await post(api, '/stock/documents?post=true', { type: 'stock_opening', warehouse_id: wh, lines: [{ item_id: item, qty: '50', price: '1' }] })
  ;[itemId, whId, accountId] = [item, wh, account]

  // A: shipped 10 at 10.00, invoiced 4 and 6, 2 returned (credited 20.00).
  const oa = await post(api, '/sales/orders?post=true', { partner_id: customerA, warehouse_id: wh, lines: [{ item_id: item, qty: '10', price: '10', tax_rate: '0' }] })
  const sa = await post(api, '/sales/shipments?post=true', { partner_id: customerA, warehouse_id: wh, lines: [{ source_line_id: oa.lines[0].id, qty: '10' }] })
  for (const qty of ['4', '6']) await post(api, '/sales/invoices?post=true', { partner_id: customerA, lines: [{ source_line_id: sa.lines[0].id, qty }] })
  const ra = await post(api, '/sales/returns?post=true', { partner_id: customerA, warehouse_id: wh, lines: [{ source_line_id: sa.lines[0].id, qty: '2' }] })
  expect(ra.lines[0].credit).toBe('20.00')
  returnA = ra.number

  // B: shipped and invoiced 2 at 2.29 (4.58), 2.29 received, 1 returned: 2.29 owed and 2.29 credited.
  const ob = await post(api, '/sales/orders?post=true', { partner_id: customerB, warehouse_id: wh, lines: [{ item_id: item, qty: '2', price: '2.29', tax_rate: '0' }] })
  const sb = await post(api, '/sales/shipments?post=true', { partner_id: customerB, warehouse_id: wh, lines: [{ source_line_id: ob.lines[0].id, qty: '2' }] })
  const ib = await post(api, '/sales/invoices?post=true', { partner_id: customerB, lines: [{ source_line_id: sb.lines[0].id, qty: '2' }] })
  await post(api, '/sales/receipts?post=true', { partner_id: customerB, account_id: account, amount: '2.29', apply: [{ debit_id: ib.id, amount: '2.29' }] })
  await post(api, '/sales/returns?post=true', { partner_id: customerB, warehouse_id: wh, lines: [{ source_line_id: sb.lines[0].id, qty: '1' }] })

  page = await watchedPage(browser, problems, expectedStatus)
  await signIn(page, USER, PASSWORD)
})

test.afterAll(async () => {
  await api?.dispose()
  expect(problems, 'no console errors during the browser tests').toEqual([])
})

const shot = (name: string) => shotOf(page, name)
const pick = (select: Locator, text: string) => pickIn(page, select, text)
const confirmBox = (want?: string) => confirmIn(page, want)
const rowOf = (code: string) => page.locator('[data-test=payables-table] .el-table__body-wrapper tr').filter({ hasText: code })

async function openReceivables() {
  await page.goto('/finance/receivables')
  await expect(page.locator('.page-head h2')).toHaveText(/应收账款|Receivables/)
  await expect(page.locator('.el-loading-mask:visible')).toHaveCount(0)
}

test('收清余额 asks for the net and uses the return credit first', async () => {
  await openReceivables()
  const row = rowOf(A.code)
  await expect(row.locator('[data-test=payables-balance]')).toHaveText('80.00')
  await expect(row.locator('[data-test=payables-unapplied]')).toHaveText('20.00')
  await expect(row.locator('[data-test=payables-offset]')).toBeVisible()
  await shot('receivables-1-list')

  await row.locator('[data-test=payables-pay]').click()
  await expect(page).toHaveURL(new RegExp(`/finance/receipts/new\\?partner=${customerA}$`))
  await pick(page.locator('[data-test=payment-account]'), ACCOUNT.name)
  const credits = page.locator('[data-test=payment-credits] .el-table__body tr')
  await expect(credits).toHaveCount(1)
  await expect(credits.first()).toContainText(returnA)
  await page.locator('[data-test=payment-pay-all]').click()
  await expect(page.locator('[data-test=payment-amount]')).toHaveValue('80.00')
  await expect(page.locator('[data-test=payment-credit-amount]')).toHaveValue('20.00')
  await expect(page.locator('[data-test=payment-apply-amount]').nth(0)).toHaveValue('40.00')
  await expect(page.locator('[data-test=payment-apply-amount]').nth(1)).toHaveValue('60.00')
  await expect(page.locator('[data-test=payment-credits-used]')).toHaveText('20.00')
  await expect(page.locator('[data-test=payment-apply-total]')).toHaveText('100.00')
  await expect(page.locator('[data-test=payment-prepaid]')).toHaveText('0.00')
  await shot('receivables-2-pay-off')

  await page.locator('[data-test=payment-post]').click()
  await confirmBox('其中 20.00 用退货和预收冲抵')
  await expect(page).toHaveURL(/\/finance\/receipts\/\d+$/)
  await expect(page.locator('[data-test=payment-state]')).toHaveText('已过账')
  await expect(page.locator('[data-test=payment-settled]')).toHaveText('80.00')
  await expect(page.locator('[data-test=payment-remaining]')).toHaveText('0.00')

  // Nothing open: A is not listed as owing, and shows as settled when asked.
  const items = await get(api, `/sales/receivables/${customerA}/items`)
  expect(items).toEqual([])
  await openReceivables()
  await expect(rowOf(A.code)).toHaveCount(0)
  await page.locator('[data-test=payables-all]').click()
  await expect(rowOf(A.code).locator('[data-test=payables-balance]')).toHaveText('0.00')
})

test('an invoice and a return credit of 2.29 are offset with no money moving', async () => {
  await openReceivables()
  const row = rowOf(B.code)
  await expect(row.locator('[data-test=payables-balance]')).toHaveText('0.00')
  await expect(row.locator('[data-test=payables-unapplied]')).toHaveText('2.29')
  await row.locator('[data-test=payables-offset]').click()
  const panel = page.locator('[data-test=settle-panel]')
  await expect(panel).toBeVisible()
  await expect(panel.locator('[data-test=settle-bill-total]')).toHaveText('2.29')
  await expect(panel.locator('[data-test=settle-credit-total]')).toHaveText('2.29')
  await expect(panel.locator('[data-test=settle-submit]')).toHaveText('核销 2.29')
  await shot('receivables-3-offset')
  await panel.locator('[data-test=settle-submit]').click()
  await expect(page.locator('.el-message').filter({ hasText: '已核销 2.29' })).toBeVisible()
  await expect(panel.locator('[data-test=settle-bills] .el-table__body tr')).toHaveCount(0)
  await page.keyboard.press('Escape')
  await expect(rowOf(B.code)).toHaveCount(0)
})

test('the bank account shows its balance and movements', async () => {
  await page.goto('/data/accounts')
  await page.locator('.data-list input').first().fill(ACCOUNT.code)
  const row = page.locator('.data-list .el-table__body-wrapper tr').filter({ hasText: ACCOUNT.code })
  await expect(row).toHaveCount(1)
  // 1000.00 opening + 2.29 from B + 80.00 from A.
  await expect(row.locator('[data-test=account-balance]')).toHaveText('1,082.29')
  await shot('receivables-4-accounts')
  await row.locator('[data-test=account-journal-open]').click()
  const j = page.locator('[data-test=account-journal]')
  await expect(j).toBeVisible()
  // The opening balance is the month's opening figure and its first row, not money in.
  await expect(j.locator('[data-test=journal-opening]')).toHaveText('1,000.00')
  await expect(j.locator('[data-test=journal-in]')).toHaveText('82.29')
  await expect(j.locator('[data-test=journal-closing]')).toHaveText('1,082.29')
  const rows = j.locator('[data-test=journal-rows] .el-table__body tr')
  await expect(rows).toHaveCount(3)
  await expect(rows.nth(0)).toContainText('账户期初余额')
  await expect(rows.nth(1)).toContainText(B.name)
  await expect(rows.nth(2)).toContainText(A.name)
  await expect(rows.locator('[data-test=journal-row-balance]')).toHaveText(['1,000.00', '1,002.29', '1,082.29'])
  await shot('receivables-5-journal')
  await rows.nth(2).locator('[data-test=journal-doc]').click()
  await expect(page).toHaveURL(/\/finance\/receipts\/\d+$/)
  await expect(page.locator('[data-test=payment-settled]')).toHaveText('80.00')
})

test('in English the finance screens name partners and accounts in English', async () => {
  await page.evaluate(() => localStorage.setItem('jxc.lang', 'en'))
  await page.goto('/finance/receivables?all=1')
  await expect(page.locator('.page-head h2')).toHaveText('Receivables')
  await expect(rowOf(A.code)).toContainText(A.en)
  await page.goto(`/finance/receipts?partner_id=${customerA}`)
  await expect(page.locator('.data-list .el-table__body tr').filter({ hasText: A.en }).first()).toBeVisible()
  await page.goto('/data/accounts')
  await page.locator('.data-list input').first().fill(ACCOUNT.code)
  const row = page.locator('.data-list .el-table__body-wrapper tr').filter({ hasText: ACCOUNT.code })
  await expect(row).toContainText(ACCOUNT.en)
  await row.locator('[data-test=account-journal-open]').click()
  const j = page.locator('[data-test=account-journal]')
  await expect(j.locator('[data-test=journal-rows]')).toContainText(A.en)
  await expect(j.locator('[data-test=journal-rows]')).toContainText("The account's opening balance")
  await shot('receivables-6-english')
  await page.evaluate(() => localStorage.setItem('jxc.lang', 'zh-CN'))
})

test('a receipt lists the invoices it paid, the invoice its receipts, and an allocation is undone from there', async () => {
  // C: an invoice of 30.00, 30.00 received against it.
  const c = (await post(api, '/partners', { code: 'RC-' + stamp, name: '核销记录客户' + stamp, kind: 'customer' })).id
  const o = await post(api, '/sales/orders?post=true', { partner_id: c, warehouse_id: whId, lines: [{ item_id: itemId, qty: '3', price: '10', tax_rate: '0' }] })
  const sh = await post(api, '/sales/shipments?post=true', { partner_id: c, warehouse_id: whId, lines: [{ source_line_id: o.lines[0].id, qty: '3' }] })
  const inv = await post(api, '/sales/invoices?post=true', { partner_id: c, lines: [{ source_line_id: sh.lines[0].id, qty: '3' }] })
  const rc = await post(api, '/sales/receipts?post=true', { partner_id: c, account_id: accountId, amount: '30', apply: [{ debit_id: inv.id, amount: '30' }] })

  await page.evaluate(() => localStorage.setItem('jxc.lang', 'zh-CN'))
  await page.goto(`/finance/receipts/${rc.id}`)
  const table = page.locator('[data-test=allocations-table]')
  await expect(table.locator('[data-test=allocation-doc]')).toHaveText(inv.number)
  await expect(table.locator('[data-test=allocation-amount]')).toHaveText('30.00')
  await expect(table).toContainText('销售发票')
  await shot('r5-receipt-allocations')

  // From the receipt to the invoice, which names the receipt; undone there.
  await table.locator('[data-test=allocation-doc]').click()
  await expect(page).toHaveURL(new RegExp(`/sales/invoices/${inv.id}$`))
  const back = page.locator('[data-test=allocations-table]')
  await expect(back.locator('[data-test=allocation-doc]')).toHaveText(rc.number)
  await back.locator('[data-test=allocation-undo]').click()
  await confirmBox(rc.number)
  await expect(page.locator('[data-test=allocations-none]')).toBeVisible()
  expect((await get(api, `/sales/invoices/${inv.id}`)).settled).toBe('0.00')
  expect((await get(api, `/sales/receipts/${rc.id}`)).settled).toBe('0.00')
})
