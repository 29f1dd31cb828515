import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import testUtils from '@adonisjs/core/services/test_utils'
import mail from '@adonisjs/mail/services/main'
import HandlerRoster from '#models/handler_roster'
import OversightAudit from '#models/oversight_audit'
import OversightAuditChecklistLine from '#models/oversight_audit_checklist_line'
import SpecialTermSet from '#models/special_term_set'
import SpecialTermClause from '#models/special_term_clause'
import IncidentReport from '#models/incident_report'
import DataItem from '#models/data_item'
import PersonalDataSystem from '#models/personal_data_system'
import Opinion from '#models/opinion'
import OpinionDepartment from '#models/opinion_department'
import { asList, asRows, formRows } from '#validators/list_input'
import {
  CHECKLIST_SOURCES,
  type ChecklistSource,
} from '#services/oversight/oversight_audit_checklist'
import { UserFactory } from '#database/factories/user_factory'
import { ContractorFactory } from '#database/factories/contractor_factory'
import { departmentTree } from '#tests/helpers'
import { makeContract, makeSystem } from '#tests/register_helpers'
import { makeOpinion } from '#tests/opinion_helpers'
import type { ApiResponse } from '@japa/api-client'
import type Contract from '#models/contract'
import type User from '#models/user'

/**
 * Issue 12, point 1: no hidden list limits. Long lists save whole and in
 * order (25 and 60 rows pass qs' old limit of 20 indexed fields, 201 passes
 * any real document); a list field sent as one value or as an object is
 * treated as a list or refused with a Japanese message on the form, the
 * typed input kept; never a 500.
 */
const SIZES = [25, 60, 201] as const

const today = () => DateTime.now().setZone('Asia/Tokyo').toISODate()!

/** A refused submission: back to the form (302), never a 500. */
function assertRefused(response: ApiResponse) {
  response.assertStatus(302)
}

/** The page the user lands on after a refused submission, with what was flashed. */
function landing(client: any, response: ApiResponse, url: string, user: User) {
  return client.get(url).loginAs(user).withFlashMessages(response.flashMessages())
}

/** `count` roster rows: one 取扱責任者, then 取扱者, each with a distinct name, role and date. */
const people = (count: number): Array<[string, string, string, string]> =>
  Array.from({ length: count }, (_, index) => [
    index === 0 ? 'responsible' : 'handler',
    `取扱者 ${String(index + 1).padStart(3, '0')}`,
    index === 0 ? 'センター長' : `オペレーター第${index}班`,
    DateTime.fromISO('2026-04-01')
      .plus({ days: index % 180 })
      .toISODate()!,
  ])

/** The roster form as a browser sends it. */
const rosterForm = (
  rows: Array<[string, string, string, string]>,
  extra: Record<string, string> = {}
) => {
  const fields: Record<string, string> = { notes: '', ...extra }
  rows.forEach(([kind, fullName, role, trainedOn], index) => {
    fields[`members[${index}][memberKind]`] = kind
    fields[`members[${index}][fullName]`] = fullName
    fields[`members[${index}][role]`] = role
    fields[`members[${index}][trainedOn]`] = trainedOn
  })
  return fields
}

const savedMembers = async (contract: Contract) => {
  const roster = await HandlerRoster.query()
    .where('contractId', contract.id)
    .preload('members', (members) => members.orderBy('sortOrder'))
    .orderBy('version', 'desc')
    .firstOrFail()
  return {
    roster,
    rows: roster.members.map((m) => [m.kind, m.name, m.role ?? '', m.trainedOn?.toISODate() ?? '']),
  }
}

/** Row fields of a rendered table form, e.g. members[12][fullName]. */
const rowCount = (html: string, field: string) =>
  new Set(
    [...html.matchAll(new RegExp(`name="${field.replace(/[[\]]/g, '\\$&')}\\[(\\d+)\\]`, 'g'))].map(
      (m) => m[1]
    )
  ).size

/** 広聴担当課's system, a contract of 三幸 and 三幸's user, ward staff and the privacy officer. */
async function scene() {
  const tree = await departmentTree()
  const officer = await UserFactory.apply('privacyOfficer')
    .merge({ fullName: '保護 花子' })
    .create()
  const staff = await UserFactory.merge({
    departmentId: tree.kocho.id,
    fullName: '広聴 一郎',
  }).create()
  const colleague = await UserFactory.apply('supervisor')
    .merge({ departmentId: tree.kocho.id, fullName: '広聴 課長' })
    .create()
  const sanko = await ContractorFactory.merge({ name: '三幸株式会社' }).create()
  const system = await makeSystem(officer, tree.kocho.id, { name: 'コールセンターFAQシステム' })
  const contract = await makeContract(officer, system, {
    contractorId: sanko.id,
    title: 'コールセンター業務委託',
    startsOn: new Date('2026-04-01'),
  })
  const sankoUser = await UserFactory.apply('contractor').merge({ contractorId: sanko.id }).create()
  return { tree, officer, staff, colleague, sanko, system, contract, sankoUser }
}

