// 报表 → 销售分析, as the owner reads it: a customer of its own buys 10
// bottles at 12.50 with tax (net 110.62, cost 60.00) through the API; the
// report by customer finds them with their gross profit and margin, a click
// opens the customer's items, the item its ledger; the report reads in
// English. The home page's 经营概况 shows today's sales as the report adds
// them up, and the last 30 days as bars. 报表 → 采购分析: a supplier's
// receipt (a rejected quantity, a line discount) less a return, a reversed
// receipt left out, found by supplier and opened into its items, on a
// desktop and on a phone, in Chinese and English. 报表 → 库龄: an item
// opened 100 days ago and topped up 10 days ago, in its buckets, in the
// past, on a phone and in English. No console errors.
import { test, expect, type Locator, type Page } from '@playwright/test'
import { mkdirSync } from 'node:fs'
import { PASSWORD, SHOTS, USER, adminAPI, get, post, shot as shotOf, signIn, watchedPage } from './support'

mkdirSync(SHOTS, { recursive: true })

const stamp = Date.now().toString(36).toUpperCase().slice(-5)
const CUSTOMER = { code: 'RC-' + stamp, name: '报表测试客户' + stamp, name_en: 'Report Customer ' + stamp }
const ITEM = { code: 'RI-' + stamp, name: '报表测试商品' + stamp, name_en: 'Report Item ' + stamp }
const SUPPLIER = { code: 'RS-' + stamp, name: '报表测试供应商' + stamp, name_en: 'Report Supplier ' + stamp }
const BOUGHT = { code: 'RP-' + stamp, name: '报表采购商品' + stamp, name_en: 'Report Bought ' + stamp }

test.describe.configure({ mode: 'serial' })

let page: Page
let itemId = 0
let todayNet = ''
const problems: string[] = []
const expectedStatus = new Set<number>()

test.beforeAll(async ({ browser }, info) => {
  const api = await adminAPI(String(info.project.use.baseURL))
  const bottle = (await get(api, '/units?q=BOTTLE&archived=all')).items.find((u: { code: string }) => u.code === 'BOTTLE').id
  const wh = (await get(api, '/warehouses?q=SH')).items.find((w: { code: string }) => w.code === 'SH')
  const customer = (await post(api, '/partners', { ...CUSTOMER, kind: 'customer' })).id
  itemId = (await post(api, '/items', {
    ...ITEM, base_unit_id: bottle, tracking: 'none', purchase_price: '6', wholesale_price: '12.50', retail_price: '15', tax_rate: '13',
  })).id
  await post(api, '/stock/documents?post=true', { type: 'stock_opening', warehouse_id: wh.id, lines: [{ item_id: itemId, qty: '20', price: '6' }] })
  const order = await post(api, '/sales/orders?post=true', { partner_id: customer, warehouse_id: wh.id, tax_included: true, lines: [{ item_id: itemId, qty: '10', price: '12.50' }] })
  await post(api, '/sales/shipments?post=true', { partner_id: customer, warehouse_id: wh.id, lines: [{ source_line_id: order.lines[0].id, qty: '10' }] })
  const day = new Date()
  const d = `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, '0')}-${String(day.getDate()).padStart(2, '0')}`
  todayNet = (await get(api, `/reports/sales?by=day&from=${d}&to=${d}`)).totals.net_sales
  // Bought: 12 delivered, 2 rejected, 10 at 8.00 less 10 % = 72.00 (tax on
  // top, not counted); 4 go back, 28.80; a second receipt is reversed.
  const supplier = (await post(api, '/partners', { ...SUPPLIER, kind: 'supplier' })).id
  const bought = (await post(api, '/items', { ...BOUGHT, base_unit_id: bottle, tracking: 'none', purchase_price: '8', tax_rate: '13' })).id
  const rc = await post(api, '/purchase/receipts?post=true', { partner_id: supplier, warehouse_id: wh.id,
    lines: [{ item_id: bought, qty: '12', rejected_qty: '2', price: '8', discount_rate: '10', tax_rate: '13' }] })
  await post(api, '/purchase/returns?post=true', { partner_id: supplier, warehouse_id: wh.id, lines: [{ source_line_id: rc.lines[0].id, qty: '4' }] })
  const wrong = await post(api, '/purchase/receipts?post=true', { partner_id: supplier, warehouse_id: wh.id, lines: [{ item_id: bought, qty: '5', price: '8' }] })
  await post(api, `/purchase/receipts/${wrong.id}/reverse`, { note: '错录' })
  await api.dispose()
  page = await watchedPage(browser, problems, expectedStatus)
  await signIn(page, USER, PASSWORD)
})

