// Purchasing in the browser, against a real jxc with the demo company. A
// purchaser receives part of an order by scanning (three scans, one bottle
// rejected at inspection, a scan of an item not on the order refused),
// posts the receipt and prints it; the order then shows what is still
// open. An order is typed by keyboard alone and placed; the supplier's
// bill for the receipt comes in dearer, waits for approval and shows the
// price variance in its 3-way match. The receiving screen is looked at on
// a phone and in English. A fresh warehouse, supplier and items keep the
// spec independent of the others. No console errors.
import { test, expect, type Page } from '@playwright/test'
import { mkdirSync } from 'node:fs'
import { SHOTS, adminAPI, get, post, signIn, watchedPage } from './support'

mkdirSync(SHOTS, { recursive: true })

const stamp = Date.now().toString(36).toUpperCase().slice(-5)
const WH = '采购仓' + stamp
const SUPPLIER = '清源水业' + stamp
const A = { code: 'CGA-' + stamp, name: '采购测试矿泉水' + stamp, ean: '69' + String(Date.now()).slice(-10) + '5' }
const B = { code: 'CGB-' + stamp, name: '采购测试苏打水' + stamp, ean: '69' + String(Date.now()).slice(-10) + '6' }
const BUYER = 'buyer' + stamp.toLowerCase()
const BUYER_PASSWORD = 'buyer-pass-' + stamp + '-1'

test.describe.configure({ mode: 'serial' })

let page: Page
const problems: string[] = []
const expectedStatus = new Set<number>()
let order = { id: 0, number: '' }
let receiptNumber = ''

test.beforeAll(async ({ browser }, info) => {
  // The administrator sets the stage: a warehouse, a supplier, two items
  // with barcodes, a placed order of 10 bottles of A, and a purchaser.
  const api = await adminAPI(String(info.project.use.baseURL))
  const me = await get(api, '/auth/me')
  const bottle = (await get(api, '/units?q=BOTTLE&archived=all')).items.find((u: { code: string }) => u.code === 'BOTTLE').id
  const wh = await post(api, '/warehouses', { code: 'CG' + stamp, name: WH, name_en: 'Purchasing ' + stamp })
  const sup = await post(api, '/partners', { code: 'GYS' + stamp, name: SUPPLIER, name_en: 'Clear Source ' + stamp, kind: 'supplier', payment_terms_days: 30 })
  const a = await post(api, '/items', { code: A.code, name: A.name, spec: '550ml', base_unit_id: bottle, barcode: A.ean, tracking: 'none', purchase_price: '2.26', tax_rate: '13' })
  await post(api, '/items', { code: B.code, name: B.name, spec: '330ml', base_unit_id: bottle, barcode: B.ean, tracking: 'none', purchase_price: '3', tax_rate: '13' })
  const o = await post(api, '/purchase/orders?post=true', {
    partner_id: sup.id, warehouse_id: wh.id, tax_included: true, note: 'e2e ' + stamp,
    lines: [{ item_id: a.id, qty: '10', price: '2.26' }],
  })
  order = { id: o.id, number: o.number }
  const roles = await get(api, '/roles?limit=100')
  const role = roles.items.find((r: { code: string }) => r.code === 'purchaser')
  await post(api, '/users', {
    username: BUYER, display_name: '采购员小王', password: BUYER_PASSWORD, language: 'zh-CN', active: true,
    roles: [{ company_id: me.company_id, role_id: role.id }],
  })
  await api.dispose()

  page = await watchedPage(browser, problems, expectedStatus)
  await signIn(page, BUYER, BUYER_PASSWORD)
})

test.afterAll(() => {
  expect(problems, 'no console errors during the browser tests').toEqual([])
})

async function shot(name: string, p = page) {
  await p.waitForLoadState('networkidle')
  await expect(p.locator('.el-loading-mask:visible')).toHaveCount(0)
  await p.waitForTimeout(300) // let row highlights fade and messages settle
  await p.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: false })
}

/** A barcode gun: fast keys ending with Enter, into a scan field that has the focus. */
async function scan(field: string, code: string, p = page, delay = 5) {
  await expect(p.locator(`input[data-test=${field}]`)).toBeFocused()
  await p.keyboard.type(code, { delay })
  await p.keyboard.press('Enter')
}

async function openMenu(title: string) {
  await page.locator('.aside .el-menu-item').filter({ hasText: new RegExp('^\\s*' + title + '\\s*$') }).click()
}

async function confirmBox(want?: string) {
  const box = page.locator('.el-message-box')
  await expect(box).toBeVisible()
  if (want) await expect(box).toContainText(want)
  await box.locator('.el-message-box__btns .el-button--primary').click()
  await expect(box).toBeHidden()
}

const row = (name: string) => page.locator('[data-test=receive-lines] .el-table__body tr').filter({ hasText: name })

