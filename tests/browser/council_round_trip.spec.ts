import { mkdir, writeFile } from 'node:fs/promises'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import type { Browser, BrowserContext, Page } from 'playwright'
import {
  compareCouncilDocument,
  extractPdfText,
  formatReport,
} from '#services/council/compare/compare'
import WardCalendar from '#services/ward_calendar'
import { SPECIAL_TERMS_13, SPECIAL_TERMS_16 } from '#database/demo/special_terms_data'
import { appUrl } from './support.js'
import {
  ROUND_TRIP_ENTRIES,
  seedTermsText,
  seedText,
  type AnnexWording,
  type RoundTripEntry,
} from './round_trip_entries.js'
import {
  chooseOption,
  emptyRegisterOfTheWard,
  FormWatch,
  idInPath,
  logIn,
  PRIVACY_OFFICER,
  submit,
  SUPERVISORS,
} from './round_trip_support.js'

/**
 * Issue 12, point 8: each seed council document is entered through the forms as a privacy
 * officer would, starting from an empty register (the ward's organisation and accounts only);
 * the generated PDF's text (`pdftotext -layout`) is compared with the document row by row
 * (app/services/council_compare). Prints `<seed>: identical/total rows, N form submissions`.
 */
test.group('Council documents round trip through the forms', (group) => {
  group.each.setup(emptyRegisterOfTheWard)
  group.each.timeout(90_000)

  for (const entry of ROUND_TRIP_ENTRIES) {
    test(`${entry.seed} entered through the UI prints the document`, async ({
      browser,
      assert,
    }) => {
      const watch = new FormWatch()
      const context = await newContext(browser, watch)
      try {
        const page = await context.newPage()
        const itemId = await enterDocument(browser, page, entry, watch)

        const response = await page.request.get(`/council/items/${itemId}/document.pdf`)
        assert.equal(response.status(), 200)
        const dir = app.makePath('tmp', 'round_trip')
        await mkdir(dir, { recursive: true })
        const name = entry.seed.replace(/\.txt$/, '')
        const file = `${dir}/${name}.pdf`
        await writeFile(file, await response.body())

        const comparison = compareCouncilDocument(await extractPdfText(file), seedText(entry.seed))
        const [score, ...differences] = formatReport(name, comparison)
        console.log(`${score}, ${watch.submissions} form submissions`)
        for (const line of differences) console.log(line)

        assert.deepEqual(watch.serverErrors, [])
        // Every table row, cover line and clause of a seed is a row: far more than 30.
        assert.isAbove(comparison.total, 30)
        assert.equal(comparison.identical, comparison.total, differences.join('\n'))
      } finally {
        await context.close()
      }
    })
  }
})

/**
 * The effort a new document takes: a 30-clause special-terms set pasted as text and 30 data
 * items pasted as a list (with group headings), each checked in its preview and saved, in under
 * 15 form submissions counting the login and the system.
 */
test.group('Entering a long set and many items through the forms', (group) => {
  group.each.setup(emptyRegisterOfTheWard)

  test('a 30-clause set and 30 data items take under 15 form submissions', async ({
    browser,
    assert,
  }) => {
    const watch = new FormWatch()
    const context = await newContext(browser, watch)
    try {
      const page = await context.newPage()
      await logIn(page, PRIVACY_OFFICER)
      const systemId = await enterSystem(page, ROUND_TRIP_ENTRIES[0])

      await page.goto(`/systems/${systemId}/items/bulk`)
      await page.locator('#field-paste').fill(THIRTY_ITEMS)
      await submit(page, page.getByRole('button', { name: '表に取り込んで確認' }))
      assert.equal(
        await page.locator('input[name$="[name]"]').nth(29).inputValue(),
        '代理人との関係'
      )
      await submit(page, page.getByRole('button', { name: '保存', exact: true }).first())
      await page.getByText('記録項目を保存しました（30件').waitFor()

      await page.goto('/special-terms/create')
      await page.getByLabel('名称').fill('30条の特記事項')
      await page.getByLabel('特記事項の全文').fill(thirtyClauses())
      await submit(page, page.getByRole('button', { name: '読み取って確認' }))
      await page.getByText('30件の条項を読み取りました').waitFor()
      await submit(page, page.getByRole('button', { name: '保存する', exact: true }))
      await page.getByText('特記事項「30条の特記事項」を作成しました（第1版）。').waitFor()
      await page.getByText('（複写等の禁止）').first().waitFor()

      console.log(`30 clauses + 30 data items: ${watch.submissions} form submissions`)
      assert.isBelow(watch.submissions, 15)
      assert.deepEqual(watch.serverErrors, [])
    } finally {
      await context.close()
    }
  })
})