test.afterAll(() => {
  expect(problems, 'no console errors during the browser tests').toEqual([])
})

const shot = (name: string) => shotOf(page, name)
const rows = () => page.locator('.el-table__body-wrapper tbody tr')
/** A row's cells as they read, empty ones left out. */
const cells = async (row: Locator) => (await row.locator('td').allInnerTexts()).map((s) => s.trim()).filter(Boolean)

test('the owner finds a customer in the sales analysis and opens what it bought', async () => {
  await page.locator('.aside .el-sub-menu__title').filter({ hasText: '报表' }).click()
  await page.locator('.aside .el-menu-item').filter({ hasText: /^\s*销售分析\s*$/ }).click()
  await expect(page).toHaveURL(/\/reports\/sales$/)
  await expect(page.locator('[data-test=sales-totals]')).toBeVisible()
  await shot('r01-sales-by-item')

  await page.locator('[data-test=sales-by-customer]').click()
  await expect(page).toHaveURL(/by=customer/)
  await page.locator('input[data-test=list-search]').fill(CUSTOMER.code)
  await expect(rows()).toHaveCount(1)
  const row = rows().first()
  await expect(row).toContainText(CUSTOMER.name)
  // 125.00 with 13 % tax in it: net 110.62; cost 10 × 6.00; profit 50.62, 45.76 % of the net.
  await expect(row).toContainText('110.62')
  await expect(row).toContainText('60.00')
  await expect(row).toContainText('50.62')
  await expect(row).toContainText('45.76%')
  await expect(page.locator('[data-test=sales-total-net]')).toHaveText('110.62')
  await shot('r02-sales-by-customer')

  // The customer's items: the tag says whose, and closing it shows everyone's again.
  await row.click()
  await expect(page).toHaveURL(/by=item/)
  await expect(page.locator('[data-test=sales-drill]')).toContainText(CUSTOMER.name)
  await expect(rows()).toHaveCount(1)
  await expect(rows().first()).toContainText(ITEM.name)
  await expect(rows().first()).toContainText('10')
  await shot('r03-customer-items')

  // An item opens its ledger over the same days.
  await rows().first().click()
  await expect(page).toHaveURL(new RegExp(`/stock/ledger\\?item_id=${itemId}`))
})

test('the sales analysis reads in English', async () => {
  await page.evaluate(() => localStorage.setItem('jxc.lang', 'en'))
  await page.goto('/reports/sales?by=customer')
  await expect(page.locator('.page-head h2')).toHaveText('Sales analysis')
  await page.locator('input[data-test=list-search]').fill(CUSTOMER.code)
  await expect(rows()).toHaveCount(1)
  await expect(rows().first()).toContainText(CUSTOMER.name_en)
  await expect(page.locator('[data-test=sales-totals]')).toContainText('Gross profit')
  await shot('r04-sales-en')
  await page.evaluate(() => localStorage.setItem('jxc.lang', 'zh-CN'))
})

test('the home page shows today\'s sales and the last 30 days', async () => {
  await page.goto('/')
  const fmt = (v: string) => Number(v).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
  await expect(page.locator('[data-test=glance-today]')).toContainText(fmt(todayNet))
  await expect(page.locator('[data-test=glance-today]')).toContainText('毛利')
  await expect(page.locator('[data-test=glance-receivables]')).toBeVisible()
  await expect(page.locator('[data-test=glance-alerts]')).toBeVisible()
  await expect(page.locator('[data-test=home-trend] .bar-col')).toHaveCount(30)
  // Today sold something: its bar stands.
  const bar = page.locator('[data-test=home-trend] .bar-col').last().locator('.bar')
  expect(await bar.evaluate((e) => e.getBoundingClientRect().height)).toBeGreaterThan(0)
  await shot('r05-home-glance')
  await page.locator('[data-test=glance-today]').click()
  await expect(page).toHaveURL(/\/reports\/sales\?by=item&from=/)
})

