import { test } from '@japa/runner'
import { execFile } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import { promisify } from 'node:util'
import { DateTime } from 'luxon'
import app from '@adonisjs/core/services/app'
import testUtils from '@adonisjs/core/services/test_utils'
import drive from '@adonisjs/drive/services/main'
import Contract from '#models/contract'
import OversightAudit from '#models/oversight_audit'
import OversightDuty from '#models/oversight_duty'
import OversightAuditAuditor from '#models/oversight_audit_auditor'
import OversightAuditChecklistLine from '#models/oversight_audit_checklist_line'
import OversightAuditAttachment from '#models/oversight_audit_attachment'
import SaveContract from '#actions/register/save_contract'
import CreateSpecialTermVersion from '#actions/register/create_special_term_version'
import DutyLedger from '#services/oversight/duty_ledger'
import WardCalendar from '#services/ward_calendar'
import { SPECIAL_TERMS_13, SPECIAL_TERMS_16 } from '#database/demo/special_terms_data'
import { UserFactory } from '#database/factories/user_factory'
import { ContractorFactory } from '#database/factories/contractor_factory'
import { departmentTree, lastAudit, withQueries, writesTo } from '#tests/helpers'
import { makeContract, makeSystem } from '#tests/register_helpers'
import type User from '#models/user'
import type { ChecklistSource } from '#services/oversight/oversight_audit_checklist'
import AuditLogger from '#services/audit_logger'

const run = promisify(execFile)

const MEASURES = {
  wardMeasuresOperational: ['契約にあたり、別紙「特記事項」を付す。'],
  wardMeasuresSystem: ['ユーザーＩＤ及びパスワードによる認証を行う。'],
  contractorMeasuresOperational: ['取扱責任者及び取扱うオペレーターをあらかじめ指定する。'],
  contractorMeasuresSystem: ['専用回線を経由する端末を使用する。'],
}
/** 13 clauses + 4 measure lines. */
const LINE_COUNT = SPECIAL_TERMS_13.clauses.length + 4

const today = () => DateTime.now().setZone('Asia/Tokyo').toISODate()!

const PDF_BYTES = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n')
const PNG_BYTES = Buffer.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
])

/**
 * 広聴担当課 staff with a colleague, an officer, staff of another department,
 * a contract of 三幸 under the 13-clause terms with a subcontract to 丙, and
 * users of 三幸, 丙 and an unrelated contractor.
 */
async function oversightFixture() {
  const tree = await departmentTree()
  const staff = await UserFactory.merge({
    departmentId: tree.kocho.id,
    fullName: '広聴 一郎',
  }).create()
  const colleague = await UserFactory.apply('supervisor')
    .merge({ departmentId: tree.kocho.id, fullName: '広聴 課長' })
    .create()
  const officer = await UserFactory.apply('privacyOfficer')
    .merge({ fullName: '保護 花子' })
    .create()
  const outsider = await UserFactory.merge({
    departmentId: tree.kikikanri.id,
    fullName: '危機 三郎',
  }).create()
  const [sanko, hei, other] = await ContractorFactory.merge([
    { name: '三幸株式会社' },
    { name: '丙データ株式会社' },
    { name: '安心メール配信株式会社' },
  ]).createMany(3)
  const terms = await new CreateSpecialTermVersion(AuditLogger.system).handle(
    'standard-13',
    SPECIAL_TERMS_13
  )
  const system = await makeSystem(staff, tree.kocho.id, { name: 'コールセンターFAQシステム' })
  const contract = await makeContract(staff, system, {
    contractorId: sanko.id,
    title: 'コールセンター業務委託',
    specialTermSetId: terms.id,
    ...MEASURES,
  })
  const subcontract = await makeContract(
    staff,
    system,
    {
      contractorId: hei.id,
      title: '入力業務の再委託',
      specialTermSetId: terms.id,
      handlesPersonalData: false,
    },
    contract
  )
  const sankoUser = await UserFactory.apply('contractor').merge({ contractorId: sanko.id }).create()
  const heiUser = await UserFactory.apply('contractor').merge({ contractorId: hei.id }).create()
  const otherUser = await UserFactory.apply('contractor').merge({ contractorId: other.id }).create()
  return {
    tree,
    staff,
    colleague,
    officer,
    outsider,
    sanko,
    hei,
    terms,
    system,
    contract,
    subcontract,
    sankoUser,
    heiUser,
    otherUser,
  }
}

/** An audit logged through the real use case, with its lines. */
async function logAudit(
  client: any,
  user: User,
  contract: Contract,
  auditors: User[],
  auditedOn = today()
) {
  const response = await client
    .post(`/contracts/${contract.id}/oversight-audits`)
    .loginAs(user)
    .withCsrfToken()
    .form({ auditedOn, 'auditorIds[]': auditors.map((auditor) => auditor.id) })
    .redirects(0)
  response.assertStatus(302)
  return OversightAudit.query()
    .where('contractId', contract.id)
    .orderBy('id', 'desc')
    .preload('lines')
    .firstOrFail()
}

type AnswerOf = (line: OversightAuditChecklistLine) => string | undefined

/**
 * The fields of one section's form on the checklist page: its lines answered as given
 * (default 適合; undefined leaves a line blank), numbered over the whole checklist as the page
 * numbers them, with the notes given by line id.
 */
function sectionForm(
  audit: OversightAudit,
  source: ChecklistSource,
  answerOf: AnswerOf = () => 'compliant',
  notes: Record<number, string> = {}
) {
  return Object.fromEntries(
    audit.lines.flatMap((line, index) => {
      if (line.source !== source) return []
      const answer = answerOf(line)
      return [
        [`lines[${index}][id]`, line.id],
        ...(answer ? [[`lines[${index}][answer]`, answer]] : []),
        ...(notes[line.id] ? [[`lines[${index}][note]`, notes[line.id]]] : []),
      ]
    })
  )
}

/** The sections of the audit's checklist, in checklist order. */
const sectionsOf = (audit: OversightAudit) => [...new Set(audit.lines.map((line) => line.source))]

/** Answers the checklist section by section, as the checklist page's forms are saved; the responses in order. */
async function answerChecklist(
  client: any,
  user: User,
  audit: OversightAudit,
  answerOf: AnswerOf = () => 'compliant',
  notes: Record<number, string> = {}
) {
  const responses = []
  for (const source of sectionsOf(audit)) {
    responses.push(
      await client
        .put(`/oversight-audits/${audit.id}/checklist/${source}`)
        .loginAs(user)
        .withCsrfToken()
        .form(sectionForm(audit, source, answerOf, notes))
        .redirects(0)
    )
  }
  return responses
}

