import type { BrowserContext, Locator, Page } from 'playwright'
import db from '@adonisjs/lucid/services/db'
import DemoData, { DEMO_PASSWORD } from '#database/demo/demo_data'
import { resetDatabase } from './support.js'

export const PRIVACY_OFFICER = { email: 'privacy@demo.daicho.jp', password: DEMO_PASSWORD }
/** Supervisors (上位者) by department name (an item is approved by its own department's). */
export const SUPERVISORS: Record<string, { email: string; password: string }> = {
  広聴担当課: { email: 'supervisor@demo.daicho.jp', password: DEMO_PASSWORD },
  区政情報課: { email: 'supervisor-kusei@demo.daicho.jp', password: DEMO_PASSWORD },
  危機管理課: { email: 'supervisor-kikikanri@demo.daicho.jp', password: DEMO_PASSWORD },
}

/**
 * What a ward already has before its privacy officer enters a council document: its
 * organisation and the staff accounts of the demo (password `daicho-demo`), no contractor and
 * nothing of the documents. Returns the cleanup.
 */
export async function emptyRegisterOfTheWard() {
  await resetDatabase()
  await db.transaction((trx) => DemoData.loadOrganisation(trx, { contractors: false }))
  return resetDatabase
}

/**
 * Watches a browser context: counts form submissions (navigations that POST a form) and
 * records every response with a status of 500 or more.
 */
export class FormWatch {
  submissions = 0
  readonly serverErrors: string[] = []
  readonly #contexts = new Set<BrowserContext>()

  watch(context: BrowserContext) {
    if (this.#contexts.has(context)) return
    this.#contexts.add(context)
    context.on('request', (request) => {
      if (request.isNavigationRequest() && request.method() === 'POST') this.submissions++
    })
    context.on('response', (response) => {
      if (response.status() >= 500)
        this.serverErrors.push(
          `${response.status()} ${response.request().method()} ${response.url()}`
        )
    })
  }
}

/** Logs in through the login form. */
export async function logIn(page: Page, account: { email: string; password: string }) {
  await page.goto('/login')
  await page.getByLabel('メールアドレス').fill(account.email)
  await page.getByLabel('パスワード').fill(account.password)
  await page.getByRole('button', { name: 'ログイン' }).click()
  await page.waitForURL('**/dashboard')
}

/** Chooses the option of a select whose text (indentation trimmed) is `text`. */
export async function chooseOption(select: Locator, text: string) {
  const value = await select.evaluate((element, wanted) => {
    const options = Array.from((element as HTMLSelectElement).options)
    const option =
      options.find((candidate) => candidate.text.trim() === wanted) ??
      options.find((candidate) => candidate.text.includes(wanted))
    return option ? option.value : null
  }, text)
  if (value === null) throw new Error(`no option «${text}» in ${await select.getAttribute('name')}`)
  await select.selectOption(value)
}

/** Submits a form with its button and waits for the page that answers. */
export async function submit(page: Page, button: Locator) {
  await Promise.all([page.waitForEvent('load'), button.click()])
}

/** The id at the end of the current path (/systems/12 → 12). */
export function idInPath(page: Page, pattern: RegExp): number {
  const match = new URL(page.url()).pathname.match(pattern)
  if (!match) throw new Error(`unexpected page ${page.url()}`)
  return Number(match[1])
}