test('the owner finds a supplier in the purchase analysis and opens what was bought', async () => {
  await page.goto('/')
  const entry = page.locator('.aside .el-menu-item').filter({ hasText: /^\s*采购分析\s*$/ })
  if (!(await entry.isVisible())) await page.locator('.aside .el-sub-menu__title').filter({ hasText: '报表' }).click()
  await entry.click()
  await expect(page).toHaveURL(/\/reports\/purchases$/)
  await expect(page.locator('.page-head h2')).toHaveText('采购分析')
  await expect(page.locator('[data-test=purchases-totals]')).toBeVisible()
  await shot('r06-purchases-by-item')

  await page.locator('[data-test=purchases-by-supplier]').click()
  await expect(page).toHaveURL(/by=supplier/)
  await page.locator('input[data-test=list-search]').fill(SUPPLIER.code)
  await expect(rows()).toHaveCount(1)
  const row = rows().first()
  await expect(row).toContainText(SUPPLIER.name)
  // 72.00 in, 28.80 back, 43.20 net; the reversed receipt counts for nothing; two documents.
  await expect.poll(() => cells(row)).toEqual([SUPPLIER.code, SUPPLIER.name, '72.00', '28.80', '43.20', '2'])
  await expect(page.locator('[data-test=purchases-total-net]')).toHaveText('43.20')
  await expect(page.locator('[data-test=purchases-total-back]')).toHaveText('28.80')
  await shot('r07-purchases-by-supplier')

  // The supplier's items: 10 − 4 = 6 bottles for 43.20, 7.20 each.
  await row.click()
  await expect(page).toHaveURL(/by=item.*partner_id=\d+/)
  await expect(page.locator('[data-test=purchases-supplier]')).toContainText(SUPPLIER.name)
  await expect(rows()).toHaveCount(1)
  const item = rows().first()
  await expect.poll(() => cells(item)).toEqual([BOUGHT.code, BOUGHT.name, '瓶', '6', '72.00', '28.80', '43.20', '7.20', '2'])
  await shot('r08-supplier-items')

  // On a phone the filters wrap: nothing scrolls sideways.
  await page.setViewportSize({ width: 390, height: 844 })
  await expect(rows()).toHaveCount(1)
  await shot('r09-purchases-390')
  const width = await page.evaluate(() => document.documentElement.scrollWidth)
  expect(width, 'no sideways scrolling at 390 px').toBeLessThanOrEqual(390)
  await page.setViewportSize({ width: 1366, height: 800 })

  // An item opens its ledger over the same days.
  await item.click()
  await expect(page).toHaveURL(/\/stock\/ledger\?item_id=\d+/)
})

test('the purchase analysis reads in English', async () => {
  await page.evaluate(() => localStorage.setItem('jxc.lang', 'en'))
  await page.goto('/reports/purchases?by=supplier')
  await expect(page.locator('.page-head h2')).toHaveText('Purchase analysis')
  await page.locator('input[data-test=list-search]').fill(SUPPLIER.code)
  await expect(rows()).toHaveCount(1)
  await expect(rows().first()).toContainText(SUPPLIER.name_en)
  await expect(page.locator('[data-test=purchases-totals]')).toContainText('Net purchases')
  await expect(page.locator('[data-test=purchases-by-supplier]')).toHaveText('By supplier')
  await shot('r10-purchases-en')
  await page.evaluate(() => localStorage.setItem('jxc.lang', 'zh-CN'))
})

