import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import testUtils from '@adonisjs/core/services/test_utils'
import { errorsOnlyInLogs, freshIp } from '#tests/helpers'
import { type Actor, formRoutes, loadScene, signedInAs, withSavepoint } from '#tests/fuzz/form_fuzz'
import {
  type PageForm,
  badSubmission,
  duplicateIds,
  emptySubmission,
  errorSummaries,
  formsOf,
  hasId,
  isChoice,
  labelOf,
  pageUrls,
  titleOf,
  urlEncoded,
} from '#tests/form_pages'

/*
| Issue 18, point 14: errors people can read. Every page of the demo data
| (as each role) is walked; each form found is sent empty and then with
| values it cannot take. The page the user comes back to must name each
| field as the form labels it (never a field's name in the code), say
| 「選択してください」 for a select or a group of choices, list the errors
| in a summary (role="alert") whose links lead to the fields, and start its
| title with 「エラー：」. Forms leave validation to the server (novalidate)
| and no page uses an id twice.
*/

/** A field name of the code in a message: 「channelを…」, 「the kind field」. */
const CODE_NAME = /[A-Za-z_]*[a-z][A-Za-z_]*\s*(?=[をはのがにでとも、]|$)|\b(?:The|field|must)\b/

/** Messages a field's error may legitimately carry without naming it (they name something else). */
const PREFIX_ONLY = /^(\d+行目|別紙\d+|第\d+項)[：:]/

/**
 * Whether a message names its field: by its label, or for a cell of a table (labelled
 * 「1行目 氏名」, 「項目名（2行目）」) by its column.
 */
const namesField = (message: string, label: string) =>
  [label, label.replace(/（[^）]*）$/, ''), label.split(' ').pop()!].some(
    (name) => name.length > 0 && message.includes(name)
  )

interface FoundForm {
  actor: Actor
  page: string
  form: PageForm
}

/** The flashed field errors (validation and refusals), by field. */
function flashedErrors(flash: Record<string, any>): Record<string, string[]> {
  const bag = { ...(flash.errors ?? {}), ...(flash.inputErrorsBag ?? {}) }
  return Object.fromEntries(
    Object.entries(bag).map(([field, messages]) => [field, [].concat(messages as any)])
  )
}