/** 30 items in two groups, as a form lists them. */
const THIRTY_ITEMS = [
  '【申請者】',
  '氏名、フリガナ、生年月日、性別、郵便番号、住所、電話番号、携帯電話番号、メールアドレス、勤務先',
  '勤務先電話番号、国籍、世帯構成、障害者手帳の有無、申請理由',
  '【代理人】',
  '代理人氏名',
  '代理人フリガナ',
  '代理人生年月日',
  '代理人郵便番号',
  '代理人住所',
  '代理人電話番号',
  '代理人メールアドレス',
  '代理人勤務先',
  '代理人勤務先電話番号',
  '代理権を証する書類の種類',
  '委任状の有無',
  '本人確認書類の種類',
  '本人確認書類の番号',
  '本人確認の日',
  '代理人との関係',
].join('\n')

/** The 16- and 13-clause sets of the seeds, and one more clause, numbered 1 to 30. */
function thirtyClauses(): string {
  const clauses = [
    ...SPECIAL_TERMS_16.clauses,
    ...SPECIAL_TERMS_13.clauses,
    SPECIAL_TERMS_13.clauses[0],
  ]
  return [
    '個人情報の取扱いに関する特記事項',
    ...clauses.flatMap((clause, index) => [
      `（${clause.heading}）`,
      `${index + 1}\u3000${clause.body}`,
      ...(clause.items ?? []).map((item, n) => `（${n + 1}）${item}`),
    ]),
  ].join('\n')
}

async function newContext(browser: Browser, watch: FormWatch): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL: appUrl(),
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
  })
  watch.watch(context)
  return context
}

/** Enters one document through the forms; returns the council item's id. */
async function enterDocument(
  browser: Browser,
  page: Page,
  entry: RoundTripEntry,
  watch: FormWatch
): Promise<number> {
  await logIn(page, PRIVACY_OFFICER)
  if (entry.contractor) await enterContractor(page, entry.contractor)
  const systemId = await enterSystem(page, entry)
  await enterItems(page, systemId, entry)
  await enterSpecialTerms(page, entry)
  await enterContract(page, systemId, entry)
  const itemId = await enterCouncilItem(page, systemId, entry)
  if (entry.agenda) await putOnAgenda(browser, page, itemId, entry, watch)
  return itemId
}

async function enterContractor(page: Page, name: string) {
  await page.goto('/contractors/create')
  await page.locator('[name="name"]').fill(name)
  await submit(page, page.getByRole('button', { name: '保存する' }))
  await page.getByRole('heading', { name }).waitFor()
}

async function enterSystem(page: Page, entry: RoundTripEntry): Promise<number> {
  const system = entry.system
  await page.goto('/systems/create')
  await chooseOption(page.locator('[name="departmentId"]'), system.department)
  const fields: Record<string, string | undefined> = {
    name: system.name,
    businessName: system.businessName,
    purpose: system.purpose,
    subjectsSummary: system.subjectsSummary,
    subjectGroups: system.subjectGroups.join('\n'),
    recordingComputer: system.recordingComputer,
    description: system.description,
    changeReason: system.changeReason,
    changeContent: system.changeContent,
    developmentMeasures: system.developmentMeasures,
    changeSchedule: system.changeSchedule,
  }
  for (const [field, value] of Object.entries(fields)) {
    if (value) await page.locator(`[name="${field}"]`).fill(value)
  }
  for (const medium of system.media)
    await page.locator(`[name="media[]"][value="${medium}"]`).check()
  await page.locator('[name="lifecycle"]').selectOption('operating')
  await submit(page, page.getByRole('button', { name: '保存する' }))
  return idInPath(page, /^\/systems\/(\d+)$/)
}

