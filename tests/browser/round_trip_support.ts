import type { BrowserContext, Locator, Page } from 'playwright'
import db from '@adonisjs/lucid/services/db'
import Department from '#models/department'
import User from '#models/user'
import { DEMO_PASSWORD } from '#database/demo/demo_data'
import type { DepartmentLevel } from '#enums/department_level'
import type { Role } from '#enums/role'
import { resetDatabase } from './support.js'

/**
 * What a ward already has before its privacy officer enters a council document: its
 * organisation and the staff accounts (password `daicho-demo`). Nothing of the documents.
 *
 * DemoData.load (database/demo/demo_data.ts) loads the organisation and the accounts in one
 * transaction together with the contractors, the special-terms library, the three seed
 * registrations, FAQ entries and opinions, and keeps its lists private; it cannot load the
 * organisation alone. So the same organisation (names as in the demo) and the accounts the
 * round trips use are listed here. 区政情報課 gets its own supervisor: the demo's only
 * supervisor is 広聴担当課's, and an item is approved by a supervisor of its own department.
 */
const DEPARTMENTS: Array<[string, string, DepartmentLevel, string | null]> = [
  ['kucho', '区長室', 'bu', null],
  ['kusei-joho', '区政情報課', 'ka', 'kucho'],
  ['kusei-joho-1', '区政情報係', 'kakari', 'kusei-joho'],
  ['kocho', '広聴担当課', 'ka', 'kucho'],
  ['kocho-1', '広聴係', 'kakari', 'kocho'],
  ['kikikanri', '危機管理課', 'ka', 'kucho'],
  ['kikikanri-1', '危機管理係', 'kakari', 'kikikanri'],
  ['somu', '総合政策部', 'bu', null],
  ['joho-seisaku', '情報政策課', 'ka', 'somu'],
]

export const PRIVACY_OFFICER = { email: 'privacy@demo.daicho.jp', password: DEMO_PASSWORD }
/** Supervisors (上位者) by department name. */
export const SUPERVISORS: Record<string, { email: string; password: string }> = {
  広聴担当課: { email: 'supervisor@demo.daicho.jp', password: DEMO_PASSWORD },
  区政情報課: { email: 'supervisor-kusei@demo.daicho.jp', password: DEMO_PASSWORD },
  危機管理課: { email: 'supervisor-kikikanri@demo.daicho.jp', password: DEMO_PASSWORD },
}

const USERS: Array<[string, string, Role, string]> = [
  ['admin@demo.daicho.jp', '管理 太郎', 'admin', 'joho-seisaku'],
  [PRIVACY_OFFICER.email, '保護 花子', 'privacy_officer', 'kusei-joho'],
  ['staff@demo.daicho.jp', '広聴 一郎', 'department_staff', 'kocho'],
  [SUPERVISORS['広聴担当課'].email, '課長 次郎', 'supervisor', 'kocho'],
  [SUPERVISORS['区政情報課'].email, '課長 四郎', 'supervisor', 'kusei-joho'],
  [SUPERVISORS['危機管理課'].email, '課長 五郎', 'supervisor', 'kikikanri'],
]

/** An empty register with the ward's organisation and accounts; returns the cleanup. */
export async function emptyRegisterOfTheWard() {
  await resetDatabase()
  await db.transaction(async (trx) => {
    const ids = new Map<string, number>()
    for (const [index, [code, name, level, parent]] of DEPARTMENTS.entries()) {
      const department = await Department.create(
        { code, name, level, parentId: parent ? ids.get(parent)! : null, sortOrder: index },
        { client: trx }
      )
      ids.set(code, department.id)
    }
    for (const [email, fullName, role, department] of USERS) {
      await User.create(
        {
          email,
          fullName,
          role,
          password: DEMO_PASSWORD,
          departmentId: ids.get(department)!,
          contractorId: null,
          locale: 'ja',
          isActive: true,
          isDemo: true,
          failedLoginCount: 0,
        },
        { client: trx }
      )
    }
  })
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
      if (response.status() >= 500) this.serverErrors.push(`${response.status()} ${response.request().method()} ${response.url()}`)
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
    const option = options.find((candidate) => candidate.text.trim() === wanted) ?? options.find((candidate) => candidate.text.includes(wanted))
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