test.group('List input: one value, an object, a list', () => {
  test('asList and asRows read what forms and JSON clients send as the list it stands for', ({
    assert,
  }) => {
    assert.deepEqual(asList(['1', '2']), ['1', '2'])
    assert.deepEqual(asList('paper'), ['paper'])
    assert.deepEqual(asList(7), [7])
    assert.deepEqual(asList({ '10': 'c', '2': 'b', '0': 'a' }), ['a', 'b', 'c'])
    assert.deepEqual(asList({ x: 'a', y: 'b' }), ['a', 'b'])
    assert.isUndefined(asList(undefined))
    assert.isNull(asList(null))

    const row = { fullName: '山田', role: '' }
    assert.deepEqual(asRows(row), [row])
    assert.deepEqual(asRows({ '6000': { a: 2 }, '3': { a: 1 } }), [{ a: 1 }, { a: 2 }])
    assert.deepEqual(asRows({ label: { a: 1 }, heading: { a: 2 } }), [{ a: 1 }, { a: 2 }])
    assert.equal(asRows('山田'), '山田')
    assert.deepEqual(formRows('山田'), [])
    assert.deepEqual(formRows({ '1': 'x', '0': { a: 1 } }), [{ a: 1 }, {}])
  })
})

test.group('List limits: handler rosters', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  for (const size of SIZES) {
    test(`a roster of ${size} members saves whole and in order, and the next version starts from all of them`, async ({
      client,
      assert,
    }) => {
      const { contract, sankoUser } = await scene()
      const rows = people(size)
      const response = await client
        .post(`/contracts/${contract.id}/rosters`)
        .loginAs(sankoUser)
        .withCsrfToken()
        .form(rosterForm(rows))
        .redirects(0)
      response.assertStatus(302)
      const { roster, rows: saved } = await savedMembers(contract)
      response.assertHeader('location', `/rosters/${roster.id}`)
      assert.deepEqual(saved, rows)

      const page = await client.get(`/rosters/${roster.id}`).loginAs(sankoUser)
      page.assertStatus(200)
      page.assertTextIncludes(rows[size - 1][1])
      page.assertTextIncludes(rows[size - 1][2])

      const next = await client.get(`/contracts/${contract.id}/rosters/create`).loginAs(sankoUser)
      next.assertStatus(200)
      next.assertTextIncludes(`value="${rows[size - 1][1]}"`)
      assert.equal(rowCount(next.text(), 'members'), size + 3)
    })
  }

  test('"add rows" brings the form back with what was typed and the blank rows asked for; nothing is saved', async ({
    client,
    assert,
  }) => {
    const { contract, sankoUser, staff } = await scene()
    const rows = people(3)
    const response = await client
      .post(`/contracts/${contract.id}/rosters/rows`)
      .loginAs(sankoUser)
      .withCsrfToken()
      .form(rosterForm(rows, { notes: '人事異動', more: '40' }))
      .redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', `/contracts/${contract.id}/rosters/create`)
    assert.isNull(await HandlerRoster.findBy('contractId', contract.id))

    const form = await landing(
      client,
      response,
      `/contracts/${contract.id}/rosters/create`,
      sankoUser
    )
    form.assertStatus(200)
    form.assertTextIncludes('value="取扱者 003"')
    form.assertTextIncludes('人事異動')
    // The rows typed (the form never offers fewer than 6) and the 40 asked for.
    assert.equal(rowCount(form.text(), 'members'), 6 + 40)

    // A number that is not one adds the usual 10 rows; a huge one is capped.
    const odd = await client
      .post(`/contracts/${contract.id}/rosters/rows`)
      .loginAs(sankoUser)
      .withCsrfToken()
      .form(rosterForm(rows, { more: 'たくさん' }))
      .redirects(0)
    const oddForm = await landing(
      client,
      odd,
      `/contracts/${contract.id}/rosters/create`,
      sankoUser
    )
    assert.equal(rowCount(oddForm.text(), 'members'), 6 + 10)
    const huge = await client
      .post(`/contracts/${contract.id}/rosters/rows`)
      .loginAs(sankoUser)
      .withCsrfToken()
      .form(rosterForm(rows, { more: '1000000' }))
      .redirects(0)
    const hugeForm = await landing(
      client,
      huge,
      `/contracts/${contract.id}/rosters/create`,
      sankoUser
    )
    assert.equal(rowCount(hugeForm.text(), 'members'), 6 + 500)

    // Only those who may submit the roster (the contractor) may use it.
    const asStaff = await client
      .post(`/contracts/${contract.id}/rosters/rows`)
      .loginAs(staff)
      .withCsrfToken()
      .form(rosterForm(rows))
    asStaff.assertStatus(403)
  })

  test('members sent as one row are a list of one: refused for the missing 取扱者, the typed row kept', async ({
    client,
    assert,
  }) => {
    const { contract, sankoUser } = await scene()
    const response = await client
      .post(`/contracts/${contract.id}/rosters`)
      .loginAs(sankoUser)
      .withCsrfToken()
      .form({
        'members[memberKind]': 'responsible',
        'members[fullName]': '単独 太郎',
        'members[role]': '責任者',
        'notes': '',
      })
      .redirects(0)
    assertRefused(response)
    response.assertFlashMessage('errors', { members: ['取扱者を1名以上入力してください。'] })
    assert.isNull(await HandlerRoster.findBy('contractId', contract.id))
    const form = await landing(
      client,
      response,
      `/contracts/${contract.id}/rosters/create`,
      sankoUser
    )
    form.assertStatus(200)
    form.assertTextIncludes('取扱者を1名以上入力してください。')
    form.assertTextIncludes('value="単独 太郎"')
  })

  test('members sent as plain text are refused with a Japanese message; the form comes back, never a 500', async ({
    client,
    assert,
  }) => {
    const { contract, sankoUser } = await scene()
    const response = await client
      .post(`/contracts/${contract.id}/rosters`)
      .loginAs(sankoUser)
      .withCsrfToken()
      .form({ members: '山田 太郎', notes: '提出します' })
      .redirects(0)
    assertRefused(response)
    response.assertValidationError(
      'members',
      '取扱責任者及び取扱者名簿は一覧として送信してください'
    )
    assert.isNull(await HandlerRoster.findBy('contractId', contract.id))
    const form = await landing(
      client,
      response,
      `/contracts/${contract.id}/rosters/create`,
      sankoUser
    )
    form.assertStatus(200)
    form.assertTextIncludes('取扱責任者及び取扱者名簿は一覧として送信してください')
    form.assertTextIncludes('提出します')
    assert.isAtLeast(rowCount(form.text(), 'members'), 6)
  })

  test('a JSON client: rows keyed by index (past any qs limit) save in index order; a value that is no list is a 422', async ({
    client,
    assert,
  }) => {
    const { contract, sankoUser } = await scene()
    const row = (kind: string, fullName: string) => ({
      memberKind: kind,
      fullName,
      role: '',
      trainedOn: null,
    })
    const response = await client
      .post(`/contracts/${contract.id}/rosters`)
      .loginAs(sankoUser)
      .withCsrfToken()
      .json({
        members: {
          '6000': row('handler', '最後 三郎'),
          '2': row('handler', '中間 次郎'),
          '0': row('responsible', '最初 一郎'),
        },
      })
      .redirects(0)
    response.assertStatus(302)
    const saved = await savedMembers(contract)
    assert.deepEqual(
      saved.rows.map((r) => r[1]),
      ['最初 一郎', '中間 次郎', '最後 三郎']
    )

    const refused = await client
      .post(`/contracts/${contract.id}/rosters`)
      .loginAs(sankoUser)
      .withCsrfToken()
      .header('accept', 'application/json')
      .json({ members: 'x' })
    refused.assertStatus(422)
    assert.deepInclude(refused.body().errors, {
      field: 'members',
      rule: 'array',
      message: '取扱責任者及び取扱者名簿は一覧として送信してください',
    })
  })
})