test('a purchaser receives part of an order by scanning and prints the receipt', async () => {
  await openMenu('扫码收货')
  await expect(page).toHaveURL(/\/purchase\/receive$/)
  await expect(page.locator('[data-test=receive-orders]')).toContainText(order.number)
  await shot('p01-receive-pick-order')

  // The order's number, scanned from the paper order.
  await scan('receive-order-scan', order.number)
  await expect(page.locator('[data-test=receive-order-number]')).toHaveText(order.number)
  await expect(page).toHaveURL(new RegExp(`/purchase/receive\\?order=${order.id}$`))
  const line = row(A.name)
  await expect(line.locator('[data-test=receive-open]')).toHaveText('10')

  // Three bottles come off the truck: three scans, the next begun while
  // the first is still being looked up on a slow network, and typed at a
  // hand's pace (no scanner burst): none of them may be cut or lost.
  await page.route('**/api/v1/items/by-barcode/**', async (r) => {
    await new Promise((done) => setTimeout(done, 400))
    await r.continue()
  })
  await scan('receive-scan', A.ean)
  for (let i = 0; i < 2; i++) await scan('receive-scan', A.ean, page, 60)
  await page.unroute('**/api/v1/items/by-barcode/**')
  await expect(line.locator('input[data-test=receive-qty]')).toHaveValue('3')
  await expect(page.locator('[data-test=receive-last]')).toContainText('本次 3 瓶，未收 10')

  // A bottle of something that was not ordered is refused, and nothing changes.
  await scan('receive-scan', B.ean)
  await expect(page.locator('[data-test=receive-last]')).toContainText(`${B.code} ${B.name} 不在这张订单上`)
  await expect(line.locator('input[data-test=receive-qty]')).toHaveValue('3')
  await expect(page.locator('input[data-test=receive-scan]')).toHaveValue('')

  // One bottle is dented: rejected at inspection.
  await line.locator('input[data-test=receive-rejected]').fill('1')
  await page.locator('input[data-test=receive-ref]').fill('SH-' + stamp)
  await expect(page.locator('[data-test=receive-summary]')).toContainText('本次收货 1 行：3 瓶')
  await expect(page.locator('[data-test=receive-summary]')).toContainText('其中拒收 1 瓶')
  await shot('p02-receive-scanned')

  await page.locator('[data-test=receive-post]').click()
  await confirmBox('拒收 1 瓶')
  const done = page.locator('[data-test=receive-done]')
  await expect(done).toBeVisible()
  receiptNumber = (await page.locator('[data-test=receive-number]').textContent()) || ''
  expect(receiptNumber).toMatch(/^RK\d{8}-\d{4}$/)
  await expect(page.locator('[data-test=receive-done-summary]')).toHaveText('本次收货 1 行：3 瓶 · 其中拒收 1 瓶')
  // The order again, as it stands now: two accepted, eight still to come (the reject is still owed).
  await expect(line.locator('[data-test=receive-received]')).toHaveText('2')
  await expect(line.locator('[data-test=receive-open]')).toHaveText('8')
  await expect(line.locator('input[data-test=receive-qty]')).toHaveValue('')
  await shot('p03-receive-posted')

  // 打印 opens the receipt as a PDF in a new tab.
  const popup = page.waitForEvent('popup')
  await done.locator('[data-test=doc-print] .el-button').first().click()
  const tab = await popup
  const url = tab.url()
  expect(url).toMatch(/\/api\/v1\/purchase\/receipts\/\d+\/pdf\?lang=zh-CN$/)
  await tab.close()
  const pdf = await page.request.get(url)
  expect(pdf.status()).toBe(200)
  expect(pdf.headers()['content-type']).toBe('application/pdf')
  expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-')

  // The order's page says the same, and lists the receipt.
  await page.locator('[data-test=receive-open-order]').click()
  await expect(page).toHaveURL(new RegExp(`/purchase/orders/${order.id}$`))
  await expect(page.locator('[data-test=doc-state]')).toHaveText('已下达')
  await expect(page.locator('[data-test=line-received-0]')).toHaveText('2')
  await expect(page.locator('[data-test=line-open-0]')).toHaveText('8')
  const related = page.locator('[data-test=doc-related]')
  await expect(related).toContainText(receiptNumber)
  await expect(page.locator('[data-test=doc-receive]')).toBeVisible()
  await expect(page.locator('[data-test=doc-close]')).toBeVisible()
  await shot('p04-order-partly-received')

  // And the receipt names its order and the reject.
  await related.locator('[data-test=doc-related-link]').filter({ hasText: receiptNumber }).click()
  await expect(page.locator('[data-test=doc-number]')).toHaveText(receiptNumber)
  await expect(page.locator('[data-test=doc-source-link]')).toHaveText(order.number)
  await expect(page.locator('[data-test=line-qty-0]')).toHaveText('3')
  await expect(page.locator('[data-test=doc-total-qty]')).toHaveText('2')
  await expect(page.locator('[data-test=doc-total-gross]')).toHaveText('4.52')
  await shot('p05-receipt')
})