// 报表 → ABC 分类: a category of its own whose three items sell 70.00,
// 20.00 and 10.00 (no tax, cost 1.00 a bottle) — shares 70, 20, 10 %,
// running 70, 90, 100 %; before them 0, 70 and 90 %, so A, A, B at 80/95
// and A, B, C at 70/90; by gross profit (63, 18, 9) the same shares. The
// strip sums each class; a row opens the item's ledger; on a phone nothing
// scrolls sideways; the screen reads in English.
test('the owner ranks a category\'s items in the ABC analysis', async ({}, info) => {
  const api = await adminAPI(String(info.project.use.baseURL))
  const bottle = (await get(api, '/units?q=BOTTLE&archived=all')).items.find((u: { code: string }) => u.code === 'BOTTLE').id
  const wh = (await get(api, '/warehouses?q=SH')).items.find((w: { code: string }) => w.code === 'SH')
  const cat = (await post(api, '/categories', { code: 'ABC-' + stamp, name: 'ABC测试类' + stamp })).id
  const customer = (await post(api, '/partners', { code: 'AC-' + stamp, name: 'ABC测试客户' + stamp, kind: 'customer' })).id
  const made: { id: number; code: string; name: string }[] = []
  for (const [i, qty] of ['7', '2', '1'].entries()) {
    const it = { code: `AB${i + 1}-${stamp}`, name: `ABC商品${i + 1}-${stamp}`, name_en: `ABC item ${i + 1} ${stamp}` }
    const id = (await post(api, '/items', { ...it, base_unit_id: bottle, category_id: cat, tracking: 'none', tax_rate: '0' })).id
    await post(api, '/stock/documents?post=true', { type: 'stock_opening', warehouse_id: wh.id, lines: [{ item_id: id, qty: '20', price: '1' }] })
    await post(api, '/sales/shipments?post=true', { partner_id: customer, warehouse_id: wh.id, lines: [{ item_id: id, qty, price: '10', tax_rate: '0' }] })
    made.push({ id, ...it })
  }
  await api.dispose()

  await page.goto('/')
  const entry = page.locator('.aside .el-menu-item').filter({ hasText: /^\s*ABC 分类\s*$/ })
  if (!(await entry.isVisible())) await page.locator('.aside .el-sub-menu__title').filter({ hasText: '报表' }).click()
  await entry.click()
  await expect(page).toHaveURL(/\/reports\/abc$/)
  await expect(page.locator('.page-head h2')).toHaveText('ABC 分类')
  await expect(page.locator('[data-test=abc-totals]')).toBeVisible()
  await expect(page.getByText('库龄报表尚未完成。')).toHaveCount(0)
  await shot('r11-abc-all')

  await page.goto(`/reports/abc?category_id=${cat}`)
  await expect(rows()).toHaveCount(3)
  await expect.poll(() => cells(rows().nth(0))).toEqual(['1', made[0].code, made[0].name, '70.00', '70.00%', '70.00%', 'A'])
  await expect.poll(() => cells(rows().nth(1))).toEqual(['2', made[1].code, made[1].name, '20.00', '20.00%', '90.00%', 'A'])
  await expect.poll(() => cells(rows().nth(2))).toEqual(['3', made[2].code, made[2].name, '10.00', '10.00%', '100.00%', 'B'])
  await expect(rows().nth(0).locator('.el-tag--success')).toHaveText('A')
  await expect(rows().nth(2).locator('.el-tag--warning')).toHaveText('B')
  await expect(page.locator('[data-test=abc-total-A]')).toContainText('2 个商品')
  await expect(page.locator('[data-test=abc-total-A]')).toContainText('90.00')
  await expect(page.locator('[data-test=abc-total-B]')).toContainText('10.00%')
  await expect(page.locator('[data-test=abc-total-C]')).toContainText('0 个商品')
  await expect(page.locator('[data-test=abc-total-measure]')).toHaveText('100.00')
  await shot('r12-abc-category')

  // Lines at 70 and 90: 70 is not below 70, B; 90 is not below 90, C.
  const a = page.locator('[data-test=abc-a] input')
  await a.fill('70')
  await a.press('Enter')
  const b = page.locator('[data-test=abc-b] input')
  await b.fill('90')
  await b.press('Enter')
  await expect(page).toHaveURL(/a=70.*b=90|b=90.*a=70/)
  await expect.poll(() => cells(rows().nth(1))).toEqual(['2', made[1].code, made[1].name, '20.00', '20.00%', '90.00%', 'B'])
  await expect.poll(() => cells(rows().nth(2))).toEqual(['3', made[2].code, made[2].name, '10.00', '10.00%', '100.00%', 'C'])
  await expect(rows().nth(2).locator('.el-tag--info')).toHaveText('C')
  await expect(page.locator('[data-test=abc-total-C]')).toContainText('1 个商品')

  // By gross profit: 63.00, 18.00, 9.00 of 90.00.
  await page.locator('[data-test=abc-measure-profit]').click()
  await expect(page).toHaveURL(/measure=profit/)
  await expect.poll(() => cells(rows().nth(0))).toEqual(['1', made[0].code, made[0].name, '63.00', '70.00%', '70.00%', 'A'])
  await expect(page.locator('[data-test=abc-total-measure]')).toHaveText('90.00')
  await expect(page.locator('[data-test=abc-totals]')).toContainText('毛利')

  // On a phone the filters and the strip wrap: nothing scrolls sideways.
  await page.setViewportSize({ width: 390, height: 844 })
  await expect(rows()).toHaveCount(3)
  await shot('r13-abc-390')
  const width = await page.evaluate(() => document.documentElement.scrollWidth)
  expect(width, 'no sideways scrolling at 390 px').toBeLessThanOrEqual(390)
  await page.setViewportSize({ width: 1366, height: 800 })

  // A row opens the item's ledger over the same days.
  await rows().first().click()
  await expect(page).toHaveURL(new RegExp(`/stock/ledger\\?item_id=${made[0].id}`))

  await page.evaluate(() => localStorage.setItem('jxc.lang', 'en'))
  await page.goto(`/reports/abc?category_id=${cat}`)
  await expect(page.locator('.page-head h2')).toHaveText('ABC analysis')
  await expect(rows()).toHaveCount(3)
  await expect(rows().first()).toContainText(made[0].name_en)
  await expect(page.locator('[data-test=abc-total-A]')).toContainText('2 items')
  await expect(page.locator('[data-test=abc-measure-sales]')).toHaveText('Net sales')
  await shot('r14-abc-en')
  await page.evaluate(() => localStorage.setItem('jxc.lang', 'zh-CN'))
})

