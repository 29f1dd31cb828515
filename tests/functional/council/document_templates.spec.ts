import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import DocumentTemplate from '#models/document_template'
import {
  DEFAULT_RECORDED_ITEMS_PARTS,
  DEFAULT_TEMPLATE_ROWS,
  TEMPLATE_KINDS,
  type TemplateKind,
} from '#enums/document_template'
import { UserFactory } from '#database/factories/user_factory'
import { ContractorFactory } from '#database/factories/contractor_factory'
import { departmentTree, lastAudit } from '#tests/helpers'
import { expectStatus } from '#tests/functional/council/council_support'

const templateOf = (kind: TemplateKind) => DocumentTemplate.findByOrFail('kind', kind)
const defaultLabel = (kind: TemplateKind, key: string) =>
  DEFAULT_TEMPLATE_ROWS[kind].find((row) => row.key === key)!.label

/** The edit form as the page posts it: rows[i][key|label|order|always], numbering, parts. */
function formOf(
  template: DocumentTemplate,
  change: (rows: Record<string, string>[]) => void = () => {}
) {
  const rows = template.rows.map((row, index) => ({
    key: row.key,
    label: row.label,
    order: String(index + 1),
    ...(row.always ? { always: '1' } : {}),
  })) as Record<string, string>[]
  change(rows)
  const form: Record<string, string> = { numbering: template.numbering }
  rows.forEach((row, index) => {
    for (const [field, value] of Object.entries(row)) form[`rows[${index}][${field}]`] = value
  })
  for (const [part, value] of Object.entries(
    template.kind === 'system_annex' ? template.recordedItemsParts : {}
  )) {
    form[`parts[${part}]`] = value
  }
  return form
}

async function privacyOfficer() {
  return UserFactory.apply('privacyOfficer').create()
}

