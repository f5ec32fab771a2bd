// Promotions (促销) as the administrator sets them up, against a real jxc
// with the demo company: an item of this run with a retail price (no price
// list names it) → a 10 % promotion on it created through the dialog, listed
// as running → the price check on the same screen prices a walk-in sale of
// it and says why: retail price, then the promotion (zh-CN and the server's
// English text) → a box of 12 is priced as a box, under its minimum →
// the screen in English, where the list and the dialog show the promotion's
// English name.
// No console errors.
import { test, expect, type Locator, type Page } from '@playwright/test'
import { mkdirSync } from 'node:fs'
import { PASSWORD, SHOTS, USER, adminAPI, get, post, signIn, watchedPage } from './support'

mkdirSync(SHOTS, { recursive: true })

const stamp = Date.now().toString(36).toUpperCase().slice(-5)
const ITEM = { code: 'PROMO-IT-' + stamp, name: '促销测试商品' + stamp }
const PROMO = { code: 'P10-' + stamp, name: '九折测试' + stamp, nameEn: '10% off test ' + stamp }

test.describe.configure({ mode: 'serial' })

let page: Page
const problems: string[] = []
const expectedStatus = new Set<number>()

test.beforeAll(async ({ browser }, info) => {
  const api = await adminAPI(String(info.project.use.baseURL))
  const stamp2 = stamp.toLowerCase()
  const pcs = await post(api, '/units', { code: 'PCS-' + stamp2, name: '个' + stamp })
  const box = await post(api, '/units', { code: 'BOX-' + stamp2, name: '盒' + stamp })
  await post(api, '/items', {
    code: ITEM.code, name: ITEM.name, base_unit_id: pcs.id, retail_price: '10', min_price: '8.5',
    units: [{ unit_id: box.id, factor: '12', retail_price: '110' }],
  })
  expect((await get(api, `/items?q=${ITEM.code}`)).total).toBe(1)
  await api.dispose()
  page = await watchedPage(browser, problems, expectedStatus)
})

test.afterAll(() => {
  expect(problems, 'no console errors during the browser tests').toEqual([])
})

async function shot(name: string) {
  await page.waitForLoadState('networkidle')
  await expect(page.locator('.el-loading-mask:visible')).toHaveCount(0)
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: false })
}

const rowOf = (text: string) => page.locator('.data-list .el-table__body tr').filter({ hasText: text })

/** Choose the option whose text contains `text` of an el-select, typing search first (remote selects); close, a click elsewhere (a multiple select stays open). */
async function pick(select: Locator, text: string, search = '', close?: Locator) {
  await select.click()
  if (search) await page.keyboard.type(search, { delay: 20 })
  await page.locator('.el-popper[aria-hidden="false"] .el-select-dropdown__item').filter({ hasText: text }).first().click()
  if (close) await close.click()
  await expect(page.locator('.el-popper[aria-hidden="false"] .el-select-dropdown')).toHaveCount(0)
}

test('a 10 % promotion on one item is created in 资料 → 促销活动', async () => {
  await signIn(page, USER, PASSWORD)
  // 资料 opens by default: clicking its title would fold it, and the click below would race the fold.
  const module = page.locator('.el-menu').getByText('资料', { exact: true }).first()
  const entry = page.locator('.el-menu').getByText('促销活动', { exact: true })
  await expect(module).toBeVisible()
  if (!(await entry.isVisible())) await module.click()
  await entry.click()
  await expect(page).toHaveURL(/\/data\/promotions$/)
  await expect(page.locator('.page-head h2')).toHaveText('促销活动')

  await page.locator('[data-test=promotion-new]').click()
  const dlg = page.locator('[data-test=promotion-dialog]')
  await expect(dlg).toBeVisible()
  await dlg.locator('input[data-test=promotion-code]').fill(PROMO.code)
  await dlg.locator('input[data-test=promotion-name]').fill(PROMO.name)
  await dlg.locator('input[data-test=promotion-name-en]').fill(PROMO.nameEn)
  // Typed before the dialog finished opening: once it has, the cursor stays
  // where the clerk put it instead of jumping back to the code.
  await expect(page.locator('.dialog-fade-enter-active')).toHaveCount(0)
  await expect(dlg.locator('input[data-test=promotion-name-en]')).toBeFocused()
  await expect(dlg.locator('input[data-test=promotion-code]')).toHaveValue(PROMO.code)
  await dlg.locator('[data-test=promotion-kind-percent]').click()
  // A rate of 0 is refused and the field says why.
  expectedStatus.add(400)
  await dlg.locator('[data-test=promotion-save]').click()
  await expect(dlg.locator('.el-form-item__error')).toContainText('0.01')
  expectedStatus.delete(400)
  await dlg.locator('input[data-test=promotion-rate]').fill('10')
  await dlg.locator('[data-test=promotion-scope-items]').click()
  await pick(dlg.locator('[data-test=promotion-items]'), ITEM.code, ITEM.code, dlg.locator('.el-dialog__header'))
  await dlg.locator('[data-test=promotion-priority] input').fill('5')
  await shot('promotions-01-new')
  await dlg.locator('[data-test=promotion-save]').click()
  await expect(dlg).toBeHidden()

  const row = rowOf(PROMO.code)
  await expect(row).toHaveCount(1)
  await expect(row).toContainText('打折')
  await expect(row).toContainText('10% 折扣')
  await expect(row).toContainText('进行中')
  await expect(row).toContainText('指定商品 (1)')
  await expect(row).toContainText(PROMO.nameEn)
})