/** A clause set of `size` clauses, as the library holds one. */
async function clauseSet(size: number) {
  const set = await SpecialTermSet.create({
    code: `bulk-${size}`,
    version: 1,
    name: `${size}条の特記事項`,
    appliesTo: 'contractor',
    effectiveFrom: null,
    notes: null,
  })
  await SpecialTermClause.createMany(
    Array.from({ length: size }, (_, index) => ({
      setId: set.id,
      number: index + 1,
      heading: index % 7 === 3 ? '' : `見出し${index + 1}`,
      body: `乙は、第${index + 1}条の定めを守らなければならない。`,
      items: [],
      duty: null,
    }))
  )
  return set
}

const ANSWERS = ['compliant', 'non_compliant', 'not_applicable'] as const

/** One measure in each of the four lists: four one-line sections after the clauses. */
const ONE_MEASURE_EACH = {
  wardMeasuresOperational: ['区の運用上の対策'],
  wardMeasuresSystem: ['区のシステム上の対策'],
  contractorMeasuresOperational: ['受託事業者の運用上の対策'],
  contractorMeasuresSystem: ['受託事業者のシステム上の対策'],
}

/**
 * The fields of one section's form on the checklist page, its lines numbered
 * over the whole checklist as the page numbers them; `entry` gives a line's
 * answer and note from that number.
 */
const sectionFields = (
  lines: OversightAuditChecklistLine[],
  source: ChecklistSource,
  entry: (index: number) => [string, string]
) => {
  const fields: Record<string, unknown> = {}
  lines.forEach((line, index) => {
    if (line.source !== source) return
    const [answer, note] = entry(index)
    fields[`lines[${index}][id]`] = line.id
    fields[`lines[${index}][answer]`] = answer
    fields[`lines[${index}][note]`] = note
  })
  return fields
}

