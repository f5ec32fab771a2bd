// What the browser specs share. They run against one server and one
// database, in any order: whichever comes first creates the administrator.
import { expect, request, type APIRequestContext, type Browser, type Locator, type Page } from '@playwright/test'

export const USER = 'boss'
export const PASSWORD = 'choose-a-long-one-1'
export const SHOTS = 'e2e/output/screens'

/** True when the database is fresh and the first run is still to come. */
export async function setupNeeded(baseURL: string): Promise<boolean> {
  const api = await request.newContext({ baseURL })
  const s = await (await api.get('/api/v1/auth/session')).json()
  await api.dispose()
  return !!s.setup_needed
}

/** An API client signed in as the administrator, created first when the database is fresh. */
export async function adminAPI(baseURL: string): Promise<APIRequestContext> {
  const api = await request.newContext({ baseURL, extraHTTPHeaders: { 'Accept-Language': 'zh-CN' } })
  const key = () => ({ 'Idempotency-Key': Math.random().toString(36).slice(2) + Date.now() })
  if (await setupNeeded(baseURL)) {
    const r = await api.post('/api/v1/setup', { data: { username: USER, password: PASSWORD, language: 'zh-CN' }, headers: key() })
    expect(r.ok(), await r.text()).toBeTruthy()
  }
  const r = await api.post('/api/v1/auth/login', { data: { username: USER, password: PASSWORD }, headers: key() })
  expect(r.ok(), await r.text()).toBeTruthy()
  return api
}

/** POST with an Idempotency-Key, failing the test on an error status. */
export async function post<T = any>(api: APIRequestContext, path: string, data: unknown): Promise<T> {
  const r = await api.post('/api/v1' + path, { data, headers: { 'Idempotency-Key': Math.random().toString(36).slice(2) + Date.now() } })
  expect(r.ok(), `${path}: ${await r.text()}`).toBeTruthy()
  return r.json()
}

export async function get<T = any>(api: APIRequestContext, path: string): Promise<T> {
  const r = await api.get('/api/v1' + path)
  expect(r.ok(), `${path}: ${await r.text()}`).toBeTruthy()
  return r.json()
}

/** Sign in through the login page. */
export async function signIn(page: Page, user: string, password: string) {
  await page.goto('/login')
  await page.locator('input[name=username]').fill(user)
  await page.locator('input[name=password]').fill(password)
  await page.locator('[data-test=login-submit]').click()
  await expect(page).not.toHaveURL(/\/login/)
}

/**
 * A page in a fresh zh-CN context whose console errors and uncaught page
 * errors go into problems (a spec asserts it stays empty), except the 4xx
 * responses a step expects, which it names in expectedStatus first.
 */
export async function watchedPage(browser: Browser, problems: string[], expectedStatus: Set<number>): Promise<Page> {
  const ctx = await browser.newContext({ locale: 'zh-CN' })
  await ctx.addInitScript(() => {
    if (!localStorage.getItem('jxc.lang')) localStorage.setItem('jxc.lang', 'zh-CN')
  })
  const page = await ctx.newPage()
  page.on('console', (m) => {
    if (m.type() !== 'error') return
    const status = /status of (\d{3})/.exec(m.text())
    if (status && expectedStatus.has(Number(status[1]))) return
    problems.push(`console: ${m.text()}`)
  })
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
  return page
}

/** A screenshot of the page once it is quiet (no loading masks, messages settled), into SHOTS. */
export async function shot(page: Page, name: string) {
  await page.waitForLoadState('networkidle')
  await expect(page.locator('.el-loading-mask:visible')).toHaveCount(0)
  await page.waitForTimeout(400)
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: false })
}

/** Opens an el-select, optionally types to search, and clicks the option with this text. */
export async function pick(page: Page, select: Locator, text: string, search = '') {
  await select.click()
  if (search) await page.keyboard.type(search, { delay: 20 })
  const option = page.locator('.el-popper[aria-hidden="false"] .el-select-dropdown__item').filter({ hasText: text }).first()
  await option.click()
  await expect(page.locator('.el-popper[aria-hidden="false"] .el-select-dropdown')).toHaveCount(0)
}

/** Accepts the message box (box: which one, when two may be open), checking what it says first. */
export async function confirmBox(page: Page, want?: string, box = '.el-message-box') {
  const b = page.locator(box)
  await expect(b).toBeVisible()
  if (want) await expect(b).toContainText(want)
  await b.locator('.el-message-box__btns .el-button--primary').click()
  await expect(b).toBeHidden()
}