async function enterItems(page: Page, systemId: number, entry: RoundTripEntry) {
  await page.goto(`/systems/${systemId}/items/bulk`)
  await page.locator('#field-paste').fill(entry.itemsPaste)
  await submit(page, page.getByRole('button', { name: '表に取り込んで確認' }))
  await submit(page, page.getByRole('button', { name: '保存', exact: true }).first())
  idInPath(page, /^\/systems\/(\d+)$/)
}

async function enterSpecialTerms(page: Page, entry: RoundTripEntry) {
  await page.goto('/special-terms/create')
  await page.getByLabel('名称').fill(entry.termsName)
  await page.getByLabel('特記事項の全文').fill(seedTermsText(entry.seed))
  await submit(page, page.getByRole('button', { name: '読み取って確認' }))
  await submit(page, page.getByRole('button', { name: '保存する', exact: true }))
  await page.getByText(`特記事項「${entry.termsName}」を作成しました`).waitFor()
}

async function enterContract(page: Page, systemId: number, entry: RoundTripEntry) {
  const contract = entry.contract
  await page.goto(`/systems/${systemId}/contracts/create`)
  await page.locator('[name="title"]').fill(contract.title)
  if (contract.contractor)
    await chooseOption(page.locator('[name="contractorId"]'), contract.contractor)
  if (contract.undecidedNote)
    await page.locator('[name="undecidedNote"]').fill(contract.undecidedNote)
  if (contract.selectionMethod)
    await page.locator('[name="selectionMethod"]').selectOption(contract.selectionMethod)
  if (contract.subjectsText) await page.locator('[name="subjectsText"]').fill(contract.subjectsText)

  const table = `${contract.direction}Items`
  const ticks = page.locator(`input[name^="${table}["][name$="[ticked]"]`)
  const count = await ticks.count()
  for (let index = 0; index < count; index++) {
    await ticks.nth(index).check()
    const heading = contract.headings?.[index]
    if (heading) await page.locator(`[name="${table}[${index}][heading]"]`).fill(heading)
  }
  await page.locator('[name="itemsLayout"]').selectOption(contract.itemsLayout)
  if (contract.itemsNote) await page.locator('[name="itemsNote"]').fill(contract.itemsNote)
  for (const medium of contract.media)
    await page.locator(`[name="media[]"][value="${medium}"]`).check()

  await page.locator('[name="reason"]').fill(contract.reason)
  await page.locator('[name="tasks"]').fill(contract.tasks)
  if (contract.periodLead) await page.locator('[name="periodLead"]').fill(contract.periodLead)
  await page.locator('[name="periodType"]').selectOption(contract.periodType)
  await page.locator('[name="startsOn"]').fill(contract.startsOn)
  if (contract.startsOnPrecision)
    await page.locator('[name="startsOnPrecision"]').selectOption(contract.startsOnPrecision)
  if (contract.endsOn) await page.locator('[name="endsOn"]').fill(contract.endsOn)
  if (contract.periodNote) await page.locator('[name="periodNote"]').fill(contract.periodNote)
  await page.locator('[name="wardMeasuresOperational"]').fill(contract.wardMeasures.join('\n'))
  await page
    .locator('[name="contractorMeasuresOperational"]')
    .fill(contract.contractorMeasures.join('\n'))
  await chooseOption(page.locator('[name="specialTermSetId"]'), entry.termsName)
  if (contract.reportFrequency)
    await page.locator('[name="reportFrequency"]').selectOption(contract.reportFrequency)
  await submit(page, page.getByRole('button', { name: '保存する' }))
  idInPath(page, /^\/contracts\/(\d+)$/)
}