test('the supplier bills the receipt dearer: approval first, the variance in the 3-way match', async () => {
  await page.locator('[data-test=doc-bill]').click()
  await expect(page).toHaveURL(/\/purchase\/bills\/new\?from=\d+$/)
  await expect(page.locator('input[data-test=line-qty-0]')).toHaveValue('2')
  await expect(page.locator('[data-test=line-open-hint-0]')).toHaveText('待开票 2 瓶')
  await page.locator('[data-test=doc-ref] input, input[data-test=doc-ref]').first().fill('FP-' + stamp)
  await page.locator('input[data-test=line-price-0]').fill('2.40')
  await expect(page.locator('[data-test=doc-total-gross]')).toHaveText('4.80')
  await page.keyboard.press('Control+s')
  await expect(page).toHaveURL(/\/purchase\/bills\/\d+$/)
  await expect(page.locator('[data-test=doc-state]')).toHaveText('草稿')
  // 2 × 2.40 with tax is 4.25 net; received at 4.00 net: 0.25 dearer.
  await expect(page.locator('[data-test=line-variance-0]')).toHaveText('+0.25')
  await expect(page.locator('[data-test=doc-variance]')).toBeVisible()
  await expect(page.locator('[data-test=doc-post]')).toHaveCount(0)
  const match = page.locator('[data-test=bill-match]')
  await expect(match).toContainText(order.number)
  await expect(match).toContainText(receiptNumber)
  await expect(match.locator('[data-test=match-price-variance]')).toHaveText('+0.25')
  await shot('p06-bill-variance')

  await page.locator('[data-test=doc-submit]').click()
  await expect(page.locator('[data-test=doc-state]')).toHaveText('待审核')
  await page.locator('[data-test=doc-approve]').click()
  await expect(page.locator('[data-test=doc-state]')).toHaveText('已审核')
  await page.locator('[data-test=doc-post]').click()
  await confirmBox()
  await expect(page.locator('[data-test=doc-state]')).toHaveText('已过账')
  await expect(page.locator('[data-test=doc-source-link]')).toHaveText(receiptNumber)
  await shot('p07-bill-posted')
})

test('an order typed by keyboard alone, saved and placed', async () => {
  await openMenu('新建采购订单')
  await expect(page).toHaveURL(/\/purchase\/orders\/new$/)
  // The supplier field has the focus; Enter takes the first match, then the warehouse, then the first line.
  await expect(page.locator('[data-test=doc-supplier] input')).toBeFocused()
  await page.keyboard.type(SUPPLIER)
  await expect(page.locator('.el-select-dropdown__item:visible').filter({ hasText: SUPPLIER })).toHaveCount(1)
  await page.keyboard.press('Enter')
  await expect(page.locator('[data-test=doc-warehouse] input')).toBeFocused()
  await page.keyboard.type(WH)
  await expect(page.locator('.el-select-dropdown__item:visible').filter({ hasText: WH })).toHaveCount(1)
  await page.keyboard.press('Enter')
  await expect(page.locator('[data-test=line-item-0] input')).toBeFocused()
  await page.keyboard.type(B.code)
  await expect(page.locator('.el-select-dropdown__item:visible').filter({ hasText: B.name })).toHaveCount(1)
  await page.keyboard.press('Enter')
  // Quantity, Enter, price (the item's purchase price to start with), Enter: a new line for the next item.
  await expect(page.locator('input[data-test=line-qty-0]')).toBeFocused()
  await page.keyboard.type('4')
  await page.keyboard.press('Enter')
  await expect(page.locator('input[data-test=line-price-0]')).toBeFocused()
  await expect(page.locator('input[data-test=line-price-0]')).toHaveValue('3.00')
  await page.keyboard.type('5.5')
  await page.keyboard.press('Enter')
  await expect(page.locator('[data-test=line-item-1] input')).toBeFocused()
  await page.keyboard.type(A.code)
  await expect(page.locator('.el-select-dropdown__item:visible').filter({ hasText: A.name })).toHaveCount(1)
  await page.keyboard.press('Enter')
  await page.keyboard.type('24')
  await page.keyboard.press('Enter')
  await page.keyboard.press('Enter') // keep the price
  // 4 × 5.50 + 24 × 2.26 with 13% tax included.
  await expect(page.locator('[data-test=doc-total-gross]')).toHaveText('76.24')
  await expect(page.locator('[data-test=doc-total-net]')).toHaveText('67.47')
  await expect(page.locator('[data-test=doc-total-tax]')).toHaveText('8.77')
  await shot('p08-order-typed')

  await page.keyboard.press('Control+s')
  await expect(page).toHaveURL(/\/purchase\/orders\/\d+$/)
  await expect(page.locator('[data-test=doc-state]')).toHaveText('草稿')
  await page.keyboard.press('Control+Enter')
  await confirmBox('下达')
  await expect(page.locator('[data-test=doc-state]')).toHaveText('已下达')
  // The server's totals agree with what the screen worked out.
  await expect(page.locator('[data-test=doc-total-gross]')).toHaveText('76.24')
  await expect(page.locator('[data-test=doc-total-net]')).toHaveText('67.47')
  await expect(page.locator('[data-test=line-open-1]')).toHaveText('24')
  await shot('p09-order-placed')
})