test.group('Oversight audits: logging', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('generates the checklist from the clauses and measures and keeps it as it was', async ({
    client,
    assert,
  }) => {
    const f = await oversightFixture()
    const form = await client
      .get(`/contracts/${f.contract.id}/oversight-audits/create`)
      .loginAs(f.staff)
    form.assertStatus(200)
    form.assertTextIncludes('特記事項：13項目')
    form.assertTextIncludes('広聴 課長')

    const { result: response, queries: creating } = await withQueries(() =>
      client
        .post(`/contracts/${f.contract.id}/oversight-audits`)
        .loginAs(f.staff)
        .withCsrfToken()
        .form({ 'auditedOn': today(), 'auditorIds[]': [f.staff.id, f.colleague.id] })
        .redirects(0)
    )
    const audit = await OversightAudit.query()
      .where('contractId', f.contract.id)
      .preload('lines')
      .preload('auditors')
      .firstOrFail()
    response.assertHeader('location', `/oversight-audits/${audit.id}/checklist`)
    // The lines (and the auditors) are inserted together, not one a row.
    assert.deepEqual(writesTo(creating, 'oversight_audit_checklist_lines'), {
      insert: 1,
      update: 0,
      delete: 0,
    })
    assert.deepEqual(writesTo(creating, 'oversight_audit_auditors'), {
      insert: 1,
      update: 0,
      delete: 0,
    })
    assert.equal(audit.status, 'in_progress')
    assert.equal(audit.fiscalYear, WardCalendar.fiscalYear(DateTime.now()))
    assert.equal(audit.specialTermSetId, f.terms.id)
    assert.deepEqual(
      audit.auditors.map((auditor) => [auditor.userId, auditor.fullName]),
      [
        [f.staff.id, '広聴 一郎'],
        [f.colleague.id, '広聴 課長'],
      ]
    )
    assert.lengthOf(audit.lines, LINE_COUNT)
    const secrecy = audit.lines.find((line) => line.heading === '秘密の保持')!
    assert.equal(secrecy.source, 'clause')
    assert.include(secrecy.text, '乙は、業務に関して知り得た情報を一切第三者に漏らしてはならない。')
    assert.deepEqual(
      audit.lines.slice(-4).map((line) => [line.source, line.text]),
      [
        ['ward_operational', '契約にあたり、別紙「特記事項」を付す。'],
        ['ward_system', 'ユーザーＩＤ及びパスワードによる認証を行う。'],
        ['contractor_operational', '取扱責任者及び取扱うオペレーターをあらかじめ指定する。'],
        ['contractor_system', '専用回線を経由する端末を使用する。'],
      ]
    )
    const logged = await lastAudit('oversight_audit.create')
    assert.equal(logged?.subjectId, String(audit.id))
    assert.equal(logged?.changedFields, 'auditedOn,auditors,checklist')

    // The library gets a new version and the contract's measures change: the audit keeps its lines.
    await new CreateSpecialTermVersion(AuditLogger.system).handle('standard-13', {
      ...SPECIAL_TERMS_13,
      clauses: SPECIAL_TERMS_13.clauses.map((clause) => ({
        ...clause,
        body: `${clause.body}（改正）`,
      })),
    })
    const contract = await Contract.findOrFail(f.contract.id)
    const saved = await new SaveContract(AuditLogger.system).handle(
      contract,
      f.system.id,
      null,
      {
        title: contract.title,
        reason: contract.reason,
        periodType: 'fixed',
        contractorId: f.sanko.id,
        specialTermSetId: f.terms.id,
        tasks: [],
        wardMeasuresOperational: [],
        wardMeasuresSystem: [],
        contractorMeasuresOperational: [],
        contractorMeasuresSystem: ['VPNを使用する。'],
      },
      f.staff
    )
    assert.isTrue(saved.ok)
    const again = await OversightAuditChecklistLine.query()
      .where('auditId', audit.id)
      .orderBy('position')
    assert.deepEqual(
      again.map((line) => line.text),
      audit.lines.map((line) => line.text)
    )

    const page = await client.get(`/oversight-audits/${audit.id}`).loginAs(f.staff)
    page.assertStatus(200)
    page.assertTextIncludes('専用回線を経由する端末を使用する。')
    assert.notInclude(page.text(), 'VPNを使用する。')
    assert.notInclude(page.text(), '（改正）')
  })

  test('refuses fewer than two distinct ward auditors and saves nothing', async ({
    client,
    assert,
  }) => {
    const f = await oversightFixture()
    const attempts: Array<[string, number[]]> = [
      ['調査員は区の職員を2名以上選択してください。', []],
      ['調査員は区の職員を2名以上選択してください。', [f.staff.id]],
      ['調査員は区の職員を2名以上選択してください。', [f.staff.id, f.staff.id]],
      ['調査員には区の職員（有効なアカウント）のみ選択できます。', [f.staff.id, f.sankoUser.id]],
      [
        '調査員には区の職員（有効なアカウント）のみ選択できます。',
        [f.staff.id, f.colleague.id, 999999],
      ],
    ]
    for (const [message, ids] of attempts) {
      const response = await client
        .post(`/contracts/${f.contract.id}/oversight-audits`)
        .loginAs(f.staff)
        .withCsrfToken()
        .form({ 'auditedOn': today(), 'auditorIds[]': ids })
        .redirects(0)
      response.assertStatus(302)
      response.assertFlashMessage('errors', { auditorIds: [message] })
    }
    assert.lengthOf(await OversightAudit.all(), 0)
    assert.lengthOf(await OversightAuditAuditor.all(), 0)
    assert.lengthOf(await OversightAuditChecklistLine.all(), 0)

    // The error shows on the form in Japanese.
    const form = await client
      .get(`/contracts/${f.contract.id}/oversight-audits/create`)
      .loginAs(f.staff)
      .withFlashMessages({
        errors: { auditorIds: ['調査員は区の職員を2名以上選択してください。'] },
      })
    form.assertTextIncludes('調査員は区の職員を2名以上選択してください。')
  })

  test('the audit date is required and may not be in the future', async ({ client, assert }) => {
    const f = await oversightFixture()
    const tomorrow = DateTime.now().setZone('Asia/Tokyo').plus({ days: 1 }).toISODate()!
    const future = await client
      .post(`/contracts/${f.contract.id}/oversight-audits`)
      .loginAs(f.staff)
      .withCsrfToken()
      .form({ 'auditedOn': tomorrow, 'auditorIds[]': [f.staff.id, f.colleague.id] })
      .redirects(0)
    future.assertFlashMessage('errors', { auditedOn: ['実施日に未来の日付は指定できません。'] })

    const missing = await client
      .post(`/contracts/${f.contract.id}/oversight-audits`)
      .loginAs(f.staff)
      .withCsrfToken()
      .form({ 'auditorIds[]': [f.staff.id, f.colleague.id] })
      .redirects(0)
    missing.assertStatus(302)
    assert.property(missing.flashMessages().errors ?? {}, 'auditedOn')
    assert.lengthOf(await OversightAudit.all(), 0)
  })

  test('an undecided contract or one without terms and measures cannot be audited', async ({
    client,
    assert,
  }) => {
    const f = await oversightFixture()
    const undecided = await makeContract(f.staff, f.system, {
      title: '未定の委託',
      selectionMethod: 'nyusatsu',
      specialTermSetId: f.terms.id,
    })
    const bare = await makeContract(f.staff, f.system, {
      title: '特記事項のない委託',
      contractorId: f.sanko.id,
    })
    const form = { 'auditedOn': today(), 'auditorIds[]': [f.staff.id, f.colleague.id] }
    const refusedUndecided = await client
      .post(`/contracts/${undecided.id}/oversight-audits`)
      .loginAs(f.staff)
      .withCsrfToken()
      .form(form)
      .redirects(0)
    refusedUndecided.assertFlashMessage('errors', {
      auditedOn: ['委託先が決まっていない委託の立入調査は登録できません。'],
    })
    const refusedBare = await client
      .post(`/contracts/${bare.id}/oversight-audits`)
      .loginAs(f.staff)
      .withCsrfToken()
      .form(form)
      .redirects(0)
    refusedBare.assertFlashMessage('errors', {
      auditedOn: [
        'この委託には特記事項も情報保護対策も登録されていないため、チェックリストを作成できません。',
      ],
    })
    assert.lengthOf(await OversightAudit.all(), 0)
  })
})