test('the owner sees how long a category\'s stock has been in the warehouse', async ({}, info) => {
  // 10 at 2.00 opened on day −100, 5 at 2.00 received on day −10: 5 are
  // 0–30 days old (10.00), 10 are 91–180 (20.00), 100 days at the oldest.
  const api = await adminAPI(String(info.project.use.baseURL))
  const bottle = (await get(api, '/units?q=BOTTLE&archived=all')).items.find((u: { code: string }) => u.code === 'BOTTLE').id
  const wh = (await get(api, '/warehouses?q=SH')).items.find((w: { code: string }) => w.code === 'SH')
  const cat = (await post(api, '/categories', { code: 'AGE-' + stamp, name: '库龄测试类' + stamp })).id
  const it = { code: 'AG-' + stamp, name: '库龄商品' + stamp, name_en: 'Ageing item ' + stamp }
  const id = (await post(api, '/items', { ...it, base_unit_id: bottle, category_id: cat, tracking: 'none', tax_rate: '0' })).id
  const ago = (n: number) => {
    const d = new Date()
    d.setDate(d.getDate() - n)
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
  }
  await post(api, '/stock/documents?post=true', { type: 'stock_opening', warehouse_id: wh.id, date: ago(100), lines: [{ item_id: id, qty: '10', price: '2' }] })
  await post(api, '/stock/documents?post=true', { type: 'stock_in', reason: 'other', warehouse_id: wh.id, date: ago(10), lines: [{ item_id: id, qty: '5', price: '2' }] })
  await api.dispose()

  await page.goto('/')
  const entry = page.locator('.aside .el-menu-item').filter({ hasText: /^\s*库龄分析\s*$/ })
  if (!(await entry.isVisible())) await page.locator('.aside .el-sub-menu__title').filter({ hasText: '报表' }).click()
  await entry.click()
  await expect(page).toHaveURL(/\/reports\/ageing$/)
  await expect(page.locator('.page-head h2')).toHaveText('库龄分析')
  await expect(page.locator('[data-test=ageing-totals]')).toBeVisible()
  await shot('r15-ageing-all')

  await page.goto(`/reports/ageing?category_id=${cat}`)
  await expect(rows()).toHaveCount(1)
  await expect.poll(() => cells(rows().nth(0))).toEqual([it.code, it.name, '15', '30.00', '5', '0', '0', '10', '0', '10.00', '0.00', '0.00', '20.00', '0.00', '100 天'])
  await expect(page.locator('[data-test=ageing-totals]')).toContainText('1 个商品')
  await expect(page.locator('[data-test=ageing-total-value]')).toHaveText('30.00')
  await expect(page.locator('[data-test=ageing-total-b180]')).toContainText('20.00')
  await shot('r16-ageing-category')

  // As of 50 days ago: only the opening, 50 days old.
  await page.goto(`/reports/ageing?category_id=${cat}&as_of=${ago(50)}`)
  await expect.poll(() => cells(rows().nth(0))).toEqual([it.code, it.name, '10', '20.00', '0', '10', '0', '0', '0', '0.00', '20.00', '0.00', '0.00', '0.00', '50 天'])
  await expect(page.locator('[data-test=ageing-as-of] input')).toHaveValue(ago(50))

  // On a phone the filters and the strip wrap: nothing scrolls sideways.
  await page.setViewportSize({ width: 390, height: 844 })
  await expect(rows()).toHaveCount(1)
  await shot('r17-ageing-390')
  const width = await page.evaluate(() => document.documentElement.scrollWidth)
  expect(width, 'no sideways scrolling at 390 px').toBeLessThanOrEqual(390)
  await page.setViewportSize({ width: 1366, height: 800 })

  // A row opens the item's ledger up to the day.
  await rows().first().click()
  await expect(page).toHaveURL(new RegExp(`/stock/ledger\\?item_id=${id}`))

  await page.evaluate(() => localStorage.setItem('jxc.lang', 'en'))
  await page.goto(`/reports/ageing?category_id=${cat}`)
  await expect(page.locator('.page-head h2')).toHaveText('Stock ageing')
  await expect(rows()).toHaveCount(1)
  await expect(rows().first()).toContainText(it.name_en)
  await expect(page.locator('[data-test=ageing-total-over]')).toContainText('Over 180 days')
  await shot('r18-ageing-en')
  await page.evaluate(() => localStorage.setItem('jxc.lang', 'zh-CN'))
})