async function enterCouncilItem(
  page: Page,
  systemId: number,
  entry: RoundTripEntry
): Promise<number> {
  const item = entry.item
  await page.goto(`/systems/${systemId}`)
  await page.getByRole('link', { name: 'この登録業務の諮問・報告事項を作成' }).click()
  await page.waitForURL('**/council/items/create?**')
  await page.locator('[name="subject"]').fill(item.subject)
  await page.locator('[name="consultationArticles"]').fill(item.consultation.join('\n'))
  await page.locator('[name="reportArticles"]').fill(item.report.join('\n'))
  await page.locator('[name="priorReportArticles"]').fill(item.priorReport.join('\n'))
  await page.locator('[name="departmentLabel"]').fill(item.departmentLabel ?? '')
  await page.locator('[name="contactSection"]').fill(item.contactSection ?? '')
  await page.locator('[name="contactPerson"]').fill(item.contactPerson ?? '')
  await page.locator('[name="contactExtension"]').fill(item.contactExtension ?? '')
  await page.locator('[name="includeSystem"]').setChecked(item.includeSystem)
  await fillAnnex(page, 0, item.system ?? {})
  await fillAnnex(page, 1, item.contractAnnex)
  await submit(page, page.getByRole('button', { name: '保存する' }))
  return idInPath(page, /^\/council\/items\/(\d+)$/)
}

async function fillAnnex(page: Page, index: number, wording: AnnexWording) {
  const prefix = `annexes[${index}]`
  if (wording.subject) await page.locator(`[name="${prefix}[subject]"]`).fill(wording.subject)
  if (wording.captions)
    await page.locator(`[name="${prefix}[captions]"]`).fill(wording.captions.join('\n'))
  if (wording.holderLabel)
    await page.locator(`[name="${prefix}[holderLabel]"]`).fill(wording.holderLabel)
  if (!wording.labels && !wording.hidden) return
  await page.locator(`#annex-${index} summary`).click()
  for (const [key, label] of Object.entries(wording.labels ?? {})) {
    await page.locator(`[name="${prefix}[overrides][${key}][rowLabel]"]`).fill(label)
  }
  for (const key of wording.hidden ?? [])
    await page.locator(`[name="${prefix}[overrides][${key}][hidden]"]`).check()
}

/** The department's supervisor approves; the privacy officer submits, adds the meeting and schedules the item. */
async function putOnAgenda(
  browser: Browser,
  page: Page,
  itemId: number,
  entry: RoundTripEntry,
  watch: FormWatch
) {
  const agenda = entry.agenda!
  const supervisorContext = await newContext(browser, watch)
  try {
    const supervisorPage = await supervisorContext.newPage()
    await logIn(supervisorPage, SUPERVISORS[entry.system.department])
    await supervisorPage.goto(`/council/items/${itemId}`)
    await submit(
      supervisorPage,
      supervisorPage.getByRole('button', { name: '上位者として承認する' })
    )
    await supervisorPage.getByText('上位者承認済み').first().waitFor()
  } finally {
    await supervisorContext.close()
  }

  await page.goto(`/council/items/${itemId}`)
  await submit(page, page.getByRole('button', { name: '審議会事務局へ提出する' }))
  await page.goto('/council')
  const meetingForm = page.locator('form[action="/council/meetings"]')
  await meetingForm.locator('[name="fiscalYear"]').fill(String(agenda.fiscalYear))
  await meetingForm.locator('[name="number"]').fill(String(agenda.number))
  await submit(page, meetingForm.getByRole('button', { name: '保存する' }))
  const meetingLabel = `${WardCalendar.fiscalYearLabel(agenda.fiscalYear)} 第${agenda.number}回`
  await page.getByText(meetingLabel).first().waitFor()
  await page.goto(`/council/items/${itemId}`)
  await chooseOption(page.locator('[name="meetingId"]'), meetingLabel)
  await page.locator('[name="documentNumber"]').fill(agenda.documentNumber)
  await submit(page, page.getByRole('button', { name: '議題に登録する' }))
  await page.getByText(agenda.documentNumber).first().waitFor()
}