test.group('Oversight audits: answers, findings and corrective actions', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('answering every line completes the audit and satisfies the audit duty of its fiscal year', async ({
    client,
    assert,
  }) => {
    const f = await oversightFixture()
    await DutyLedger.recompute(f.contract.id, AuditLogger.system)
    const fiscalYear = String(WardCalendar.fiscalYear(DateTime.now()))
    const duty = await OversightDuty.query()
      .where('contractId', f.contract.id)
      .where('kind', 'audit')
      .where('periodKey', fiscalYear)
      .firstOrFail()
    assert.equal(duty.state, 'open')

    const audit = await logAudit(client, f.staff, f.contract, [f.staff, f.colleague])
    const base = { 'auditedOn': today(), 'auditorIds[]': [f.staff.id, f.colleague.id] }
    const last = audit.lines[audit.lines.length - 1]

    // All but one line answered: still in progress, duty still open.
    const secrecy = audit.lines.find((line) => line.heading === '秘密の保持')!
    const partial = await answerChecklist(client, f.colleague, audit, (line) =>
      line.id === last.id ? undefined : line.id === secrecy.id ? 'non_compliant' : 'compliant'
    )
    partial[0].assertHeader('location', `/oversight-audits/${audit.id}/checklist#section-clause`)
    await audit.refresh()
    assert.equal(audit.status, 'in_progress')
    await duty.refresh()
    assert.equal(duty.state, 'open')
    assert.lengthOf(
      await OversightAuditChecklistLine.query().where('auditId', audit.id).whereNull('answer'),
      1
    )

    // A note on the 不適合 line; then the last line answered: completed, and the duty is satisfied by this audit.
    await client
      .put(`/oversight-audits/${audit.id}/checklist/clause`)
      .loginAs(f.colleague)
      .withCsrfToken()
      .form(
        sectionForm(
          audit,
          'clause',
          (line) => (line.id === secrecy.id ? 'non_compliant' : 'compliant'),
          { [secrecy.id]: '作業場所に施錠されていない書庫があった' }
        )
      )
    const complete = await client
      .put(`/oversight-audits/${audit.id}/checklist/${last.source}`)
      .loginAs(f.colleague)
      .withCsrfToken()
      .form(sectionForm(audit, last.source, () => 'not_applicable'))
      .redirects(0)
    complete.assertHeader('location', `/oversight-audits/${audit.id}/checklist`)
    complete.assertFlashMessage(
      'success',
      `「受託事業者に行わせる情報保護対策（システム上）」の回答を保存しました（この区分 1/1項目、全体 ${LINE_COUNT}/${LINE_COUNT}項目に回答済み）。すべての項目に回答したため、立入調査を完了しました。`
    )
    await audit.refresh()
    assert.equal(audit.status, 'completed')
    assert.isNotNull(audit.completedAt)
    await duty.refresh()
    assert.equal(duty.state, 'satisfied')
    assert.equal(duty.evidenceType, 'oversight_audit')
    assert.equal(duty.evidenceId, audit.id)
    assert.equal(duty.satisfiedOn?.toISODate(), today())
    const updated = await lastAudit('oversight_audit.update')
    assert.equal(updated?.changedFields, 'answers,status')
    assert.include(updated?.details ?? '', 'contractor_system')
    assert.isNotNull(await lastAudit('oversight_audit.complete'))

    // A non-compliant line without finding or corrective action is allowed, but shown.
    const page = await client.get(`/oversight-audits/${audit.id}`).loginAs(f.staff)
    page.assertTextIncludes(
      '不適合の項目のうち、指摘事項・是正措置が記録されていないものがあります'
    )
    page.assertTextIncludes('作業場所に施錠されていない書庫があった')
    page.assertTextIncludes('完了')

    // A completed audit keeps its answers and its fiscal year.
    const cleared = await client
      .put(`/oversight-audits/${audit.id}/checklist/${last.source}`)
      .loginAs(f.colleague)
      .withCsrfToken()
      .form(sectionForm(audit, last.source, () => undefined))
      .redirects(0)
    cleared.assertFlashMessage('errors', { lines: ['完了した立入調査の回答は空欄にできません。'] })
    const lastYear = DateTime.now().setZone('Asia/Tokyo').minus({ years: 1 }).toISODate()!
    const moved = await client
      .put(`/oversight-audits/${audit.id}`)
      .loginAs(f.colleague)
      .withCsrfToken()
      .form({ ...base, auditedOn: lastYear })
      .redirects(0)
    moved.assertFlashMessage('errors', {
      auditedOn: ['完了した立入調査の実施日は、別の年度の日付に変更できません。'],
    })
    await audit.refresh()
    assert.equal(audit.auditedOn.toISODate(), today())
  })

  test('records findings and corrective actions with owners and due dates', async ({
    client,
    assert,
  }) => {
    const f = await oversightFixture()
    const audit = await logAudit(client, f.officer, f.contract, [f.officer, f.staff])
    const secrecy = audit.lines.find((line) => line.heading === '秘密の保持')!
    const base = { 'auditedOn': today(), 'auditorIds[]': [f.officer.id, f.staff.id] }
    await client
      .put(`/oversight-audits/${audit.id}/checklist/clause`)
      .loginAs(f.staff)
      .withCsrfToken()
      .form(
        sectionForm(audit, 'clause', (line) =>
          line.id === secrecy.id ? 'non_compliant' : undefined
        )
      )

    await client
      .put(`/oversight-audits/${audit.id}`)
      .loginAs(f.staff)
      .withCsrfToken()
      .form({
        ...base,
        'findings[0][detail]': '書庫が施錠されていなかった。',
        'findings[0][lineId]': secrecy.id,
        'findings[1][detail]': '',
        'actions[0][measure]': '書庫に施錠し、鍵の管理簿を作成する。',
        'actions[0][owner]': '三幸株式会社 業務管理部',
        'actions[0][dueOn]': '2026-12-25',
        'actions[0][lineId]': secrecy.id,
        'actions[1][measure]': '',
        'actions[1][owner]': '',
        'actions[1][dueOn]': '',
      })
      .redirects(0)
    await audit.load((loader) => loader.load('findings').load('correctiveActions'))
    assert.deepEqual(
      audit.findings.map((finding) => [finding.detail, finding.lineId]),
      [['書庫が施錠されていなかった。', secrecy.id]]
    )
    assert.lengthOf(audit.correctiveActions, 1)
    const action = audit.correctiveActions[0]
    assert.equal(action.owner, '三幸株式会社 業務管理部')
    assert.equal(action.dueOn.toISODate(), '2026-12-25')
    assert.isNull(action.doneOn)
    const answered = await lastAudit('oversight_audit.update')
    assert.equal(answered?.changedFields, 'correctiveActions,findings')

    const page = await client.get(`/oversight-audits/${audit.id}`).loginAs(f.staff)
    page.assertTextIncludes('書庫に施錠し、鍵の管理簿を作成する。')
    page.assertTextIncludes('令和8年12月25日')
    assert.notInclude(page.text(), '指摘事項・是正措置が記録されていないものがあります')

    // Done date recorded; the finding removed by clearing it. Nothing else changes.
    await client
      .put(`/oversight-audits/${audit.id}`)
      .loginAs(f.staff)
      .withCsrfToken()
      .form({
        ...base,
        'findings[0][id]': audit.findings[0].id,
        'findings[0][detail]': '',
        'actions[0][id]': action.id,
        'actions[0][measure]': '書庫に施錠し、鍵の管理簿を作成する。',
        'actions[0][owner]': '三幸株式会社 業務管理部',
        'actions[0][dueOn]': '2026-12-25',
        'actions[0][doneOn]': '2026-12-20',
        'actions[0][lineId]': secrecy.id,
      })
      .redirects(0)
    await audit.load((loader) => loader.load('findings').load('correctiveActions'))
    assert.lengthOf(audit.findings, 0)
    assert.equal(audit.correctiveActions[0].id, action.id)
    assert.equal(audit.correctiveActions[0].doneOn?.toISODate(), '2026-12-20')
    const corrected = await lastAudit('oversight_audit.update')
    assert.equal(corrected?.changedFields, 'correctiveActions,findings')

    // A corrective action needs its owner and due date.
    const incomplete = await client
      .put(`/oversight-audits/${audit.id}`)
      .loginAs(f.staff)
      .withCsrfToken()
      .form({ ...base, 'actions[0][measure]': '再発防止策を報告する。' })
      .redirects(0)
    incomplete.assertStatus(302)
    assert.includeMembers(Object.keys(incomplete.flashMessages().errors ?? {}), [
      'actions.0.owner',
      'actions.0.dueOn',
    ])
    assert.lengthOf(await audit.related('correctiveActions').query(), 1)
  })

  test('findings and corrective actions are written a statement per kind, however many rows', async ({
    client,
    assert,
  }) => {
    const f = await oversightFixture()
    const audit = await logAudit(client, f.officer, f.contract, [f.officer, f.staff])
    const base = { 'auditedOn': today(), 'auditorIds[]': [f.officer.id, f.staff.id] }
    const rows = [1, 2, 3, 4, 5, 6]
    const save = (form: Record<string, unknown>) =>
      withQueries(() =>
        client
          .put(`/oversight-audits/${audit.id}`)
          .loginAs(f.staff)
          .withCsrfToken()
          .form({ ...base, ...form })
          .redirects(0)
      )
    const findingFields = (findings: Array<{ id?: number; detail: string }>) =>
      Object.fromEntries(
        findings.flatMap((finding, index) => [
          ...(finding.id ? [[`findings[${index}][id]`, finding.id]] : []),
          [`findings[${index}][detail]`, finding.detail],
        ])
      )
    const actionFields = (
      actions: Array<{ id?: number; measure: string; dueOn: string; doneOn?: string }>
    ) =>
      Object.fromEntries(
        actions.flatMap((action, index) => [
          ...(action.id ? [[`actions[${index}][id]`, action.id]] : []),
          [`actions[${index}][measure]`, action.measure],
          [`actions[${index}][owner]`, '三幸株式会社 業務管理部'],
          [`actions[${index}][dueOn]`, action.dueOn],
          [`actions[${index}][doneOn]`, action.doneOn ?? ''],
        ])
      )

    const { queries: creating } = await save({
      ...findingFields(rows.map((n) => ({ detail: `指摘${n}` }))),
      ...actionFields(rows.map((n) => ({ measure: `是正${n}`, dueOn: `2026-12-${10 + n}` }))),
    })
    assert.deepEqual(writesTo(creating, 'oversight_audit_findings'), {
      insert: 1,
      update: 0,
      delete: 0,
    })
    assert.deepEqual(writesTo(creating, 'oversight_audit_corrective_actions'), {
      insert: 1,
      update: 0,
      delete: 0,
    })
    await audit.load((loader) => loader.load('findings').load('correctiveActions'))
    const findings = audit.findings.sort((a, b) => a.position - b.position)
    const actions = audit.correctiveActions.sort((a, b) => a.position - b.position)
    assert.deepEqual(
      actions.map((action) => [action.measure, action.position, action.dueOn.toISODate()]),
      rows.map((n) => [`是正${n}`, n, `2026-12-${10 + n}`])
    )

    // The same form again writes nothing and records no change of findings or actions.
    const unchanged = {
      ...findingFields(findings.map(({ id, detail }) => ({ id, detail }))),
      ...actionFields(
        actions.map(({ id, measure, dueOn }) => ({ id, measure, dueOn: dueOn.toISODate()! }))
      ),
    }
    const { queries: again } = await save(unchanged)
    for (const table of ['oversight_audit_findings', 'oversight_audit_corrective_actions']) {
      assert.deepEqual(writesTo(again, table), { insert: 0, update: 0, delete: 0 })
    }
    const unchangedEntry = await lastAudit('oversight_audit.update')
    assert.isNull(unchangedEntry?.changedFields)

    // The first finding removed (the five below move up), one renamed, one added at the end;
    // the second action's done date set and the first removed.
    const { queries: editing } = await save({
      ...findingFields([
        ...findings.slice(1).map(({ id, detail }) => ({
          id,
          detail: detail === '指摘4' ? '指摘4（訂正）' : detail,
        })),
        { detail: '指摘7' },
      ]),
      ...actionFields(
        actions.slice(1).map(({ id, measure, dueOn }) => ({
          id,
          measure,
          dueOn: dueOn.toISODate()!,
          doneOn: measure === '是正2' ? '2026-11-20' : undefined,
        }))
      ),
    })
    assert.deepEqual(writesTo(editing, 'oversight_audit_findings'), {
      insert: 1,
      update: 1,
      delete: 1,
    })
    assert.deepEqual(writesTo(editing, 'oversight_audit_corrective_actions'), {
      insert: 0,
      update: 1,
      delete: 1,
    })
    const editedEntry = await lastAudit('oversight_audit.update')
    assert.equal(editedEntry?.changedFields, 'correctiveActions,findings')
    await audit.load((loader) => loader.load('findings').load('correctiveActions'))
    assert.deepEqual(
      audit.findings
        .sort((a, b) => a.position - b.position)
        .map((finding) => [finding.detail, finding.position]),
      [
        ['指摘2', 1],
        ['指摘3', 2],
        ['指摘4（訂正）', 3],
        ['指摘5', 4],
        ['指摘6', 5],
        ['指摘7', 6],
      ]
    )
    assert.deepEqual(
      audit.correctiveActions
        .sort((a, b) => a.position - b.position)
        .map((action) => [action.measure, action.position, action.doneOn?.toISODate() ?? null]),
      [
        ['是正2', 1, '2026-11-20'],
        ['是正3', 2, null],
        ['是正4', 3, null],
        ['是正5', 4, null],
        ['是正6', 5, null],
      ]
    )
  })

  test('a long checklist (more than 20 lines) is answered section by section', async ({
    client,
    assert,
  }) => {
    const f = await oversightFixture()
    const terms16 = await new CreateSpecialTermVersion(AuditLogger.system).handle(
      'standard-16',
      SPECIAL_TERMS_16
    )
    const three = (label: string) => [1, 2, 3].map((n) => `${label}${n}`)
    const contract = await makeContract(f.staff, f.system, {
      contractorId: f.sanko.id,
      title: '再構築の委託',
      specialTermSetId: terms16.id,
      wardMeasuresOperational: three('区・運用'),
      wardMeasuresSystem: three('区・システム'),
      contractorMeasuresOperational: three('乙・運用'),
      contractorMeasuresSystem: three('乙・システム'),
    })
    const audit = await logAudit(client, f.staff, contract, [f.staff, f.colleague])
    assert.lengthOf(audit.lines, SPECIAL_TERMS_16.clauses.length + 12)
    const lastIndex = audit.lines.length - 1
    const { result: responses, queries: answering } = await withQueries(() =>
      answerChecklist(
        client,
        f.staff,
        audit,
        (line) => (line.position === audit.lines.length ? 'not_applicable' : 'compliant'),
        { [audit.lines[lastIndex].id]: 'システム上の対策は次期更改で確認, 今回は対象外' }
      )
    )
    assert.lengthOf(responses, 5)
    // Each section's answers in one UPDATE, however many lines it has (16 clauses in the first).
    assert.deepEqual(writesTo(answering, 'oversight_audit_checklist_lines'), {
      insert: 0,
      update: 5,
      delete: 0,
    })
    await audit.refresh()
    assert.equal(audit.status, 'completed')
    const last = await OversightAuditChecklistLine.findOrFail(audit.lines[lastIndex].id)
    assert.equal(last.answer, 'not_applicable')
    assert.equal(last.note, 'システム上の対策は次期更改で確認, 今回は対象外')
  })

  test('rows cannot point at another audit’s lines or rows', async ({ client, assert }) => {
    const f = await oversightFixture()
    const audit = await logAudit(client, f.staff, f.contract, [f.staff, f.colleague])
    const other = await logAudit(client, f.staff, f.subcontract, [f.staff, f.colleague])
    const base = { 'auditedOn': today(), 'auditorIds[]': [f.staff.id, f.colleague.id] }

    const foreignLine = await client
      .put(`/oversight-audits/${audit.id}/checklist/clause`)
      .loginAs(f.staff)
      .withCsrfToken()
      .form({ 'lines[0][id]': other.lines[0].id, 'lines[0][answer]': 'compliant' })
      .redirects(0)
    foreignLine.assertFlashMessage('errors', {
      lines: ['チェックリストの項目の指定が正しくありません。'],
    })
    await other.lines[0].refresh()
    assert.isNull(other.lines[0].answer)

    // A section saves its own lines only: a clause line sent with a measures section is refused.
    const otherSection = await client
      .put(`/oversight-audits/${audit.id}/checklist/ward_operational`)
      .loginAs(f.staff)
      .withCsrfToken()
      .form({ 'lines[0][id]': audit.lines[0].id, 'lines[0][answer]': 'compliant' })
      .redirects(0)
    otherSection.assertFlashMessage('errors', {
      lines: ['チェックリストの項目の指定が正しくありません。'],
    })
    await audit.lines[0].refresh()
    assert.isNull(audit.lines[0].answer)
    // A section the checklist does not have, or no section at all: not found.
    for (const section of ['unknown', 'lines']) {
      const missing = await client
        .put(`/oversight-audits/${audit.id}/checklist/${section}`)
        .loginAs(f.staff)
        .withCsrfToken()
        .form({})
      assert.equal(missing.status(), 404, section)
    }

    const foreignFinding = await client
      .put(`/oversight-audits/${audit.id}`)
      .loginAs(f.staff)
      .withCsrfToken()
      .form({ ...base, 'findings[0][detail]': '指摘', 'findings[0][lineId]': other.lines[0].id })
      .redirects(0)
    foreignFinding.assertFlashMessage('errors', {
      lines: ['チェックリストの項目の指定が正しくありません。'],
    })
  })
})