test.group('Document templates', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('the four templates exist after migration with the ward’s wording', async ({
    client,
    assert,
  }) => {
    const templates = await DocumentTemplate.allByKind()
    assert.sameMembers(Object.keys(templates), [...TEMPLATE_KINDS])
    for (const kind of TEMPLATE_KINDS) {
      assert.isTrue(templates[kind].$isPersisted, kind)
      assert.deepEqual(templates[kind].rows, DEFAULT_TEMPLATE_ROWS[kind], kind)
      assert.equal(templates[kind].numbering, 'halfwidth')
    }
    assert.match(
      templates.contract_annex.label('data_items'),
      /^委託に伴い事業者に?処理させる情報項目/
    )
    assert.equal(
      templates.contract_annex.label('data_items'),
      defaultLabel('contract_annex', 'data_items')
    )
    assert.equal(templates.subcontract_annex.label('reason'), '再委託の理由')
    assert.deepEqual(templates.system_annex.parts, DEFAULT_RECORDED_ITEMS_PARTS)
    assert.deepEqual(templates.system_annex.recordedItemsParts, DEFAULT_RECORDED_ITEMS_PARTS)

    const officer = await privacyOfficer()
    const list = await client.get('/document-templates').loginAs(officer)
    list.assertStatus(200)
    for (const name of [
      '事業の概要',
      '別紙（電子計算機処理・登録業務）',
      '別紙（業務委託）',
      '別紙（再委託）',
    ])
      list.assertTextIncludes(name)
    const page = await client
      .get(`/document-templates/${templates.contract_annex.id}/edit`)
      .loginAs(officer)
    page.assertStatus(200)
    page.assertTextIncludes('受託事業者に行わせる情報保護対策')
    page.assertTextIncludes('区の既定の文言に戻す')
  })

  test('a kind missing from the table falls back to its defaults; the list page creates it', async ({
    client,
    assert,
  }) => {
    await DocumentTemplate.query().where('kind', 'subcontract_annex').delete()
    const templates = await DocumentTemplate.allByKind()
    assert.isFalse(templates.subcontract_annex.$isPersisted)
    assert.deepEqual(templates.subcontract_annex.rows, DEFAULT_TEMPLATE_ROWS.subcontract_annex)
    assert.isTrue(templates.contract_annex.$isPersisted)

    const list = await client.get('/document-templates').loginAs(await privacyOfficer())
    list.assertTextIncludes('別紙（再委託）')
    const created = await DocumentTemplate.findByOrFail('kind', 'subcontract_annex')
    assert.deepEqual(created.rows, DEFAULT_TEMPLATE_ROWS.subcontract_annex)
    assert.lengthOf(await DocumentTemplate.all(), 4)
  })

  test('stored rows are completed: a missing key comes back in place, unknown and repeated keys are dropped', async ({
    assert,
  }) => {
    const template = await templateOf('overview')
    await DocumentTemplate.query()
      .where('id', template.id)
      .update({
        rows: JSON.stringify([
          { key: 'purpose', label: '事業の目的', always: true },
          { key: 'business_name', label: '事業名', always: true },
          { key: 'purpose', label: '重複', always: false },
          { key: 'retired_key', label: '古い行', always: true },
          { key: 'description', label: '', always: 0 },
        ]),
      })
    const read = await DocumentTemplate.findOrFail(template.id)
    assert.deepEqual(read.rows, [
      { key: 'purpose', label: '事業の目的', always: true },
      { key: 'business_name', label: '事業名', always: true },
      { key: 'department', label: '担当課', always: true },
      { key: 'subjects', label: '対象者', always: true },
      { key: 'description', label: '事業内容', always: false },
    ])
  })

  test('the privacy office relabels, reorders and changes the numbering; the change is logged', async ({
    client,
    assert,
  }) => {
    const officer = await privacyOfficer()
    const template = await templateOf('contract_annex')
    const form = formOf(template, (rows) => {
      rows[3].label = '委託に伴い事業者に処理させる情報項目（だれの、どのような項目か）'
      rows[4].always = '1'
      // 委託理由 (6th) to the top.
      rows[5].order = '1'
      delete rows[0].always
    })
    form.numbering = 'fullwidth'

    const response = await client
      .put(`/document-templates/${template.id}`)
      .loginAs(officer)
      .withCsrfToken()
      .form(form)
      .redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', `/document-templates/${template.id}/edit`)
    response.assertFlashMessage('success', '様式を保存しました。')

    const saved = await DocumentTemplate.findOrFail(template.id)
    assert.deepEqual(
      saved.rows.map((row) => row.key),
      [
        'reason',
        'holder_department',
        'system_name',
        'contractor',
        'data_items',
        'media',
        'content',
        'period',
        'ward_measures',
        'contractor_measures',
      ]
    )
    assert.equal(
      saved.label('data_items'),
      '委託に伴い事業者に処理させる情報項目（だれの、どのような項目か）'
    )
    assert.isTrue(saved.rows.find((row) => row.key === 'media')!.always)
    assert.isFalse(saved.rows.find((row) => row.key === 'holder_department')!.always)
    assert.equal(saved.numbering, 'fullwidth')

    const audit = await lastAudit('document_templates.update')
    assert.exists(audit)
    assert.equal(audit!.actorId, officer.id)
    assert.equal(audit!.subjectId, String(template.id))
    assert.include(audit!.changedFields ?? '', 'rows')
    assert.include(audit!.changedFields ?? '', 'numbering')

    const page = await client.get(`/document-templates/${template.id}/edit`).loginAs(officer)
    page.assertTextIncludes('委託に伴い事業者に処理させる情報項目（だれの、どのような項目か）')
    page.assertTextIncludes(`既定：${defaultLabel('contract_annex', 'data_items')}`)
  })

  test('an administrator may edit too; saving unchanged writes nothing', async ({
    client,
    assert,
  }) => {
    const admin = await UserFactory.apply('admin').create()
    const template = await templateOf('overview')
    await expectStatus(client.get('/document-templates').loginAs(admin), 200)
    const response = await client
      .put(`/document-templates/${template.id}`)
      .loginAs(admin)
      .withCsrfToken()
      .form(formOf(template))
      .redirects(0)
    response.assertFlashMessage('success', '変更はありませんでした。')
    assert.isNull(await lastAudit('document_templates.update'))
  })

  test('a row moved by its number goes before the row that had that number', async ({
    client,
    assert,
  }) => {
    const officer = await privacyOfficer()
    const template = await templateOf('system_annex')
    // The fifth row (新規開発・追加・変更の内容) gets 2 while the second keeps 2.
    const form = formOf(template, (rows) => (rows[4].order = '2'))
    await client
      .put(`/document-templates/${template.id}`)
      .loginAs(officer)
      .withCsrfToken()
      .form(form)
    const saved = await DocumentTemplate.findOrFail(template.id)
    assert.deepEqual(
      saved.rows.map((row) => row.key),
      [
        'holder_department',
        'change_content',
        'system_name',
        'recorded_items',
        'change_reason',
        'development_measures',
        'change_schedule',
      ]
    )
  })

  test('the system annex’s sub-labels of 記録される情報項目 are edited with it', async ({
    client,
    assert,
  }) => {
    const officer = await privacyOfficer()
    const template = await templateOf('system_annex')
    const form = formOf(template)
    form['parts[computer]'] = 'どこのコンピュータに記録されるのか'
    await client
      .put(`/document-templates/${template.id}`)
      .loginAs(officer)
      .withCsrfToken()
      .form(form)
    const saved = await DocumentTemplate.findOrFail(template.id)
    assert.deepEqual(saved.recordedItemsParts, {
      ...DEFAULT_RECORDED_ITEMS_PARTS,
      computer: 'どこのコンピュータに記録されるのか',
    })
    assert.equal(saved.parts.computer, 'どこのコンピュータに記録されるのか')
    const page = await client.get(`/document-templates/${template.id}/edit`).loginAs(officer)
    page.assertTextIncludes('どこのコンピュータに記録されるのか')
  })

  test('rows posted as an object instead of a list are taken as a list', async ({
    client,
    assert,
  }) => {
    const officer = await privacyOfficer()
    const template = await templateOf('overview')
    const form: Record<string, string> = { numbering: 'circled' }
    template.rows.forEach((row, index) => {
      form[`rows[r${index}][key]`] = row.key
      form[`rows[r${index}][label]`] = row.key === 'purpose' ? '目　的' : row.label
      form[`rows[r${index}][always]`] = '1'
    })
    const response = await client
      .put(`/document-templates/${template.id}`)
      .loginAs(officer)
      .withCsrfToken()
      .form(form)
      .redirects(0)
    response.assertFlashMessage('success', '様式を保存しました。')
    const saved = await DocumentTemplate.findOrFail(template.id)
    assert.equal(saved.label('purpose'), '目　的')
    assert.equal(saved.numbering, 'circled')
  })

  test('restoring puts back the ward’s default wording, order and numbering', async ({
    client,
    assert,
  }) => {
    const officer = await privacyOfficer()
    const template = await templateOf('system_annex')
    template.rows = [...template.rows]
      .reverse()
      .map((row) => ({ ...row, label: `${row.label}（改）`, always: !row.always }))
    template.numbering = 'none'
    template.parts = { subjects: '対象者', items: '項目', computer: '機器' }
    await template.save()

    const response = await client
      .post(`/document-templates/${template.id}/restore`)
      .loginAs(officer)
      .withCsrfToken()
      .redirects(0)
    response.assertFlashMessage('success', '様式を区の既定の文言に戻しました。')
    const restored = await DocumentTemplate.findOrFail(template.id)
    assert.deepEqual(restored.rows, DEFAULT_TEMPLATE_ROWS.system_annex)
    assert.equal(restored.numbering, 'halfwidth')
    assert.deepEqual(restored.parts, DEFAULT_RECORDED_ITEMS_PARTS)
    const audit = await lastAudit('document_templates.restore')
    assert.equal(audit?.actorId, officer.id)
  })

  test('department staff, supervisors, operators and contractor users are refused', async ({
    client,
    assert,
  }) => {
    const tree = await departmentTree()
    const contractor = await ContractorFactory.create()
    const template = await templateOf('contract_annex')
    const users = [
      await UserFactory.merge({ departmentId: tree.kocho.id }).create(),
      await UserFactory.apply('supervisor').merge({ departmentId: tree.kocho.id }).create(),
      await UserFactory.apply('operator').merge({ departmentId: tree.kocho.id }).create(),
      await UserFactory.apply('contractor').merge({ contractorId: contractor.id }).create(),
    ]
    const form = formOf(template, (rows) => (rows[0].label = '乗っ取り'))
    for (const user of users) {
      await expectStatus(client.get('/document-templates').loginAs(user), 403)
      await expectStatus(client.get(`/document-templates/${template.id}/edit`).loginAs(user), 403)
      await expectStatus(
        client.put(`/document-templates/${template.id}`).loginAs(user).withCsrfToken().form(form),
        403
      )
      await expectStatus(
        client.post(`/document-templates/${template.id}/restore`).loginAs(user).withCsrfToken(),
        403
      )
      const dashboard = await client.get('/dashboard').loginAs(user)
      assert.notInclude(dashboard.text(), '/document-templates', user.role)
    }
    const unchanged = await DocumentTemplate.findOrFail(template.id)
    assert.deepEqual(unchanged.rows, DEFAULT_TEMPLATE_ROWS.contract_annex)
    assert.isNull(await lastAudit('document_templates.update'))

    const officerDashboard = await client.get('/dashboard').loginAs(await privacyOfficer())
    officerDashboard.assertTextIncludes('/document-templates')
    const guest = await client.get('/document-templates')
    guest.assertRedirectsTo('/login')
  })

  test('an empty or too long label is refused in Japanese and what was typed comes back', async ({
    client,
    assert,
  }) => {
    const officer = await privacyOfficer()
    const template = await templateOf('contract_annex')
    const form = formOf(template, (rows) => {
      rows[0].label = '保有課'
      rows[1].label = ''
      rows[2].label = '委'.repeat(201)
      rows[3].order = '1.5'
    })
    form.numbering = 'fullwidth'
    const response = await client
      .put(`/document-templates/${template.id}`)
      .loginAs(officer)
      .withCsrfToken()
      .form(form)
      .redirects(0)
    response.assertStatus(302)
    const flash = response.flashMessages()
    const errors = flash.errors as Record<string, string[]>
    assert.deepEqual(errors['rows.1.label'], ['項目名を入力してください'])
    assert.deepEqual(errors['rows.2.label'], ['項目名は200文字以内で入力してください'])
    assert.deepEqual(errors['rows.3.order'], ['順番は整数で入力してください'])
    const unchanged = await DocumentTemplate.findOrFail(template.id)
    assert.deepEqual(unchanged.rows, DEFAULT_TEMPLATE_ROWS.contract_annex)

    // The form comes back with the typed values and the messages beside them.
    const page = await client
      .get(`/document-templates/${template.id}/edit`)
      .loginAs(officer)
      .withSession({ __flash__: flash })
    page.assertStatus(200)
    page.assertTextIncludes('value="保有課"')
    page.assertTextIncludes('委'.repeat(201))
    page.assertTextIncludes('value="1.5"')
    page.assertTextIncludes('項目名を入力してください')
    page.assertTextIncludes('項目名は200文字以内で入力してください')
    page.assertTextIncludes('<option value="fullwidth" selected>')
    page.assertTextIncludes('入力内容を確認してください。')
  })

  test('rows cannot be added, removed or repeated, and odd shapes are refused without a 500', async ({
    client,
    assert,
  }) => {
    const officer = await privacyOfficer()
    const template = await templateOf('overview')
    const put = (form: Record<string, string>) =>
      client
        .put(`/document-templates/${template.id}`)
        .loginAs(officer)
        .withCsrfToken()
        .form(form)
        .redirects(0)

    const added = await put(
      formOf(template, (rows) => rows.push({ key: 'extra', label: '追加の行', order: '6' }))
    )
    assert.deepEqual((added.flashMessages().errors as any)?.rows, [
      '表の行は追加・削除できません。画面を読み込み直して入力してください',
    ])

    const removed = await put(formOf(template, (rows) => rows.pop()))
    assert.deepEqual((removed.flashMessages().errors as any)?.rows, [
      '表の行は追加・削除できません。画面を読み込み直して入力してください',
    ])

    const repeated = await put(formOf(template, (rows) => (rows[1].key = rows[0].key)))
    assert.deepEqual((repeated.flashMessages().errors as any)?.rows, [
      '表の行は追加・削除できません。画面を読み込み直して入力してください',
    ])

    const single = await put({ numbering: 'halfwidth', rows: '事業名' })
    single.assertStatus(302)
    assert.deepEqual((single.flashMessages().errors as any)?.rows, [
      '表の行の値が正しくありません。画面を読み込み直して入力してください',
    ])
    const page = await client
      .get(`/document-templates/${template.id}/edit`)
      .loginAs(officer)
      .withSession({ __flash__: single.flashMessages() })
    page.assertStatus(200)
    page.assertTextIncludes('value="事業内容"')

    const tooMany = await put(
      formOf(template, (rows) => {
        for (let index = rows.length; index < 201; index++)
          rows.push({ key: `row${index}`, label: `行${index}`, order: String(index + 1) })
      })
    )
    tooMany.assertStatus(302)
    assert.deepEqual((tooMany.flashMessages().errors as any)?.rows, [
      '表の行は追加・削除できません。画面を読み込み直して入力してください',
    ])

    const badNumbering = await put({ ...formOf(template), numbering: 'roman' })
    assert.deepEqual((badNumbering.flashMessages().errors as any)?.numbering, [
      '番号の付け方の選択が正しくありません',
    ])

    const systemAnnex = await templateOf('system_annex')
    const partsEmpty = await client
      .put(`/document-templates/${systemAnnex.id}`)
      .loginAs(officer)
      .withCsrfToken()
      .form({ ...formOf(await templateOf('system_annex')), 'parts[items]': '' })
      .redirects(0)
    assert.deepEqual((partsEmpty.flashMessages().errors as any)?.['parts.items'], [
      '小見出し（記録する個人情報の項目）を入力してください',
    ])

    const overview = await DocumentTemplate.findOrFail(template.id)
    assert.deepEqual(overview.rows, DEFAULT_TEMPLATE_ROWS.overview)
  })
})
