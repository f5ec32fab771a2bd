// Customer follow-ups (客户跟进), as a salesperson works them, against a real
// jxc with the demo company: a new customer's page shows the CRM section
// with a zero balance → a phone call is logged with a next action due today
// → it is in the log and is the customer's next action → the home page's
// "follow-ups due" card lists it and leads back to the customer → ticking
// it done there clears the reminder, and the log shows it done. The page
// reads in English too. No console errors.
import { test, expect, type APIRequestContext, type Page } from '@playwright/test'
import { mkdirSync } from 'node:fs'
import { PASSWORD, SHOTS, USER, adminAPI, get, post, signIn, watchedPage } from './support'

mkdirSync(SHOTS, { recursive: true })

const stamp = Date.now().toString(36).toUpperCase().slice(-5)
const CUSTOMER = { code: 'CRM-' + stamp, name: '跟进测试客户' + stamp }
const ACTION = '发送报价单' + stamp

test.describe.configure({ mode: 'serial' })

let page: Page
let api: APIRequestContext
let customerId = 0
const problems: string[] = []
const expectedStatus = new Set<number>()

function today(): string {
  const d = new Date()
  const z = (x: number) => String(x).padStart(2, '0')
  return `${d.getFullYear()}-${z(d.getMonth() + 1)}-${z(d.getDate())}`
}

test.beforeAll(async ({ browser }, info) => {
  api = await adminAPI(String(info.project.use.baseURL))
  customerId = (await post(api, '/partners', { code: CUSTOMER.code, name: CUSTOMER.name, kind: 'customer' })).id
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
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true })
}

const reminder = () => page.locator('[data-test=home-reminders] .rem').filter({ hasText: CUSTOMER.name })

test('the customer page logs a follow-up with a next action due today', async () => {
  await page.goto(`/data/partners/${customerId}`)
  const crm = page.locator('[data-test=crm]')
  await expect(crm).toBeVisible()
  await expect(crm.locator('[data-test=crm-balance]')).toHaveText('0.00')
  await expect(crm.locator('[data-test=crm-log]')).toContainText('还没有跟进记录')

  await crm.locator('[data-test=crm-add]').click()
  const form = crm.locator('[data-test=crm-form]')
  await expect(form).toBeVisible()
  await form.locator('textarea[data-test=crm-note]').fill('电话沟通：客户下月要补货，想先看报价')
  await form.locator('input[data-test=crm-next-action]').fill(ACTION)
  await form.locator('[data-test=crm-next-date] input').fill(today())
  await form.locator('[data-test=crm-next-date] input').press('Enter')
  await form.locator('[data-test=crm-save]').click()
  await expect(page.locator('.el-message--success')).toContainText('已记录跟进')
  await expect(form).toBeHidden()

  const row = crm.locator('[data-test=crm-log] .el-table__body-wrapper tr').filter({ hasText: ACTION })
  await expect(row).toHaveCount(1)
  await expect(row).toContainText('电话')
  await expect(row).toContainText(today())
  await expect(crm.locator('[data-test=crm-next]')).toContainText(ACTION)
  await expect(crm.locator('[data-test=crm-next]')).toContainText('今天')
  await shot('crm-customer')
})

test('home lists it under follow-ups due and leads to the customer', async () => {
  await page.goto('/')
  const card = page.locator('[data-test=home-reminders]')
  await expect(card).toBeVisible()
  await expect(card).toContainText('待跟进')
  await expect(reminder()).toHaveCount(1)
  await expect(reminder()).toContainText(ACTION)
  await expect(reminder()).toContainText(today())
  await shot('crm-home')

  await reminder().locator('[data-test=reminder-partner]').click()
  await expect(page).toHaveURL(new RegExp(`/data/partners/${customerId}$`))
  await expect(page.locator('[data-test=crm]')).toBeVisible()
})

test('ticking it done on home clears the reminder; the log shows it done', async () => {
  await page.goto('/')
  await expect(reminder()).toHaveCount(1)
  await reminder().getByRole('button', { name: '完成' }).click()
  await expect(reminder()).toHaveCount(0)
  const due = await get(api, '/crm/reminders?limit=500')
  expect(due.items.filter((r: { partner_id: number }) => r.partner_id === customerId)).toEqual([])

  await page.goto(`/data/partners/${customerId}`)
  const row = page.locator('[data-test=crm-log] .el-table__body-wrapper tr').filter({ hasText: ACTION })
  await expect(row.locator('.el-checkbox')).toHaveClass(/is-checked/)
  await expect(page.locator('[data-test=crm-next]')).toHaveCount(0)
})

test('the CRM section reads in English', async () => {
  await page.evaluate(() => localStorage.setItem('jxc.lang', 'en'))
  await page.goto(`/data/partners/${customerId}`)
  const crm = page.locator('[data-test=crm]')
  await expect(crm).toContainText('Customer follow-ups and account')
  await expect(crm).toContainText('Purchase history')
  await expect(crm.locator('[data-test=crm-log]')).toContainText('Call')
  await shot('crm-customer-en')
  await page.evaluate(() => localStorage.setItem('jxc.lang', 'zh-CN'))
})