test.group('Oversight audits: checklist sections and completion', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('the checklist shows answered / total overall and per section; a section saves only its own answers', async ({
    client,
    assert,
  }) => {
    const f = await oversightFixture()
    const audit = await logAudit(client, f.staff, f.contract, [f.staff, f.colleague])
    const clauses = SPECIAL_TERMS_13.clauses.length

    const page = await client.get(`/oversight-audits/${audit.id}/checklist`).loginAs(f.staff)
    page.assertStatus(200)
    page.assertTextIncludes(`全体：回答済み 0 / ${LINE_COUNT}項目`)
    page.assertTextIncludes(`href="#section-clause">特記事項</a>`)
    page.assertTextIncludes(`0 / ${clauses}`)
    // One form per section, each saving to its own address.
    for (const source of sectionsOf(audit)) {
      page.assertTextIncludes(
        `action="/oversight-audits/${audit.id}/checklist/${source}?_method=PUT"`
      )
    }
    assert.equal(page.text().split('>この区分の回答を保存</button>').length - 1, 5)

    // Two clauses answered: only the clause section changes, the count follows.
    const [first, second] = audit.lines
    const saved = await client
      .put(`/oversight-audits/${audit.id}/checklist/clause`)
      .loginAs(f.staff)
      .withCsrfToken()
      .form(
        sectionForm(audit, 'clause', (line) =>
          line.id === first.id ? 'compliant' : line.id === second.id ? 'non_compliant' : undefined
        )
      )
      .redirects(0)
    saved.assertHeader('location', `/oversight-audits/${audit.id}/checklist#section-clause`)
    saved.assertFlashMessage(
      'success',
      `「特記事項」の回答を保存しました（この区分 2/${clauses}項目、全体 2/${LINE_COUNT}項目に回答済み）。`
    )
    const answered = await OversightAuditChecklistLine.query()
      .where('auditId', audit.id)
      .whereNotNull('answer')
      .orderBy('position')
    assert.deepEqual(
      answered.map((line) => [line.id, line.answer]),
      [
        [first.id, 'compliant'],
        [second.id, 'non_compliant'],
      ]
    )
    const logged = await lastAudit('oversight_audit.update')
    assert.equal(logged?.changedFields, 'answers')

    // A measures section saved next leaves the clause answers as they are.
    await client
      .put(`/oversight-audits/${audit.id}/checklist/ward_operational`)
      .loginAs(f.staff)
      .withCsrfToken()
      .form(sectionForm(audit, 'ward_operational'))
    const counts = await client.get(`/oversight-audits/${audit.id}/checklist`).loginAs(f.staff)
    counts.assertTextIncludes(`全体：回答済み 3 / ${LINE_COUNT}項目`)
    assert.match(
      counts.text(),
      new RegExp(
        `特記事項\\s*<span class="checklist-section__count">回答済み 2 / ${clauses}項目</span>`
      )
    )
    await first.refresh()
    assert.equal(first.answer, 'compliant')

    // The audit's page and the edit page show the same counts.
    const show = await client.get(`/oversight-audits/${audit.id}`).loginAs(f.staff)
    show.assertTextIncludes(`全体：回答済み 3 / ${LINE_COUNT}項目`)
    show.assertTextIncludes(`2 / ${clauses}`)
    show.assertTextIncludes(`/oversight-audits/${audit.id}/checklist`)
    const edit = await client.get(`/oversight-audits/${audit.id}/edit`).loginAs(f.staff)
    edit.assertTextIncludes(`全体：回答済み 3 / ${LINE_COUNT}項目`)
    assert.notInclude(edit.text(), 'name="lines[0][answer]"')
    // A contractor user reads the counts without links to the forms.
    const contractorView = await client.get(`/oversight-audits/${audit.id}`).loginAs(f.sankoUser)
    contractorView.assertTextIncludes(`全体：回答済み 3 / ${LINE_COUNT}項目`)
    assert.notInclude(contractorView.text(), `/oversight-audits/${audit.id}/checklist`)
  })

  test('an audit with an open corrective action is not completed: the refusal lists the open actions', async ({
    client,
    assert,
  }) => {
    const f = await oversightFixture()
    await DutyLedger.recompute(f.contract.id, AuditLogger.system)
    const audit = await logAudit(client, f.staff, f.contract, [f.staff, f.colleague])
    const base = { 'auditedOn': today(), 'auditorIds[]': [f.staff.id, f.colleague.id] }
    await client
      .put(`/oversight-audits/${audit.id}`)
      .loginAs(f.staff)
      .withCsrfToken()
      .form({
        ...base,
        'actions[0][measure]': '書庫に施錠し、鍵の管理簿を作成する。',
        'actions[0][owner]': '三幸株式会社 業務管理部',
        'actions[0][dueOn]': '2026-12-25',
        'actions[1][measure]': '取扱者に再教育を行う。',
        'actions[1][owner]': '三幸株式会社 総務部',
        'actions[1][dueOn]': '2027-01-15',
        'actions[1][doneOn]': today(),
      })
    const responses = await answerChecklist(client, f.staff, audit)
    const last = responses[responses.length - 1]
    last.assertHeader('location', `/oversight-audits/${audit.id}/checklist`)
    assert.include(
      last.flashMessages().success,
      '未完了の是正措置が1件あるため、立入調査はまだ完了していません。'
    )
    await audit.refresh()
    assert.equal(audit.status, 'in_progress')
    const duty = await OversightDuty.query()
      .where('contractId', f.contract.id)
      .where('kind', 'audit')
      .where('periodKey', String(audit.fiscalYear))
      .firstOrFail()
    assert.equal(duty.state, 'open')
    assert.isNull(await lastAudit('oversight_audit.complete'))

    // The page says so plainly, listing the open action (and not the done one).
    const page = await client.get(`/oversight-audits/${audit.id}`).loginAs(f.staff)
    page.assertTextIncludes('立入調査を完了できません：未完了の是正措置があります')
    page.assertTextIncludes(
      '書庫に施錠し、鍵の管理簿を作成する。（担当：三幸株式会社 業務管理部、期限：令和8年12月25日）'
    )
    assert.notInclude(page.text(), '取扱者に再教育を行う。（担当')
    page.assertTextIncludes(`/oversight-audits/${audit.id}/edit#actions`)
    const checklist = await client.get(`/oversight-audits/${audit.id}/checklist`).loginAs(f.staff)
    checklist.assertTextIncludes('立入調査を完了できません')

    // Its done date recorded: the audit completes and satisfies the audit duty.
    await audit.load('correctiveActions')
    const [open, done] = audit.correctiveActions
    const completed = await client
      .put(`/oversight-audits/${audit.id}`)
      .loginAs(f.staff)
      .withCsrfToken()
      .form({
        ...base,
        'actions[0][id]': open.id,
        'actions[0][measure]': open.measure,
        'actions[0][owner]': open.owner,
        'actions[0][dueOn]': '2026-12-25',
        'actions[0][doneOn]': today(),
        'actions[1][id]': done.id,
        'actions[1][measure]': done.measure,
        'actions[1][owner]': done.owner,
        'actions[1][dueOn]': '2027-01-15',
        'actions[1][doneOn]': today(),
      })
      .redirects(0)
    completed.assertFlashMessage('success', 'すべての項目に回答したため、立入調査を完了しました。')
    await audit.refresh()
    assert.equal(audit.status, 'completed')
    await duty.refresh()
    assert.equal(duty.state, 'satisfied')
    const after = await client.get(`/oversight-audits/${audit.id}`).loginAs(f.staff)
    assert.notInclude(after.text(), '立入調査を完了できません')
  })
})