test('the price check explains the price of a walk-in sale', async () => {
  const panel = page.locator('[data-test=price-check]')
  await pick(panel.locator('[data-test=check-item] .el-select'), ITEM.code, ITEM.code)
  await panel.locator('input[data-test=check-qty]').fill('3')
  await panel.locator('[data-test=check-run]').click()
  const line = panel.locator('[data-test=check-line]')
  await expect(line).toHaveCount(1)
  await expect(line.locator('[data-test=check-price]')).toHaveText('9.00')
  await expect(line.locator('[data-test=check-rule]')).toHaveText('默认价')
  await expect(line.locator('[data-test=check-why]')).toHaveText(`零售价：10.00; ${PROMO.code} 折扣 -10%：9.00`)
  await expect(line.locator('[data-test=check-explanation]')).toHaveText(`default retail: 10.00; percent ${PROMO.code} -10%: 9.00`)
  await expect(line).toContainText('27.00')
  await expect(line.locator('[data-test=check-below-min]')).toHaveCount(0)
  await shot('promotions-02-check')

  // A box is sold at the box price: 110.00 less 10 % = 99.00, under its
  // minimum of 12 × 8.50: flagged.
  await pick(panel.locator('[data-test=check-unit]'), '盒' + stamp)
  await panel.locator('input[data-test=check-qty]').fill('1')
  await panel.locator('[data-test=check-run]').click()
  await expect(line.locator('[data-test=check-price]')).toHaveText('99.00')
  await expect(line.locator('[data-test=check-explanation]')).toHaveText(`default retail: 110.00; percent ${PROMO.code} -10%: 99.00`)
  await expect(line.locator('[data-test=check-below-min]')).toContainText('低于最低售价 102.00')
})

test('the same screen in English', async () => {
  await page.evaluate(() => localStorage.setItem('jxc.lang', 'en'))
  await page.goto('/data/promotions')
  await expect(page.locator('.page-head h2')).toHaveText('Promotions')
  await expect(rowOf(PROMO.code)).toContainText('10% off')
  await expect(rowOf(PROMO.code)).toContainText(PROMO.nameEn)
  const panel = page.locator('[data-test=price-check]')
  await pick(panel.locator('[data-test=check-item] .el-select'), ITEM.code, ITEM.code)
  await panel.locator('[data-test=check-run]').click()
  await expect(panel.locator('[data-test=check-why]')).toHaveText(`Retail price: 10.00; ${PROMO.code} 10% off: 9.00`)
  await shot('promotions-03-en')
  // The dialog in English keeps both names.
  await rowOf(PROMO.code).locator('[data-test=promotion-edit]').click()
  const dlg = page.locator('[data-test=promotion-dialog]')
  await expect(dlg.locator('input[data-test=promotion-name]')).toHaveValue(PROMO.name)
  await expect(dlg.locator('input[data-test=promotion-name-en]')).toHaveValue(PROMO.nameEn)
  await expect(dlg).toContainText('English name')
  await shot('promotions-04-en-edit')
  await dlg.locator('.el-dialog__headerbtn').click()
  await expect(dlg).toBeHidden()
  await page.evaluate(() => localStorage.setItem('jxc.lang', 'zh-CN'))
})