test('a receipt of a batch item asks for the batch before asking to post', async ({}, info) => {
  const api = await adminAPI(String(info.project.use.baseURL))
  const bottle = (await get(api, '/units?q=BOTTLE&archived=all')).items.find((u: { code: string }) => u.code === 'BOTTLE').id
  const C = { code: 'CGC-' + stamp, name: '采购测试批次果汁' + stamp }
  await post(api, '/items', { code: C.code, name: C.name, base_unit_id: bottle, tracking: 'batch', purchase_price: '4', tax_rate: '13' })
  await api.dispose()

  await page.goto('/purchase/receipts/new')
  await expect(page.locator('[data-test=doc-supplier] input')).toBeFocused()
  await page.keyboard.type(SUPPLIER)
  await expect(page.locator('.el-select-dropdown__item:visible')).toHaveText([new RegExp(SUPPLIER)])
  await page.keyboard.press('Enter')
  // The warehouse of the last receipt is kept; a receipt starts with no line.
  await expect(page.locator('[data-test=doc-warehouse]')).toContainText(WH)
  await page.locator('[data-test=line-add]').click()
  await expect(page.locator('[data-test=line-item-0] input')).toBeFocused()
  await page.keyboard.type(C.code)
  await expect(page.locator('.el-select-dropdown__item:visible')).toHaveText([new RegExp(C.name)])
  await page.keyboard.press('Enter')
  await expect(page.locator('input[data-test=line-qty-0]')).toBeFocused()
  await page.keyboard.press('Control+a')
  await page.keyboard.type('0')
  // Posting with no batch and no quantity: the line says so, and 确定过账？ is not asked.
  await page.keyboard.press('Control+Enter')
  await expect(page.locator('[data-test=line-qty-error-0]')).toHaveText('数量必须大于 0')
  await expect(page.locator('[data-test=line-batch-error-0]')).toHaveText('必填')
  await expect(page.locator('.el-message-box')).toHaveCount(0)
  // Each error goes as its cell is put right.
  await page.locator('input[data-test=line-qty-0]').fill('6')
  await expect(page.locator('[data-test=line-qty-error-0]')).toHaveCount(0)
  await expect(page.locator('[data-test=line-batch-error-0]')).toHaveText('必填')
  await page.locator('input[data-test=line-batch-0]').fill('B' + stamp)
  await expect(page.locator('[data-test=line-batch-error-0]')).toHaveCount(0)
  await page.keyboard.press('Control+Enter')
  await confirmBox()
  await expect(page.locator('[data-test=doc-state]')).toHaveText('已过账')
})

test('the receiving screen on a phone and in English', async ({ browser }) => {
  const phone = await browser.newContext({ locale: 'en', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })
  await phone.addInitScript(() => localStorage.setItem('jxc.lang', 'en'))
  const p = await phone.newPage()
  p.on('console', (m) => m.type() === 'error' && problems.push(`phone console: ${m.text()}`))
  p.on('pageerror', (e) => problems.push(`phone page error: ${e.message}`))
  await signIn(p, BUYER, BUYER_PASSWORD)
  await p.goto(`/purchase/receive?order=${order.id}`)
  await expect(p.locator('[data-test=receive-order-number]')).toHaveText(order.number)
  await scan('receive-scan', A.ean, p)
  const card = p.locator('[data-test=receive-lines] .line-card').filter({ hasText: A.name })
  await expect(card.locator('input[data-test=receive-qty]')).toHaveValue('1')
  await expect(card).toContainText('Open 8')
  // In English the supplier goes by its English name, here and on the order.
  await expect(p.locator('[data-test=receive-header]')).toContainText('Clear Source ' + stamp)
  await expect(p.locator('[data-test=receive-header]')).not.toContainText(SUPPLIER)
  await shot('p10-receive-phone-en', p)
  await p.goto(`/purchase/orders/${order.id}`)
  await expect(p.locator('[data-test=doc-supplier-name]')).toHaveText('Clear Source ' + stamp)
  await phone.close()
})