test.group('Oversight audits: access', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('other departments are refused; contractor users read their own contracts’ audits only', async ({
    client,
    assert,
  }) => {
    const f = await oversightFixture()
    const audit = await logAudit(client, f.staff, f.contract, [f.staff, f.colleague])
    const subAudit = await logAudit(client, f.staff, f.subcontract, [f.staff, f.colleague])
    const update = { 'auditedOn': today(), 'auditorIds[]': [f.staff.id, f.colleague.id] }

    // Staff of another department: nothing.
    const outsiderOversightAudit = await client
      .get(`/oversight-audits/${audit.id}`)
      .loginAs(f.outsider)
    outsiderOversightAudit.assertStatus(403)
    const outsiderEdit = await client.get(`/oversight-audits/${audit.id}/edit`).loginAs(f.outsider)
    outsiderEdit.assertStatus(403)
    const outsiderReport = await client
      .get(`/oversight-audits/${audit.id}/report.pdf`)
      .loginAs(f.outsider)
    outsiderReport.assertStatus(403)
    const outsiderCreate = await client
      .get(`/contracts/${f.contract.id}/oversight-audits/create`)
      .loginAs(f.outsider)
    outsiderCreate.assertStatus(403)
    const outsiderOversightAuditsPost = await client
      .post(`/contracts/${f.contract.id}/oversight-audits`)
      .loginAs(f.outsider)
      .withCsrfToken()
      .form(update)
    outsiderOversightAuditsPost.assertStatus(403)
    const outsiderOversightAuditPut = await client
      .put(`/oversight-audits/${audit.id}`)
      .loginAs(f.outsider)
      .withCsrfToken()
      .form(update)
    outsiderOversightAuditPut.assertStatus(403)
    const outsiderChecklist = await client
      .get(`/oversight-audits/${audit.id}/checklist`)
      .loginAs(f.outsider)
    outsiderChecklist.assertStatus(403)
    const outsiderSection = await client
      .put(`/oversight-audits/${audit.id}/checklist/clause`)
      .loginAs(f.outsider)
      .withCsrfToken()
      .form(sectionForm(audit, 'clause'))
    outsiderSection.assertStatus(403)
    const outsiderOversightAuditsFiltered = await client
      .get(`/oversight-audits?contractId=${f.contract.id}`)
      .loginAs(f.outsider)
    outsiderOversightAuditsFiltered.assertStatus(403)
    const outsiderList = await client.get('/oversight-audits').loginAs(f.outsider)
    assert.notInclude(outsiderList.text(), 'コールセンター業務委託')

    // The privacy officer sees and edits everything.
    const officerEdit = await client.get(`/oversight-audits/${audit.id}/edit`).loginAs(f.officer)
    officerEdit.assertStatus(200)

    // 三幸 (乙) reads the audits of its contract and of the subcontract under it, read-only.
    const list = await client.get('/oversight-audits').loginAs(f.sankoUser)
    list.assertTextIncludes('コールセンター業務委託')
    list.assertTextIncludes('入力業務の再委託')
    const page = await client.get(`/oversight-audits/${audit.id}`).loginAs(f.sankoUser)
    page.assertStatus(200)
    assert.notInclude(page.text(), `/oversight-audits/${audit.id}/edit`)
    assert.notInclude(page.text(), 'enctype="multipart/form-data"')
    const sankoUserOversightAudit = await client
      .get(`/oversight-audits/${subAudit.id}`)
      .loginAs(f.sankoUser)
    sankoUserOversightAudit.assertStatus(200)
    const sankoUserReport = await client
      .get(`/oversight-audits/${audit.id}/report.pdf`)
      .loginAs(f.sankoUser)
    sankoUserReport.assertStatus(200)
    const sankoUserEdit = await client
      .get(`/oversight-audits/${audit.id}/edit`)
      .loginAs(f.sankoUser)
    sankoUserEdit.assertStatus(403)
    const sankoUserOversightAuditPut = await client
      .put(`/oversight-audits/${audit.id}`)
      .loginAs(f.sankoUser)
      .withCsrfToken()
      .form(update)
    sankoUserOversightAuditPut.assertStatus(403)
    const sankoUserChecklist = await client
      .get(`/oversight-audits/${audit.id}/checklist`)
      .loginAs(f.sankoUser)
    sankoUserChecklist.assertStatus(403)
    const sankoUserSection = await client
      .put(`/oversight-audits/${audit.id}/checklist/clause`)
      .loginAs(f.sankoUser)
      .withCsrfToken()
      .form(sectionForm(audit, 'clause'))
    sankoUserSection.assertStatus(403)
    assert.lengthOf(
      await OversightAuditChecklistLine.query().where('auditId', audit.id).whereNotNull('answer'),
      0
    )
    const sankoUserCreate = await client
      .get(`/contracts/${f.contract.id}/oversight-audits/create`)
      .loginAs(f.sankoUser)
    sankoUserCreate.assertStatus(403)
    const sankoUserAttachmentsPost = await client
      .post(`/oversight-audits/${audit.id}/attachments`)
      .loginAs(f.sankoUser)
      .withCsrfToken()
      .file('file', PDF_BYTES, { filename: 'a.pdf' })
    sankoUserAttachmentsPost.assertStatus(403)

    // 丙 reads the subcontract's audit only; an unrelated contractor nothing (URL tampering).
    const heiSubAudit = await client.get(`/oversight-audits/${subAudit.id}`).loginAs(f.heiUser)
    heiSubAudit.assertStatus(200)
    const heiParentAudit = await client.get(`/oversight-audits/${audit.id}`).loginAs(f.heiUser)
    heiParentAudit.assertStatus(403)
    const heiUserList = await client.get('/oversight-audits').loginAs(f.heiUser)
    assert.notInclude(heiUserList.text(), 'コールセンター業務委託')
    for (const url of [
      `/oversight-audits/${audit.id}`,
      `/oversight-audits/${subAudit.id}`,
      `/oversight-audits/${audit.id}/report.pdf`,
      `/oversight-audits?contractId=${f.contract.id}`,
    ]) {
      const otherUserPage = await client.get(url).loginAs(f.otherUser)
      otherUserPage.assertStatus(403)
    }
    const othersList = await client.get('/oversight-audits').loginAs(f.otherUser)
    othersList.assertTextIncludes('立入調査の記録はありません。')
  })
})

