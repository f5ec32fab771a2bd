// A sales return as the counter clerk types it, against a real jxc with the
// demo company. Set up through the API: an order of X 24 × 1.27 and Y 10 ×
// 2.86 less 5 % (13 %, prices with tax) with 3.50 off the whole bill
// (54.15), and a delivery note of 12 X and all of Y, which charges its
// share of that discount (39.83, not 42.41). The customer brings back 2 Y:
// the return from the delivery note starts with nothing to return, shows no
// bin id, refunds 2 Y at what they were charged (5.43 less their 0.33 of
// the discount: 5.10) before and after posting, and leaves X alone. The
// item's ledger then names both documents and opens them.
import { test, expect, type Page } from '@playwright/test'
import { mkdirSync } from 'node:fs'
import { PASSWORD, SHOTS, USER, adminAPI, confirmBox, get, post, shot, signIn, watchedPage } from './support'

mkdirSync(SHOTS, { recursive: true })

const stamp = Date.now().toString(36).toUpperCase().slice(-5)
test.describe.configure({ mode: 'serial' })

let page: Page
let shipmentId = 0
let itemY = 0
const problems: string[] = []
const expectedStatus = new Set<number>()

test.beforeAll(async ({ browser }, info) => {
  const api = await adminAPI(String(info.project.use.baseURL))
  const bottle = (await get(api, '/units?q=BOTTLE&archived=all')).items.find((u: { code: string }) => u.code === 'BOTTLE').id
  const wh = (await get(api, '/warehouses?q=SH')).items.find((w: { code: string }) => w.code === 'SH')
  const customer = (await post(api, '/partners', { code: 'RC-' + stamp, name: '退货测试客户' + stamp, kind: 'customer' })).id
  const item = async (code: string) =>
    (await post(api, '/items', { code: code + '-' + stamp, name: '退货测试' + code + stamp, base_unit_id: bottle, tracking: 'none', tax_rate: '13' })).id
  const x = await item('RX')
  const y = await item('RY')
  itemY = y
  await post(api, '/stock/documents?post=true', { type: 'stock_opening', warehouse_id: wh.id, lines: [{ item_id: x, qty: '50', price: '1' }, { item_id: y, qty: '50', price: '1' }] })
  const order = await post(api, '/sales/orders?post=true', {
    partner_id: customer, warehouse_id: wh.id, tax_included: true, discount: '3.50',
    lines: [{ item_id: x, qty: '24', price: '1.27', tax_rate: '13' }, { item_id: y, qty: '10', price: '2.86', tax_rate: '13', discount_rate: '5' }],
  })
  expect(order.gross_amount).toBe('54.15')
  const ship = await post(api, '/sales/shipments?post=true', {
    partner_id: customer, warehouse_id: wh.id, lines: [{ source_line_id: order.lines[0].id, qty: '12' }, { source_line_id: order.lines[1].id, qty: '10' }],
  })
  expect(ship.gross_amount).toBe('39.83')
  shipmentId = ship.id
  await api.dispose()
  page = await watchedPage(browser, problems, expectedStatus)
  await signIn(page, USER, PASSWORD)
})

test.afterAll(() => {
  expect(problems, 'no console errors during the browser tests').toEqual([])
})

test('a return from the delivery note starts empty and refunds what was charged', async () => {
  await page.goto(`/sales/shipments/${shipmentId}`)
  await expect(page.locator('[data-test=doc-total-gross]')).toHaveText('39.83')
  await page.locator('[data-test=doc-return]').click()
  await expect(page).toHaveURL(/\/sales\/returns\/new\?from=\d+$/)
  await expect(page.locator('[data-test=line-open-hint-0]')).toHaveText('可退 12 瓶')
  await expect(page.locator('input[data-test=line-qty-0]')).toHaveValue('')
  await expect(page.locator('input[data-test=line-qty-1]')).toHaveValue('')
  await expect(page.locator('[data-test=doc-total-gross]')).toHaveText('0.00')
  const bin = page.locator('[data-test=line-bin-0]')
  if (await bin.count()) await expect(bin).not.toContainText(/\d/) // a place is named, never shown as its id

  // Nothing typed: the clerk is told what to do, and nothing is sent.
  await page.locator('[data-test=doc-post]').click()
  await expect(page.getByText('请至少在一行填写退货数量')).toBeVisible()

  await page.locator('input[data-test=line-qty-1]').fill('2')
  await expect(page.getByText('请至少在一行填写退货数量')).toBeHidden() // put right: the error goes at once
  await expect(page.locator('[data-test=line-gross-1]')).toHaveText('5.10')
  await expect(page.locator('[data-test=doc-total-gross]')).toHaveText('5.10')
  await shot(page, 'r01-return-new')
  await page.locator('[data-test=doc-post]').click()
  await confirmBox(page)
  await expect(page.locator('[data-test=doc-state]')).toHaveText('已过账')
  await expect(page.locator('[data-test=doc-total-gross]')).toHaveText('5.10')
  await expect(page.locator('.el-table__body-wrapper tr.el-table__row')).toHaveCount(1)
  await shot(page, 'r02-return-posted')
})

test("the item's ledger names the delivery note and the return and opens them", async () => {
  await page.goto(`/stock/ledger?item_id=${itemY}`)
  const rows = page.locator('.el-table__body-wrapper tr.el-table__row')
  await expect(rows.filter({ hasText: '销售出库' })).toHaveCount(1)
  await expect(rows.filter({ hasText: '销售退货' })).toHaveCount(1)
  await expect(page.locator('.el-table__body-wrapper').getByText('sales_', { exact: false })).toHaveCount(0)
  await rows.filter({ hasText: '销售退货' }).locator('[data-test=ledger-doc]').click()
  await expect(page).toHaveURL(/\/sales\/returns\/\d+$/)
  await expect(page.locator('[data-test=doc-total-gross]')).toHaveText('5.10')
})
