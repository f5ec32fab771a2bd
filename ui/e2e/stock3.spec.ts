// Smaller things on the stock screens, against a real jxc with the demo
// company, as the administrator: a month-end close refused while documents
// of the period are open says how many, in both languages; stock alerts
// name the item's spec and unit; a serial number's history names its
// places (warehouse, bin code and name), not ids; a field error in English
// reads "quantity: …" and its cell shows only what is wrong. A fresh
// warehouse keeps the spec independent of the others. No console errors
// except the refusals the steps expect.
import { test, expect, type APIRequestContext, type Page } from '@playwright/test'
import { mkdirSync } from 'node:fs'
import { PASSWORD, SHOTS, USER, adminAPI, get, post, signIn, watchedPage } from './support'

mkdirSync(SHOTS, { recursive: true })

const stamp = Date.now().toString(36).toUpperCase().slice(-5)
const WH = '小修仓' + stamp
const ITEM = { code: 'GAP-' + stamp, name: '小修测试矿泉水' + stamp }

test.describe.configure({ mode: 'serial' })

let page: Page
let api: APIRequestContext
let warehouseId = 0
let itemId = 0
let bottle = 0
const problems: string[] = []
// Chromium logs every 4xx response as a console error. A step that expects
// one names the status here.
const expectedStatus = new Set<number>()

test.beforeAll(async ({ browser }, info) => {
  api = await adminAPI(String(info.project.use.baseURL))
  bottle = (await get(api, '/units?q=BOTTLE&archived=all')).items.find((u: { code: string }) => u.code === 'BOTTLE').id
  warehouseId = (await post(api, '/warehouses', { code: 'GP' + stamp, name: WH, name_en: 'Gaps ' + stamp })).id
  // Below its minimum in the new warehouse from the start: an alert.
  itemId = (await post(api, '/items', {
    code: ITEM.code, name: ITEM.name, spec: '550ml', base_unit_id: bottle, tracking: 'none', purchase_price: '1',
    levels: [{ warehouse_id: warehouseId, safety_qty: '0', min_qty: '10', max_qty: '50', reorder_qty: '0' }],
  })).id

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

async function confirmBox() {
  const box = page.locator('.el-message-box')
  await expect(box).toBeVisible()
  await box.locator('.el-message-box__btns .el-button--primary').click()
  await expect(box).toBeHidden()
}

async function setLang(lang: 'zh-CN' | 'en') {
  await page.evaluate((l) => localStorage.setItem('jxc.lang', l), lang)
}

test('closing a period with open documents says how many, in both languages', async () => {
  // Two drafts dated long ago: the close up to that month is refused (nothing closes).
  const drafts: number[] = []
  for (let i = 0; i < 2; i++) {
    const d = await post(api, '/stock/documents', {
      type: 'stock_in', reason: 'found', warehouse_id: warehouseId, date: '2001-01-1' + i, note: 'e2e ' + stamp,
      lines: [{ item_id: itemId, qty: '1', price: '1' }],
    })
    drafts.push(d.id)
  }
  expectedStatus.add(409)
  for (const [lang, want] of [['zh-CN', '该期间还有 2 张单据未过账也未作废'], ['en', 'neither posted nor cancelled: 2']] as const) {
    await setLang(lang)
    await page.goto('/stock/periods')
    const input = page.locator('[data-test=periods-end] input')
    await input.fill('2001-01-31')
    await input.press('Enter')
    const refused = page.waitForResponse((r) => r.url().endsWith('/stock/periods/close'))
    await page.locator('[data-test=periods-close]').click()
    await confirmBox()
    const r = await refused
    expect(r.status()).toBe(409)
    expect((await r.json()).params).toEqual({ count: '2' })
    const banner = page.locator('[data-test=periods-error]')
    await expect(banner).toContainText(want)
    await expect(banner.locator('a')).toBeVisible() // the way to the open documents
    await shot(`g01-period-open-docs-${lang}`)
  }
  expectedStatus.delete(409)
  await setLang('zh-CN')
  for (const id of drafts) await post(api, `/stock/documents/${id}/cancel`, { version: 0 })
})

test('stock alerts show the spec and the unit of each item', async () => {
  for (const [lang, unit] of [['zh-CN', '瓶'], ['en', 'bottle']] as const) {
    await setLang(lang)
    await page.goto(`/stock/alerts?warehouse_id=${warehouseId}`)
    const row = page.locator('[data-test=alerts-table] .el-table__body tr').filter({ hasText: ITEM.code })
    await expect(row).toHaveCount(1)
    await expect(row.locator('[data-test=alerts-spec]')).toHaveText('550ml')
    await expect(row.locator('[data-test=alerts-unit]')).toHaveText(unit)
    await shot(`g02-alerts-${lang}`)
  }
  await setLang('zh-CN')
})

test('a serial number\'s history names the warehouse and the bin', async () => {
  const sn = 'GSN-' + stamp
  const phone = await post(api, '/items', { code: 'GPH-' + stamp, name: '小修测试手机' + stamp, base_unit_id: bottle, tracking: 'serial', purchase_price: '1000' })
  const bin = await post(api, `/warehouses/${warehouseId}/locations`, { code: 'G-01', name: '小修货架' })
  await post(api, '/stock/documents?post=true', { type: 'stock_opening', warehouse_id: warehouseId, lines: [{ item_id: phone.id, qty: '1', price: '1000', serials: [sn] }] })
  await post(api, '/stock/documents?post=true', {
    type: 'stock_transfer', warehouse_id: warehouseId, to_warehouse_id: warehouseId,
    lines: [{ item_id: phone.id, qty: '1', to_location_id: bin.id, serials: [sn] }],
  })
  for (const [lang, wh] of [['zh-CN', WH], ['en', 'Gaps ' + stamp]] as const) {
    await setLang(lang)
    await page.goto(`/stock/serials?serial=${sn}`)
    const result = page.locator('[data-test=serial-result]')
    await expect(result).toHaveCount(1)
    await expect(result.locator('[data-test=serial-place]')).toHaveText(`${wh} · G-01 小修货架`)
    // Newest first: the transfer into the bin, then the opening into the warehouse itself.
    await expect(result.locator('[data-test=serial-to]')).toHaveText([`${wh} · G-01 小修货架`, wh])
    await expect(result.locator('[data-test=serial-from]').first()).toHaveText(wh)
    await expect(result).not.toContainText('#')
    await shot(`g03-serial-history-${lang}`)
  }
  await setLang('zh-CN')
})

test('a refused line says what is wrong in English, without the field name', async () => {
  const d = await post(api, '/stock/documents', {
    type: 'stock_out', reason: 'damage', warehouse_id: warehouseId, note: 'e2e ' + stamp, lines: [{ item_id: itemId, qty: '5' }],
  })
  await setLang('en')
  await page.goto(`/stock/documents/${d.id}`)
  await expect(page.locator('[data-test=doc-number]')).toHaveText(d.number)
  expectedStatus.add(409)
  const refused = page.waitForResponse((r) => r.url().endsWith(`/stock/documents/${d.id}/post`))
  await page.locator('[data-test=doc-post]').click()
  await confirmBox()
  const r = await refused
  expect(r.status()).toBe(409)
  expect((await r.json()).errors[0].message).toBe('Lines 1 › quantity: not enough stock: 0 available')
  await expect(page.locator('[data-test=line-qty-error-0]')).toHaveText('not enough stock: 0 available')
  await shot('g04-line-error-en')
  expectedStatus.delete(409)
  await setLang('zh-CN')
  await post(api, `/stock/documents/${d.id}/cancel`, { version: 0 })
})
