// 设置 → 数据备份, as the owner uses it: the menu leads there, the button
// downloads the whole database (a SQLite file, streamed by the browser to
// disk), and the download is listed as the latest backup. A manager with
// every settings permission but no administrator sees no such entry and is
// sent home from its address. The server's scheduled backups (serve.sh runs
// it with --backup-dir) show with the copy made at start. No console errors.
import { test, expect, type Page } from '@playwright/test'
import { mkdirSync, readFileSync } from 'node:fs'
import { PASSWORD, SHOTS, USER, adminAPI, get, post, shot as shotOf, signIn, watchedPage } from './support'

mkdirSync(SHOTS, { recursive: true })

const stamp = Date.now().toString(36).toUpperCase().slice(-5)
const MANAGER = { username: 'bkmgr' + stamp.toLowerCase(), password: 'manager password 1' }

test.describe.configure({ mode: 'serial' })

let page: Page
const problems: string[] = []
const expectedStatus = new Set<number>()

test.beforeAll(async ({ browser }, info) => {
  const api = await adminAPI(String(info.project.use.baseURL))
  const me = await get(api, '/auth/me')
  const role = await post(api, '/roles', { code: 'BK' + stamp, name: '备份测试经理' + stamp,
    perms: ['settings.company.read', 'settings.company.write', 'settings.user.read', 'settings.audit.read'] })
  await post(api, '/users', { ...MANAGER, active: true, roles: [{ company_id: me.company_id, role_id: role.id }] })
  await api.dispose()
  page = await watchedPage(browser, problems, expectedStatus)
})

/** The entry of 设置 in the sidebar, its group opened first when it is closed. */
async function settingsEntry(title: string) {
  const entry = page.locator('.aside .el-menu-item').filter({ hasText: new RegExp('^\\s*' + title + '\\s*$') })
  if (!(await entry.first().isVisible())) await page.locator('.aside .el-sub-menu__title').filter({ hasText: /^\s*设置\s*$/ }).click()
  return entry
}

test.afterAll(() => {
  expect(problems, 'no console errors during the browser tests').toEqual([])
})

test('the owner downloads a backup of the database', async () => {
  await signIn(page, USER, PASSWORD)
  await (await settingsEntry('数据备份')).first().click()
  await expect(page).toHaveURL(/\/settings\/backup$/)
  const button = page.locator('[data-test=backup-download]')
  await expect(button).toContainText(/下载备份 \(\d/)
  await expect(page.getByText('恢复：停止 jxc')).toBeVisible()
  // The server runs with --backup-dir (e2e/serve.sh): the plan, and the copy made at start.
  const plan = page.locator('[data-test=backup-schedule]')
  await expect(plan).toContainText(/每 24 小时备份一次到服务器上的文件夹 .*backups-\d+，保留最近 7 份/)
  await expect(plan.locator('[data-test=backup-schedule-files] li')).toHaveCount(1)
  await expect(plan.locator('[data-test=backup-schedule-files] li').first()).toContainText(/^jxc-\d{8}-\d{6}\.db · \d+(\.\d)? [kM]B · \d{4}-/)
  await expect(plan).toContainText(/下一份：\d{4}-/)
  await expect(page.locator('[data-test=backup-schedule-off]')).toHaveCount(0)
  await shotOf(page, 'backup-zh')
  const [download] = await Promise.all([page.waitForEvent('download'), button.click()])
  expect(download.suggestedFilename()).toMatch(/^jxc-backup-\d{8}-\d{6}\.db$/)
  const file = await download.path()
  expect(readFileSync(file).subarray(0, 16).toString('latin1')).toBe('SQLite format 3\u0000')
  await expect(page.locator('[data-test=backup-recent] li').first()).toContainText(USER, { timeout: 10_000 })
})

test('a manager who is no administrator has no backup', async () => {
  await page.context().clearCookies()
  await signIn(page, MANAGER.username, MANAGER.password)
  await expect((await settingsEntry('审计日志')).first()).toBeVisible()
  await expect(page.locator('.aside .el-menu-item').filter({ hasText: '数据备份' })).toHaveCount(0)
  await page.goto('/settings/backup')
  await expect(page).not.toHaveURL(/\/settings\/backup/)
})