test.group('Oversight audits: attachments', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => {
    drive.fake('fs')
    return () => drive.restore('fs')
  })

  test('stores PDF, JPEG and PNG files privately and streams them to authorised users', async ({
    client,
    assert,
  }) => {
    const f = await oversightFixture()
    const audit = await logAudit(client, f.staff, f.contract, [f.staff, f.colleague])
    const disk = drive.use('fs')

    const uploaded = await client
      .post(`/oversight-audits/${audit.id}/attachments`)
      .loginAs(f.staff)
      .withCsrfToken()
      .file('file', PDF_BYTES, { filename: '立入調査チェックシート.pdf' })
      .fields({ caption: '署名済みのチェックシート' })
      .redirects(0)
    uploaded.assertHeader('location', `/oversight-audits/${audit.id}`)
    uploaded.assertFlashMessage('success', 'ファイルを添付しました。')
    const attachment = await OversightAuditAttachment.findByOrFail('auditId', audit.id)
    assert.match(attachment.storageKey, /^oversight-audits\/[0-9a-f-]{36}\.pdf$/)
    assert.notInclude(attachment.storageKey, '立入調査')
    assert.equal(attachment.originalName, '立入調査チェックシート.pdf')
    assert.equal(attachment.contentType, 'application/pdf')
    assert.equal(attachment.size, PDF_BYTES.length)
    assert.equal(attachment.caption, '署名済みのチェックシート')
    assert.deepEqual(Buffer.from(await disk.getBytes(attachment.storageKey)), PDF_BYTES)
    assert.isNotNull(await lastAudit('oversight_audit.attach'))

    await client
      .post(`/oversight-audits/${audit.id}/attachments`)
      .loginAs(f.staff)
      .withCsrfToken()
      .file('file', PNG_BYTES, { filename: 'photo.PNG' })
    assert.lengthOf(await OversightAuditAttachment.query().where('auditId', audit.id), 2)

    // Downloads go through the controller: the staff and the contractor's user, no one else.
    const url = `/oversight-audits/${audit.id}/attachments/${attachment.id}`
    const download = await client.get(url).loginAs(f.sankoUser)
    download.assertStatus(200)
    download.assertHeader('content-type', 'application/pdf')
    assert.include(
      download.header('content-disposition'),
      `filename*=UTF-8''${encodeURIComponent('立入調査チェックシート.pdf')}`
    )
    assert.equal(Buffer.from(download.body()).subarray(0, 5).toString(), '%PDF-')
    const otherUserDownload = await client.get(url).loginAs(f.otherUser)
    otherUserDownload.assertStatus(403)
    const outsiderDownload = await client.get(url).loginAs(f.outsider)
    outsiderDownload.assertStatus(403)
    const guestDownload = await client.get(url).redirects(0)
    guestDownload.assertStatus(302)
    // Nothing under a public path, and an attachment id under another audit's URL is not found.
    const staffUpload = await client.get(`/uploads/${attachment.storageKey}`).loginAs(f.staff)
    staffUpload.assertStatus(404)
    const subAudit = await logAudit(client, f.staff, f.subcontract, [f.staff, f.colleague])
    const staffAttachment = await client
      .get(`/oversight-audits/${subAudit.id}/attachments/${attachment.id}`)
      .loginAs(f.staff)
    staffAttachment.assertStatus(404)
    assert.isNotNull(await lastAudit('oversight_audit.download'))

    const page = await client.get(`/oversight-audits/${audit.id}`).loginAs(f.staff)
    page.assertTextIncludes('立入調査チェックシート.pdf')
    page.assertTextIncludes('署名済みのチェックシート')

    // Removing deletes the row and the stored file.
    await client.delete(url).loginAs(f.staff).withCsrfToken().redirects(0)
    assert.isNull(await OversightAuditAttachment.find(attachment.id))
    assert.isFalse(await disk.exists(attachment.storageKey))
  })

  test('refuses other types, renamed files, files over 10 MB and a missing file', async ({
    client,
    assert,
  }) => {
    const f = await oversightFixture()
    const audit = await logAudit(client, f.staff, f.contract, [f.staff, f.colleague])
    const typeError =
      'PDF・JPEG・PNGのファイルのみ添付できます（拡張子とファイルの内容が一致している必要があります）。'
    const attempts: Array<[string, Buffer, string]> = [
      [typeError, Buffer.from('MZ\x90\x00 not a pdf'), 'setup.exe'],
      [typeError, Buffer.from('<html><script>alert(1)</script></html>'), 'page.pdf'],
      [typeError, PDF_BYTES, 'photo.png'],
      [typeError, PNG_BYTES, 'photo.jpg'],
      [typeError, PDF_BYTES, 'report'],
      [
        'ファイルの大きさは10MBまでです。',
        Buffer.concat([PDF_BYTES, Buffer.alloc(10 * 1024 * 1024)]),
        'large.pdf',
      ],
    ]
    for (const [message, bytes, filename] of attempts) {
      const response = await client
        .post(`/oversight-audits/${audit.id}/attachments`)
        .loginAs(f.staff)
        .withCsrfToken()
        .file('file', bytes, { filename })
        .redirects(0)
      response.assertFlashMessage('errors', { file: [message] })
    }
    const missing = await client
      .post(`/oversight-audits/${audit.id}/attachments`)
      .loginAs(f.staff)
      .withCsrfToken()
      .fields({ caption: 'x' })
      .redirects(0)
    missing.assertFlashMessage('errors', { file: ['ファイルを選択してください。'] })
    assert.lengthOf(await OversightAuditAttachment.all(), 0)
    const stored = await drive
      .use('fs')
      .listAll('oversight-audits', { recursive: true })
      .then((list) => [...list.objects])
      .catch(() => [])
    assert.lengthOf(stored, 0)
  })
})

