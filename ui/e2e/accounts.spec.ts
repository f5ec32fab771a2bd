// Money accounts (资金账户) as the administrator keeps them, against a real
// jxc with the demo company: the demo accounts are listed → a bank account
// and a cash account are created through the dialog → both listed with a
// translated kind tag and the opening balance as money → the cash account
// archived leaves the active list → the screen in English. No console
// errors.
import { test, expect, type Page } from '@playwright/test'
import { mkdirSync } from 'node:fs'
import { PASSWORD, SHOTS, USER, adminAPI, signIn, watchedPage } from './support'

mkdirSync(SHOTS, { recursive: true })

const stamp = Date.now().toString(36).toUpperCase().slice(-5)
const BANK = { code: 'BANK-' + stamp, name: '测试招行一般户' + stamp }
const CASH = { code: 'CASH-' + stamp, name: '测试备用金' + stamp }

test.describe.configure({ mode: 'serial' })

let page: Page
const problems: string[] = []
// Chromium logs every 4xx response as a console error. A step that expects
// one (a save refused with 400 for a missing date) names the status here.
const expectedStatus = new Set<number>()

test.beforeAll(async ({ browser }, info) => {
  // Creates the administrator when this spec runs first on the server.
  const api = await adminAPI(String(info.project.use.baseURL))
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

test('the demo accounts are in 资料 → 资金账户', async () => {
  await signIn(page, USER, PASSWORD)
  // 资料 opens by default: clicking its title would fold it, and the click below would race the fold.
  const module = page.locator('.el-menu').getByText('资料', { exact: true }).first()
  const entry = page.locator('.el-menu').getByText('资金账户', { exact: true })
  await expect(module).toBeVisible()
  if (!(await entry.isVisible())) await module.click()
  await entry.click()
  await expect(page).toHaveURL(/\/data\/accounts$/)
  await expect(page.locator('.page-head h2')).toHaveText('资金账户')
  const bank = rowOf('工行基本户')
  await expect(bank).toHaveCount(1)
  await expect(bank.locator('[data-test=account-kind]')).toHaveText('银行')
  await expect(bank).toContainText('386,543.21')
  await expect(rowOf('门店现金').locator('[data-test=account-kind]')).toHaveText('现金')
  await expect(rowOf('微信支付商户号').locator('[data-test=account-kind]')).toHaveText('微信')
})

test('a bank account and a cash account are created and listed', async () => {
  await page.locator('[data-test=account-new]').click()
  const dlg = page.locator('[data-test=account-dialog]')
  await expect(dlg).toBeVisible()
  await dlg.locator('input[data-test=account-code]').fill(BANK.code)
  await dlg.locator('input[data-test=account-name]').fill(BANK.name)
  await dlg.locator('[data-test=account-kind-bank]').click()
  await dlg.locator('input[data-test=account-bank-name]').fill('招商银行上海分行营业部')
  await dlg.locator('input[data-test=account-bank-account]').fill('1219 0857 1010 888')
  await dlg.locator('input[data-test=account-opening-balance]').fill('1234567.89')
  // An opening balance needs its date: the server names the field.
  expectedStatus.add(400)
  await dlg.locator('[data-test=account-save-new]').click()
  await expect(dlg.locator('.el-form-item__error')).toContainText('必填')
  expectedStatus.delete(400)
  await dlg.locator('[data-test=account-opening-date] input').fill('2026-01-01')
  await dlg.locator('[data-test=account-opening-date] input').press('Enter')
  await shot('accounts-01-new-bank')
  await dlg.locator('[data-test=account-save-new]').click()

  // "Save and new" leaves a blank form: the cash account, no bank fields.
  await expect(dlg.locator('input[data-test=account-code]')).toHaveValue('')
  await dlg.locator('input[data-test=account-code]').fill(CASH.code)
  await dlg.locator('input[data-test=account-name]').fill(CASH.name)
  await dlg.locator('[data-test=account-kind-cash]').click()
  await expect(dlg.locator('input[data-test=account-bank-name]')).toHaveCount(0)
  await dlg.locator('[data-test=account-save]').click()
  await expect(dlg).toBeHidden()

  const bank = rowOf(BANK.name)
  const cash = rowOf(CASH.name)
  await expect(bank).toHaveCount(1)
  await expect(cash).toHaveCount(1)
  await expect(bank.locator('[data-test=account-kind]')).toHaveText('银行')
  await expect(bank).toContainText('1,234,567.89')
  await expect(bank).toContainText('1219 0857 1010 888')
  await expect(cash.locator('[data-test=account-kind]')).toHaveText('现金')
  await expect(cash).toContainText('0.00')
  await shot('accounts-02-list')
})

test('the cash account is archived and leaves the active list', async () => {
  const cash = rowOf(CASH.name)
  await cash.locator('[data-test=account-more]').click()
  await page.locator('.el-dropdown-menu__item:visible[data-test=account-archive]').click()
  await page.locator('.el-message-box__btns .el-button--primary').click()
  await expect(cash).toHaveCount(0)
  await expect(rowOf(BANK.name)).toHaveCount(1)

  await page.locator('[data-test=list-archived]').click()
  await page.locator('.el-popper[aria-hidden="false"] .el-select-dropdown__item').filter({ hasText: '已停用' }).click()
  await expect(cash).toHaveCount(1)
  await expect(cash).toContainText('已停用')
  await expect(rowOf(BANK.name)).toHaveCount(0)
})

test('the same screen in English', async () => {
  await page.evaluate(() => localStorage.setItem('jxc.lang', 'en'))
  await page.goto('/data/accounts')
  await expect(page.locator('.page-head h2')).toHaveText('Accounts')
  await page.locator('input[data-test=list-search]').fill(stamp)
  await expect(rowOf(BANK.name).locator('[data-test=account-kind]')).toHaveText('Bank')
  await page.locator('input[data-test=list-search]').fill('')
  // In English an account shows its English name.
  await expect(rowOf('WeChat Pay merchant').locator('[data-test=account-kind]')).toHaveText('WeChat Pay')
  await shot('accounts-03-list-en')
  await page.evaluate(() => localStorage.setItem('jxc.lang', 'zh-CN'))
})