/** What is wrong with a page a refused form came back to. */
function pageProblems(
  html: string,
  errors: Record<string, string[]>,
  sentEmpty: boolean
): string[] {
  const problems: string[] = []
  const summaries = errorSummaries(html)
  const fieldErrors = Object.values(errors).flat()
  for (const message of fieldErrors) {
    if (CODE_NAME.test(message)) problems.push(`a field's name in the code: 「${message}」`)
  }
  const shown = fieldErrors.length > 0 || /class="field-error"/.test(html)
  if (!shown && !summaries.length) return problems
  if (!summaries.length) problems.push('errors without an error summary')
  for (const summary of summaries) {
    if (summary.role !== 'alert') problems.push('an error summary without role="alert"')
    for (const entry of summary.entries) {
      if (CODE_NAME.test(entry.message))
        problems.push(`a field's name in the code: 「${entry.message}」`)
      if (!entry.href) continue
      const id = entry.href.replace(/^#/, '')
      if (!hasId(html, id)) {
        problems.push(`「${entry.message}」 links to #${id}, which is not on the page`)
        continue
      }
      const label = labelOf(html, id)
      if (label === null) {
        // A link to a row of a table: the message says which row.
        if (!PREFIX_ONLY.test(entry.message))
          problems.push(`「${entry.message}」 links to #${id}, which has no label`)
        continue
      }
      if (!namesField(entry.message, label) && !PREFIX_ONLY.test(entry.message))
        problems.push(
          `「${entry.message}」 does not name the field as its form does (「${label}」)`
        )
      if (sentEmpty && isChoice(html, id) && entry.message.includes('入力してください'))
        problems.push(`「${entry.message}」 is a choice: 「${label}を選択してください」`)
    }
  }
  if (!titleOf(html).startsWith('エラー：'))
    problems.push(`the title does not start with 「エラー：」 (${titleOf(html)})`)
  for (const id of duplicateIds(html)) problems.push(`id "${id}" twice`)
  return problems
}

async function submit(client: ApiClient, found: FoundForm, fields: Array<[string, string]>) {
  const { form, actor, page } = found
  const method = form.method === 'GET' ? 'get' : 'post'
  let request: any =
    method === 'get'
      ? client.get(`${form.action}?${urlEncoded(fields)}`)
      : client.post(form.target).form(urlEncoded(fields) as any)
  request = signedInAs(request.header('x-forwarded-for', freshIp()).header('referer', page), actor)
    .withCsrfToken()
    .redirects(0)
  const response = await request
  const status = response.status()
  if (status >= 500) return { status, html: null, errors: {} }
  if (status === 302 || status === 303) {
    const location = String(response.header('location') ?? '')
    const flash = response.flashMessages() ?? {}
    const errors = flashedErrors(flash)
    if (!location.startsWith('/')) return { status, html: null, errors }
    // As the session commits them: what was typed (`input`) at the top, beside the errors.
    const { input, reflashed, ...others } = flash as Record<string, any>
    const flashed = { ...reflashed, ...input, ...others }
    const back = await signedInAs(client.get(location).withFlashMessages(flashed), actor)
    return {
      status,
      html: back.status() === 200 ? back.text() : null,
      errors,
    }
  }
  return {
    status,
    html: String(response.header('content-type')).includes('html') ? response.text() : null,
    errors: {},
  }
}

test.group('Forms: errors people can read', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(errorsOnlyInLogs)

  test('every page and every form refused empty or with bad values', async ({ client, assert }) => {
    const scene = await loadScene()
    const [admin, officer, staff, , supervisor, contractor, , operator, citizen, guest] =
      scene.actors
    const actors = [admin, officer, staff, supervisor, operator, contractor, citizen, guest]
    const urls = pageUrls(scene)
    const problems = new Set<string>()
    const forms = new Map<string, FoundForm>()

    for (const actor of actors) {
      for (const url of urls) {
        const page = await signedInAs(client.get(url).redirects(0), actor)
        if (page.status() !== 200 || !String(page.header('content-type')).includes('html')) continue
        const html = page.text()
        for (const id of duplicateIds(html))
          problems.add(`${url} as ${actor.label}: id "${id}" twice`)
        for (const form of formsOf(html)) {
          if (!form.novalidate)
            problems.add(`${url}: the form ${form.method} ${form.action} lacks novalidate`)
          if (!form.controls.some((control) => !['hidden', 'submit'].includes(control.type)))
            continue
          const key = `${form.method} ${form.action.replace(/\/\d+(?=\/|$)/g, '/:id')}`
          if (!forms.has(key)) forms.set(key, { actor, page: url, form })
        }
      }
    }
    assert.isAbove(forms.size, 40)
    if (process.env.FORM_ERRORS_DEBUG) {
      const seen = [...forms.keys()]
      const missed = formRoutes().filter(
        (route) =>
          !seen.includes(`${route.method} ${route.pattern.replace(/:\w+/g, ':id')}`) &&
          !seen.includes(`POST ${route.pattern.replace(/:\w+/g, ':id')}`)
      )
      console.log(
        `forms found: ${forms.size}; form routes without one:\n${missed.map((route) => `  ${route.method} ${route.pattern}`).join('\n')}`
      )
    }

    for (const [key, found] of forms) {
      for (const [kind, fields] of [
        ['empty', emptySubmission(found.form)],
        ['bad', badSubmission(found.form)],
      ] as const) {
        if (kind === 'empty' && found.form.method === 'GET') continue
        await withSavepoint(async () => {
          const outcome = await submit(client, found, fields)
          const where = `${key} sent ${kind} as ${found.actor.label} from ${found.page}`
          if (outcome.status >= 500) {
            problems.add(`${where}: ${outcome.status}`)
            return
          }
          if (process.env.FORM_ERRORS_DEBUG)
            console.log(
              `${where}: ${outcome.status}, ${Object.keys(outcome.errors).length} fields refused${outcome.html ? '' : ', no page'}`
            )
          if (!outcome.html) return
          for (const problem of pageProblems(outcome.html, outcome.errors, kind === 'empty'))
            problems.add(`${where}: ${problem}`)
        })
      }
    }
    if (problems.size) console.log([...problems].join('\n'))
    assert.deepEqual([...problems], [])
  }).timeout(600_000)
})
