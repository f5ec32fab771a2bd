// 设置 → 公司设置, as the owner uses it on a company that has already moved
// stock (the demo): the costing scope says it is fixed once stock has
// moved, and switching it is refused with the reason under the field —
// nothing is saved. No console errors but the refusal's own 400.
import { test, expect } from '@playwright/test'
import { mkdirSync } from 'node:fs'
import { PASSWORD, SHOTS, USER, adminAPI, shot, signIn, watchedPage } from './support'

mkdirSync(SHOTS, { recursive: true })

test('the costing scope is fixed once stock has moved', async ({ browser }, info) => {
  await (await adminAPI(String(info.project.use.baseURL))).dispose() // the first run's setup, when this runs alone
  const problems: string[] = []
  const page = await watchedPage(browser, problems, new Set([400]))
  await signIn(page, USER, PASSWORD)
  await page.goto('/settings/company')
  const scope = page.locator('[data-test=company-costing-scope]')
  await expect(scope.locator('.el-radio.is-checked')).toContainText('全公司统一核算')
  await expect(page.getByText('第一笔出入库之后就不能再改：成本按范围记账。')).toBeVisible()
  await scope.getByText('按仓库分别核算').click()
  await page.locator('[data-test=company-save]').click()
  const refusal = page.getByText(/成本核算范围：已有出入库记录，不能再改/)
  await expect(refusal).toBeVisible()
  await refusal.evaluate((el) => el.scrollIntoView({ block: 'center' })) // clear of the sticky save bar
  await shot(page, 'company-scope-fixed')
  // Nothing was saved: a fresh load still shows one cost for the company.
  await page.reload()
  await expect(page.locator('[data-test=company-costing-scope] .el-radio.is-checked')).toContainText('全公司统一核算')
  expect(problems, 'no console errors').toEqual([])
})