test.group('List limits: oversight audits', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  for (const size of SIZES) {
    test(`an audit of ${size} checklist lines, ${size} findings and ${size} corrective actions saves whole and in order`, async ({
      client,
      assert,
    }) => {
      const { officer, staff, colleague, system, sanko } = await scene()
      const set = await clauseSet(size)
      const contract = await makeContract(officer, system, {
        contractorId: sanko.id,
        title: `${size}条の委託`,
        specialTermSetId: set.id,
        ...ONE_MEASURE_EACH,
      })
      const created = await client
        .post(`/contracts/${contract.id}/oversight-audits`)
        .loginAs(staff)
        .withCsrfToken()
        .form({ 'auditedOn': today(), 'auditorIds[]': [staff.id, colleague.id] })
        .redirects(0)
      created.assertStatus(302)
      const audit = await OversightAudit.query()
        .where('contractId', contract.id)
        .preload('lines')
        .firstOrFail()
      const clauses = audit.lines.filter((line) => line.source === 'clause')
      assert.lengthOf(clauses, size)
      assert.lengthOf(audit.lines, size + 4)
      const checklistUrl = `/oversight-audits/${audit.id}/checklist`

      // The checklist page offers every line, the clauses in one section's form.
      const blank = await client.get(checklistUrl).loginAs(staff)
      blank.assertStatus(200)
      assert.equal(rowCount(blank.text(), 'lines'), size + 4)

      // That section's form saves all its lines, answers and notes, in order; the others keep theirs.
      const section = await client
        .put(`${checklistUrl}/clause`)
        .loginAs(staff)
        .withCsrfToken()
        .form(
          sectionFields(audit.lines, 'clause', (index) => [
            ANSWERS[index % 3],
            `第${index + 1}項の確認メモ`,
          ])
        )
        .redirects(0)
      section.assertStatus(302)
      section.assertHeader('location', `${checklistUrl}#section-clause`)
      const answered = await OversightAuditChecklistLine.query()
        .where('auditId', audit.id)
        .orderBy('position')
      assert.deepEqual(
        answered.map((line) => [line.source, line.number, line.answer, line.note]),
        audit.lines.map((line, index) =>
          line.source === 'clause'
            ? ['clause', index + 1, ANSWERS[index % 3], `第${index + 1}項の確認メモ`]
            : [line.source, 1, null, null]
        )
      )
      const checklist = await landing(client, section, checklistUrl, staff)
      checklist.assertStatus(200)
      checklist.assertTextIncludes(`回答済み ${size} / ${size + 4}項目`)
      checklist.assertTextIncludes(`value="第${size}項の確認メモ"`)
      assert.lengthOf(
        checklist.text().match(/name="lines\[\d+\]\[answer\]" value="\w+" checked/g) ?? [],
        size
      )

      // Findings and corrective actions, on the audit's form: all of them, in order.
      const form: Record<string, unknown> = {
        'auditedOn': today(),
        'auditorIds[]': [staff.id, colleague.id],
      }
      clauses.forEach((line, index) => {
        form[`findings[${index}][detail]`] = `指摘${index + 1}`
        form[`findings[${index}][lineId]`] = line.id
        form[`actions[${index}][measure]`] = `是正${index + 1}`
        form[`actions[${index}][owner]`] = `担当${index + 1}`
        form[`actions[${index}][dueOn]`] = '2027-03-31'
        form[`actions[${index}][doneOn]`] = today()
        form[`actions[${index}][lineId]`] = line.id
      })
      // The blank rows the form offers below them are left out.
      form[`findings[${size}][detail]`] = ''
      form[`actions[${size}][measure]`] = ''
      const response = await client
        .put(`/oversight-audits/${audit.id}`)
        .loginAs(staff)
        .withCsrfToken()
        .form(form)
        .redirects(0)
      response.assertStatus(302)
      response.assertHeader('location', `/oversight-audits/${audit.id}`)
      const rows = await OversightAudit.query()
        .where('id', audit.id)
        .preload('findings')
        .preload('correctiveActions')
        .firstOrFail()
      assert.deepEqual(
        rows.findings.map((finding) => [finding.detail, finding.lineId]),
        clauses.map((line, index) => [`指摘${index + 1}`, line.id])
      )
      assert.deepEqual(
        rows.correctiveActions.map((action) => [action.measure, action.owner, action.lineId]),
        clauses.map((line, index) => [`是正${index + 1}`, `担当${index + 1}`, line.id])
      )

      const page = await client.get(`/oversight-audits/${audit.id}`).loginAs(staff)
      page.assertStatus(200)
      page.assertTextIncludes(`指摘${size}`)
      page.assertTextIncludes(`是正${size}`)
      page.assertTextIncludes(`第${size}項の確認メモ`)

      // The audit's form offers every saved row again, plus blank ones.
      const edit = await client.get(`/oversight-audits/${audit.id}/edit`).loginAs(staff)
      edit.assertStatus(200)
      assert.equal(rowCount(edit.text(), 'findings'), size + 2)
      assert.equal(rowCount(edit.text(), 'actions'), size + 2)
      edit.assertTextIncludes(`担当${size}`)

      // The other sections answered, every action done: the audit is completed, nothing lost.
      for (const source of CHECKLIST_SOURCES.filter((entry) => entry !== 'clause')) {
        const other = await client
          .put(`${checklistUrl}/${source}`)
          .loginAs(staff)
          .withCsrfToken()
          .form(sectionFields(audit.lines, source, () => ['not_applicable', '']))
          .redirects(0)
        other.assertStatus(302)
      }
      const done = await OversightAudit.query()
        .where('id', audit.id)
        .preload('lines')
        .preload('findings')
        .firstOrFail()
      assert.equal(done.status, 'completed')
      assert.deepEqual(
        done.lines.slice(0, size).map((line) => [line.answer, line.note]),
        clauses.map((_line, index) => [ANSWERS[index % 3], `第${index + 1}項の確認メモ`])
      )
      assert.lengthOf(done.findings, size)
    })
  }

  test('25 auditors save in the order chosen', async ({ client, assert }) => {
    const { officer, staff, system, sanko, tree } = await scene()
    const set = await clauseSet(3)
    const contract = await makeContract(officer, system, {
      contractorId: sanko.id,
      title: '大人数の立入調査',
      specialTermSetId: set.id,
    })
    const auditors = await UserFactory.merge(
      Array.from({ length: 25 }, (_, index) => ({
        departmentId: tree.kocho.id,
        fullName: `調査員 ${String(index + 1).padStart(2, '0')}`,
      }))
    ).createMany(25)
    const chosen = [...auditors].reverse()
    const response = await client
      .post(`/contracts/${contract.id}/oversight-audits`)
      .loginAs(staff)
      .withCsrfToken()
      .form({ 'auditedOn': today(), 'auditorIds[]': chosen.map((auditor) => auditor.id) })
      .redirects(0)
    response.assertStatus(302)
    const audit = await OversightAudit.query()
      .where('contractId', contract.id)
      .preload('auditors')
      .firstOrFail()
    assert.deepEqual(
      audit.auditors.map((auditor) => auditor.fullName),
      chosen.map((auditor) => auditor.fullName)
    )
  })

  test('auditors sent as one value are a list of one (refused: two are needed); as an object, a list in key order', async ({
    client,
    assert,
  }) => {
    const { officer, staff, colleague, system, sanko } = await scene()
    const set = await clauseSet(3)
    const contract = await makeContract(officer, system, {
      contractorId: sanko.id,
      title: '調査員の送り方',
      specialTermSetId: set.id,
    })
    const createUrl = `/contracts/${contract.id}/oversight-audits/create`

    const one = await client
      .post(`/contracts/${contract.id}/oversight-audits`)
      .loginAs(staff)
      .withCsrfToken()
      .form({ auditedOn: today(), auditorIds: String(staff.id) })
      .redirects(0)
    assertRefused(one)
    one.assertFlashMessage('errors', {
      auditorIds: ['調査員は区の職員を2名以上選択してください。'],
    })
    const form = await landing(client, one, createUrl, staff)
    form.assertStatus(200)
    form.assertTextIncludes('調査員は区の職員を2名以上選択してください。')
    assert.match(form.text(), new RegExp(`value="${staff.id}" checked`))

    const keyed = await client
      .post(`/contracts/${contract.id}/oversight-audits`)
      .loginAs(staff)
      .withCsrfToken()
      .form({
        'auditedOn': today(),
        'auditorIds[b]': String(staff.id),
        'auditorIds[a]': String(colleague.id),
      })
      .redirects(0)
    keyed.assertStatus(302)
    const audit = await OversightAudit.query()
      .where('contractId', contract.id)
      .preload('auditors')
      .firstOrFail()
    assert.deepEqual(
      audit.auditors.map((auditor) => auditor.userId),
      [staff.id, colleague.id]
    )

    // Something that is no list of ids at all: a Japanese message, the date kept.
    const nested = await client
      .post(`/contracts/${contract.id}/oversight-audits`)
      .loginAs(staff)
      .withCsrfToken()
      .form({ 'auditedOn': '2026-04-01', 'auditorIds[0][id]': String(staff.id) })
      .redirects(0)
    assertRefused(nested)
    const back = await landing(client, nested, createUrl, staff)
    back.assertStatus(200)
    back.assertTextIncludes('調査員に正しくない値が含まれています')
    back.assertTextIncludes('value="2026-04-01"')
  })

  test('an error in a row names the row the user sees, blank rows above it included; the typed rows come back', async ({
    client,
    assert,
  }) => {
    const { officer, staff, colleague, system, sanko } = await scene()
    const set = await clauseSet(3)
    const contract = await makeContract(officer, system, {
      contractorId: sanko.id,
      title: '行番号の確認',
      specialTermSetId: set.id,
    })
    await client
      .post(`/contracts/${contract.id}/oversight-audits`)
      .loginAs(staff)
      .withCsrfToken()
      .form({ 'auditedOn': today(), 'auditorIds[]': [staff.id, colleague.id] })
    const audit = await OversightAudit.query().where('contractId', contract.id).firstOrFail()
    const response = await client
      .put(`/oversight-audits/${audit.id}`)
      .loginAs(staff)
      .withCsrfToken()
      .header('referer', `/oversight-audits/${audit.id}/edit`)
      .form({
        'auditedOn': today(),
        'auditorIds[]': [staff.id, colleague.id],
        'findings[0][detail]': '',
        'findings[1][detail]': '施錠の記録がない',
        'actions[0][measure]': '',
        'actions[1][measure]': '',
        'actions[2][measure]': '施錠記録簿を備え付ける',
        'actions[2][dueOn]': '2027-03-31',
      })
      .redirects(0)
    assertRefused(response)
    response.assertValidationError('actions.2.owner', '担当を入力してください')
    const form = await landing(client, response, `/oversight-audits/${audit.id}/edit`, staff)
    form.assertStatus(200)
    form.assertTextIncludes('是正措置 3：担当を入力してください')
    form.assertTextIncludes('施錠記録簿を備え付ける')
    form.assertTextIncludes('施錠の記録がない')
    const rows = await OversightAudit.query()
      .where('id', audit.id)
      .preload('findings')
      .firstOrFail()
    assert.equal(rows.findings.length, 0)
  })

  test('"add rows" brings the audit form back with what was typed and five more blank rows; nothing is saved', async ({
    client,
    assert,
  }) => {
    const { officer, staff, colleague, system, sanko, sankoUser } = await scene()
    const set = await clauseSet(3)
    const contract = await makeContract(officer, system, {
      contractorId: sanko.id,
      title: '行の追加',
      specialTermSetId: set.id,
    })
    await client
      .post(`/contracts/${contract.id}/oversight-audits`)
      .loginAs(staff)
      .withCsrfToken()
      .form({ 'auditedOn': today(), 'auditorIds[]': [staff.id, colleague.id] })
    const audit = await OversightAudit.query()
      .where('contractId', contract.id)
      .preload('lines')
      .firstOrFail()
    const editUrl = `/oversight-audits/${audit.id}/edit`
    // Three findings typed (one more than the form's two blank rows) and one corrective action.
    const typed = {
      'auditedOn': '2026-04-01',
      'auditorIds[]': [staff.id, colleague.id],
      'findings[0][detail]': '書きかけの指摘 1',
      'findings[1][detail]': '',
      'findings[2][detail]': '書きかけの指摘 3',
      'findings[2][lineId]': audit.lines[1].id,
      'actions[0][measure]': '書きかけの是正',
      'actions[0][owner]': '書きかけの担当',
      'actions[1][measure]': '',
    }
    for (const [list, other, counts] of [
      ['actions', 'findings', { actions: 2 + 5, findings: 3 }],
      ['findings', 'actions', { actions: 2, findings: 3 + 5 }],
    ] as const) {
      const response = await client
        .post(`/oversight-audits/${audit.id}/rows`)
        .loginAs(staff)
        .withCsrfToken()
        .form({ ...typed, addRowsTo: list })
        .redirects(0)
      response.assertStatus(302)
      response.assertHeader('location', `${editUrl}#${list}`)
      const form = await landing(client, response, editUrl, staff)
      form.assertStatus(200)
      form.assertTextIncludes('value="2026-04-01"')
      form.assertTextIncludes('書きかけの指摘 1')
      form.assertTextIncludes('書きかけの指摘 3')
      form.assertTextIncludes('書きかけの是正')
      form.assertTextIncludes('value="書きかけの担当"')
      assert.match(form.text(), new RegExp(`value="${audit.lines[1].id}" selected`))
      assert.equal(rowCount(form.text(), list), counts[list])
      assert.equal(rowCount(form.text(), other), counts[other])
    }
    const unsaved = await OversightAudit.query()
      .where('id', audit.id)
      .preload('findings')
      .preload('correctiveActions')
      .firstOrFail()
    assert.lengthOf(unsaved.findings, 0)
    assert.lengthOf(unsaved.correctiveActions, 0)
    assert.equal(unsaved.auditedOn.toISODate(), today())

    const asContractor = await client
      .post(`/oversight-audits/${audit.id}/rows`)
      .loginAs(sankoUser)
      .withCsrfToken()
      .form({ addRowsTo: 'findings' })
    asContractor.assertStatus(403)
  })
})