test.group('Oversight audits: report PDF', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('立入調査報告書 with the contract, date, auditors, answers, findings and corrective actions', async ({
    client,
    assert,
  }) => {
    const f = await oversightFixture()
    const audit = await logAudit(client, f.staff, f.contract, [f.staff, f.colleague], '2026-06-15')
    const secrecy = audit.lines.find((line) => line.heading === '秘密の保持')!
    const exempt = audit.lines[audit.lines.length - 1]
    await client
      .put(`/oversight-audits/${audit.id}`)
      .loginAs(f.staff)
      .withCsrfToken()
      .form({
        'auditedOn': '2026-06-15',
        'auditorIds[]': [f.staff.id, f.colleague.id],
        'findings[0][detail]': '個人情報を含む書類の書庫が施錠されていなかった。',
        'findings[0][lineId]': secrecy.id,
        'actions[0][measure]': '書庫に施錠し、鍵の管理簿を作成する。',
        'actions[0][owner]': '三幸株式会社 業務管理部',
        'actions[0][dueOn]': '2026-07-31',
        'actions[0][doneOn]': '2026-07-20',
      })
      .redirects(0)
    await answerChecklist(
      client,
      f.staff,
      audit,
      (line) =>
        line.id === secrecy.id
          ? 'non_compliant'
          : line.id === exempt.id
            ? 'not_applicable'
            : 'compliant',
      { [secrecy.id]: '書庫の施錠なし' }
    )

    const response = await client.get(`/oversight-audits/${audit.id}/report.pdf`).loginAs(f.staff)
    response.assertStatus(200)
    response.assertHeader('content-type', 'application/pdf')
    const pdf = Buffer.from(response.body())
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-')
    assert.isNotNull(await lastAudit('oversight_audit.report'))

    await mkdir(app.tmpPath('pdf'), { recursive: true })
    const file = app.tmpPath('pdf', 'oversight-audit-report.pdf')
    await writeFile(file, pdf)
    const { stdout } = await run('pdftotext', ['-raw', '-enc', 'UTF-8', file, '-'])
    const text = stdout.replace(/[\s\u3000]+/g, '')
    for (const expected of [
      '立入調査報告書',
      'コールセンターFAQシステム',
      '広聴担当課',
      'コールセンター業務委託',
      '三幸株式会社',
      '令和8年6月15日（令和8年度）',
      '広聴一郎（広聴担当課）',
      '広聴課長（広聴担当課）',
      '特記事項2（秘密の保持）',
      '適合',
      '不適合',
      '該当なし',
      '書庫の施錠なし',
      '個人情報を含む書類の書庫が施錠されていなかった。',
      '書庫に施錠し、鍵の管理簿を作成する。',
      '三幸株式会社業務管理部',
      '令和8年7月31日',
      '令和8年7月20日',
      '完了',
    ]) {
      assert.include(text, expected.replace(/[\s\u3000]+/g, ''), `report lacks ${expected}`)
    }
    await run('pdftoppm', [
      '-png',
      '-r',
      '60',
      '-f',
      '1',
      '-l',
      '1',
      file,
      app.tmpPath('pdf', 'oversight-audit-report'),
    ])
  })
})