test.group('List limits: the other forms with list fields', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('an incident report with 201 ticked data items keeps them all; one ticked item sent as one value is a list of one', async ({
    client,
    assert,
  }) => {
    const { staff, system, contract } = await scene()
    const items = await DataItem.createMany(
      Array.from({ length: 201 }, (_, index) => ({
        systemId: system.id,
        name: `項目${index + 1}`,
        sortOrder: index,
      }))
    )
    const fields = {
      kind: 'mis_sending',
      discoveredAt: '2025-12-28T10:00',
      reportedToWardAt: '2025-12-28T11:30',
      peopleAffected: '3',
      summary: '案内メールを宛先を誤って送信した。',
    }
    const all = await client
      .post(`/contracts/${contract.id}/incidents`)
      .loginAs(staff)
      .withCsrfToken()
      .form({ ...fields, 'dataItemIds[]': items.map((item) => item.id) })
      .redirects(0)
    all.assertStatus(302)
    const report = await IncidentReport.query()
      .where('contractId', contract.id)
      .preload('items')
      .firstOrFail()
    assert.sameMembers(
      report.items.map((item) => item.name),
      items.map((item) => item.name)
    )
    const page = await client.get(`/incidents/${report.id}/edit`).loginAs(staff)
    page.assertStatus(200)
    assert.equal((page.text().match(/name="dataItemIds\[\]"[^>]*checked/g) ?? []).length, 201)

    const one = await client
      .put(`/incidents/${report.id}`)
      .loginAs(staff)
      .withCsrfToken()
      .form({ ...fields, dataItemIds: String(items[7].id) })
      .redirects(0)
    one.assertStatus(302)
    await report.load('items')
    assert.deepEqual(
      report.items.map((item) => item.name),
      ['項目8']
    )
  })

  test('an incident report whose items are no list is refused in Japanese; the form comes back with the summary typed', async ({
    client,
  }) => {
    const { staff, contract } = await scene()
    const response = await client
      .post(`/contracts/${contract.id}/incidents`)
      .loginAs(staff)
      .withCsrfToken()
      .form({
        'kind': 'loss',
        'discoveredAt': '2025-12-28T10:00',
        'reportedToWardAt': '2025-12-28T11:30',
        'peopleAffected': '1',
        'summary': '書類を紛失した。',
        'dataItemIds[0][x]': '1',
      })
      .redirects(0)
    assertRefused(response)
    const form = await landing(
      client,
      response,
      `/contracts/${contract.id}/incidents/create`,
      staff
    )
    form.assertStatus(200)
    form.assertTextIncludes('個人情報の項目に正しくない値が含まれています')
    form.assertTextIncludes('書類を紛失した。')
  })

  test('forwarding an opinion: departments sent as one value or as an object are a list; something else is refused in Japanese', async ({
    client,
    assert,
    cleanup,
  }) => {
    mail.fake()
    cleanup(() => mail.restore())
    const { tree } = await scene()
    const operator = await UserFactory.apply('operator')
      .merge({ departmentId: tree.kocho.id })
      .create()
    const first = await makeOpinion({ subject: '一つの課へ' })
    const response = await client
      .post(`/opinions/${first.id}/forward`)
      .loginAs(operator)
      .withCsrfToken()
      .form({ departmentIds: String(tree.kikikanri.id) })
      .redirects(0)
    response.assertStatus(302)
    const firstRows = await OpinionDepartment.query().where('opinionId', first.id)
    assert.deepEqual(
      firstRows.map((row) => row.departmentId),
      [tree.kikikanri.id]
    )

    const second = await makeOpinion({ subject: '二つの課へ' })
    await client
      .post(`/opinions/${second.id}/forward`)
      .loginAs(operator)
      .withCsrfToken()
      .form({
        'departmentIds[x]': String(tree.kocho.id),
        'departmentIds[y]': String(tree.kikikanri.id),
        'leadDepartmentId': String(tree.kocho.id),
      })
    const secondRows = await OpinionDepartment.query().where('opinionId', second.id)
    assert.sameMembers(
      secondRows.map((row) => row.departmentId),
      [tree.kocho.id, tree.kikikanri.id]
    )

    const third = await makeOpinion({ subject: '送り方の誤り' })
    const refused = await client
      .post(`/opinions/${third.id}/forward`)
      .loginAs(operator)
      .withCsrfToken()
      .header('referer', `/opinions/${third.id}`)
      .form({ 'departmentIds[0][id]': String(tree.kocho.id), 'note': '至急お願いします' })
      .redirects(0)
    assertRefused(refused)
    const page = await landing(client, refused, `/opinions/${third.id}`, operator)
    page.assertStatus(200)
    page.assertTextIncludes('転送先の所属に正しくない値が含まれています')
    page.assertTextIncludes('至急お願いします')
    const storedOpinion = await Opinion.findOrFail(third.id)
    assert.equal(storedOpinion.status, 'received')
  })

  test('staff intake: departments sent as an object keyed by index are a list', async ({
    client,
    assert,
    cleanup,
  }) => {
    mail.fake()
    cleanup(() => mail.restore())
    const { tree } = await scene()
    const operator = await UserFactory.apply('operator')
      .merge({ departmentId: tree.kocho.id })
      .create()
    const response = await client
      .post('/opinions')
      .loginAs(operator)
      .withCsrfToken()
      .form({
        'channel': 'letter',
        'receivedAt': '2026-11-20T10:00',
        'kind': 'request',
        'subject': '駐輪場の増設について',
        'body': '駅前の駐輪場が足りません。',
        'submitterName': '申出 一郎',
        'departmentIds[1]': String(tree.kikikanri.id),
        'departmentIds[0]': String(tree.kocho.id),
        'leadDepartmentId': String(tree.kocho.id),
      })
      .redirects(0)
    response.assertStatus(302)
    const opinion = await Opinion.query().where('subject', '駐輪場の増設について').firstOrFail()
    const rows = await OpinionDepartment.query().where('opinionId', opinion.id)
    assert.sameMembers(
      rows.map((row) => row.departmentId),
      [tree.kocho.id, tree.kikikanri.id]
    )
  })

  test('a system: media sent as one value is a list of one; media that is no list is refused in Japanese, the form kept', async ({
    client,
    assert,
  }) => {
    const { tree, officer } = await scene()
    const fields = {
      departmentId: String(tree.kocho.id),
      purpose: '申請の処理',
      lifecycle: 'operating',
      fileType: 'computer',
    }
    const one = await client
      .post('/systems')
      .loginAs(officer)
      .withCsrfToken()
      .form({ ...fields, name: '紙だけの業務', media: 'paper' })
      .redirects(0)
    one.assertStatus(302)
    const storedPersonalDataSystem = await PersonalDataSystem.findByOrFail('name', '紙だけの業務')
    assert.deepEqual(storedPersonalDataSystem.media, ['paper'])

    const refused = await client
      .post('/systems')
      .loginAs(officer)
      .withCsrfToken()
      .header('referer', '/systems/create')
      .form({ ...fields, 'name': '送り方の誤った業務', 'media[0][kind]': 'paper' })
      .redirects(0)
    assertRefused(refused)
    const form = await landing(client, refused, '/systems/create', officer)
    form.assertStatus(200)
    form.assertTextIncludes('記録媒体に正しくない値が含まれています')
    form.assertTextIncludes('value="送り方の誤った業務"')
    assert.isNull(await PersonalDataSystem.findBy('name', '送り方の誤った業務'))
  })
})

test.group('List limits: odd shapes never give a 500', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  /** What a tampered form or a careless JSON client may send for a list field. */
  const SHAPES: unknown[] = [
    'x',
    7,
    true,
    {},
    { a: { b: { c: 1 } } },
    [{ x: [1, 2] }],
    [null],
    [[1]],
    { '0': 'x', 'y': { z: 1 } },
  ]

  test('every list field of the forms touched, sent in odd shapes, is refused or saved: 3xx or 4xx, never 5xx', async ({
    client,
    assert,
    cleanup,
  }) => {
    mail.fake()
    cleanup(() => mail.restore())
    const { tree, officer, staff, colleague, system, sanko, contract, sankoUser } = await scene()
    const operator = await UserFactory.apply('operator')
      .merge({ departmentId: tree.kocho.id })
      .create()
    const set = await clauseSet(3)
    const audited = await makeContract(officer, system, {
      contractorId: sanko.id,
      title: '形の確認',
      specialTermSetId: set.id,
    })
    await client
      .post(`/contracts/${audited.id}/oversight-audits`)
      .loginAs(staff)
      .withCsrfToken()
      .form({ 'auditedOn': today(), 'auditorIds[]': [staff.id, colleague.id] })
    const audit = await OversightAudit.findByOrFail('contractId', audited.id)
    const opinion = await makeOpinion({ subject: '形の確認' })

    /** [method, url, user, list fields, other fields, the form the request comes from] */
    const targets: Array<[string, string, User, string[], Record<string, unknown>, string]> = [
      [
        'post',
        `/contracts/${contract.id}/rosters`,
        sankoUser,
        ['members'],
        {},
        `/contracts/${contract.id}/rosters/create`,
      ],
      [
        'post',
        `/contracts/${contract.id}/rosters/rows`,
        sankoUser,
        ['members', 'more'],
        {},
        `/contracts/${contract.id}/rosters/create`,
      ],
      [
        'post',
        `/contracts/${audited.id}/oversight-audits`,
        staff,
        ['auditorIds'],
        { auditedOn: today() },
        `/contracts/${audited.id}/oversight-audits/create`,
      ],
      [
        'put',
        `/oversight-audits/${audit.id}`,
        staff,
        ['auditorIds', 'findings', 'actions'],
        { auditedOn: today() },
        `/oversight-audits/${audit.id}/edit`,
      ],
      [
        'put',
        `/oversight-audits/${audit.id}/checklist/clause`,
        staff,
        ['lines'],
        {},
        `/oversight-audits/${audit.id}/checklist`,
      ],
      [
        'post',
        `/oversight-audits/${audit.id}/rows`,
        staff,
        ['findings', 'actions', 'addRowsTo'],
        {},
        `/oversight-audits/${audit.id}/edit`,
      ],
      [
        'post',
        `/contracts/${contract.id}/incidents`,
        staff,
        ['dataItemIds'],
        {
          kind: 'loss',
          discoveredAt: '2025-12-28T10:00',
          reportedToWardAt: '2025-12-28T11:30',
          summary: '概要',
        },
        `/contracts/${contract.id}/incidents/create`,
      ],
      [
        'post',
        `/opinions/${opinion.id}/forward`,
        operator,
        ['departmentIds'],
        {},
        `/opinions/${opinion.id}`,
      ],
      [
        'post',
        '/opinions',
        operator,
        ['departmentIds'],
        {
          channel: 'letter',
          receivedAt: '2026-11-20T10:00',
          kind: 'request',
          subject: '件名',
          body: '本文',
        },
        '/opinions/create',
      ],
      [
        'post',
        '/systems',
        officer,
        ['media'],
        {
          departmentId: tree.kocho.id,
          name: '形の確認',
          purpose: '目的',
          lifecycle: 'operating',
          fileType: 'computer',
        },
        '/systems/create',
      ],
    ]
    let formsShown = 0
    for (const [method, url, user, fields, base, formUrl] of targets) {
      for (const shape of SHAPES) {
        for (const field of fields) {
          const request = (client as any)
            [method](url)
            .loginAs(user)
            .withCsrfToken()
            .header('referer', formUrl)
            .redirects(0)
          const response = await request.json({ ...base, [field]: shape })
          assert.isBelow(
            response.status(),
            500,
            `${method.toUpperCase()} ${url} with ${field}=${JSON.stringify(shape)}: ${response.status()}`
          )
          // Where it is refused, the form the user is sent back to renders, with what was sent flashed.
          const location = response.header('location')
          if (response.status() === 302 && location && !location.startsWith('http')) {
            const back = await client
              .get(location)
              .loginAs(user)
              .withFlashMessages(response.flashMessages())
            assert.isBelow(
              back.status(),
              500,
              `back to ${location} after ${field}=${JSON.stringify(shape)}: ${back.status()}`
            )
            if (location.split('#')[0] === formUrl) formsShown++
          }
        }
      }
    }
    assert.isAbove(formsShown, 50)
  }).timeout(120_000)
})
