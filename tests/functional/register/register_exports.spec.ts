import { test } from '@japa/runner'
import iconv from 'iconv-lite'
import { parse } from 'csv-parse/sync'
import testUtils from '@adonisjs/core/services/test_utils'
import DemoData from '#database/demo/demo_data'
import PersonalDataSystem from '#models/personal_data_system'
import Contract from '#models/contract'
import SpecialTermSet from '#models/special_term_set'
import User from '#models/user'
import { UserFactory } from '#database/factories/user_factory'
import { departmentTree } from '#tests/helpers'
import { decideInCouncil, makeItem, makeSystem } from '#tests/register_helpers'
import { fileRegisterColumns } from '#services/register/file_register'
import CsvExport from '#services/csv/csv_export'
import RegisterCsv from '#services/register/register_csv'
import RegisterScope from '#builders/register_scope'

test.group('Register: demo data from the seed documents', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('the three seed systems load with their items, contracts and special terms', async ({
    assert,
  }) => {
    await DemoData.load({ inProduction: false })
    const systems = await PersonalDataSystem.query()
      .preload('dataItems')
      .preload('subjectGroups')
      .preload('department')
      .orderBy('id')
    assert.deepEqual(
      systems.map((s) => [s.name, s.department.name, s.dataItems.length]),
      [
        ['コールセンター及び区民意見システム', '広聴担当課', 10],
        ['コールセンター', '区政情報課', 6],
        ['しんじゅく安全・安心情報ネット', '危機管理課', 4],
      ]
    )
    assert.lengthOf(systems[0].subjectGroups, 3)
    assert.includeMembers(
      systems[0].dataItems.map((i) => i.name),
      ['メールアドレス(ID登録用)', '意見等の内容', '回答内容']
    )

    const contracts = await Contract.query()
      .preload('contractor')
      .preload('specialTermSet', (s) => s.preload('clauses'))
      .orderBy('id')
    assert.deepEqual(
      contracts.map((c) => [c.contractor?.name ?? null, c.specialTermSet.clauses.length]),
      [
        [null, 16],
        ['三幸株式会社', 13],
        ['安心メール配信株式会社', 13],
      ]
    )
    assert.equal(contracts[0].undecidedNote, '未定(6月に特命随契で事業者を指定する予定)')
    assert.equal(contracts[2].periodType, 'open_ended')
    const sets = await SpecialTermSet.query().orderBy('code')
    assert.deepEqual(
      sets.map((s) => [s.code, s.version]),
      [
        ['standard-13', 1],
        ['standard-16', 1],
      ]
    )
  })

  test('a contractor user of the demo sees only its company’s contract', async ({
    client,
    assert,
  }) => {
    await DemoData.load({ inProduction: false })
    const user = await User.findByOrFail('email', 'contractor@demo.daicho.jp')
    const list = await client.get('/contracts').loginAs(user)
    list.assertTextIncludes('コールセンター業務委託について')
    assert.notInclude(list.text(), '地域安全・安心情報のメール配信')
  })
})

test.group('Register: CSV exports', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('systems CSV is UTF-8 with a BOM by default, limited to the user’s departments', async ({
    client,
    assert,
  }) => {
    const tree = await departmentTree()
    const officer = await UserFactory.apply('privacyOfficer').create()
    await makeSystem(officer, tree.kocho.id, {
      name: '髙橋さんの申請管理',
      media: ['paper', 'cloud'],
    })
    await makeSystem(officer, tree.kikikanri.id, { name: '危機管理の業務' })
    const staff = await UserFactory.merge({ departmentId: tree.kocho.id }).create()

    const response = await client.get('/systems/export.csv').loginAs(staff)
    response.assertStatus(200)
    assert.include(response.header('content-type'), 'text/csv')
    const bytes = Buffer.from(response.text(), 'utf8')
    assert.equal(bytes.subarray(0, 3).toString('hex'), 'efbbbf')
    const rows: Array<Record<string, string>> = parse(response.text().replace(/^\uFEFF/, ''), {
      columns: true,
    })
    assert.lengthOf(rows, 1)
    assert.equal(rows[0]['登録業務の名称'], '髙橋さんの申請管理')
    assert.equal(rows[0]['記録媒体'], '紙、クラウドサービス')
  })

  test('Shift_JIS on request; characters CP932 lacks are reported, never written as ?', async ({
    client,
    assert,
  }) => {
    const tree = await departmentTree()
    const officer = await UserFactory.apply('privacyOfficer').create()
    const system = await makeSystem(officer, tree.kocho.id, { name: '〜区民の声〜' })

    const sjis = await client.get('/systems/export.csv?encoding=cp932').loginAs(officer)
    sjis.assertStatus(200)
    assert.include(sjis.header('content-type'), 'Shift_JIS')
    assert.include(sjis.header('content-disposition'), 'sjis')
    // The bytes themselves: the wave dash CP932 lacks is mapped to its CP932 twin.
    const bytes = await CsvExport.toBuffer(
      RegisterCsv.systemColumns(),
      await RegisterCsv.systemRows(await RegisterScope.for(officer)),
      { encoding: 'cp932' }
    )
    assert.include(iconv.decode(bytes, 'cp932'), '～区民の声～')
    assert.notInclude(iconv.decode(bytes, 'cp932'), '?')

    await makeItem(system.id, '𠮷田さんの住所')
    const items = await client.get('/systems/items.csv?encoding=cp932').loginAs(officer)
    items.assertStatus(422)
    items.assertTextIncludes('Shift_JISで出力できない文字があります')
    items.assertTextIncludes('𠮷')
    const utf8 = await client.get('/systems/items.csv').loginAs(officer)
    utf8.assertStatus(200)
    utf8.assertTextIncludes('𠮷田さんの住所')
  })
})

test.group('Register: 個人情報ファイル簿', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('publishes the statutory items of held, published files, without login', async ({
    client,
    assert,
  }) => {
    const tree = await departmentTree()
    const officer = await UserFactory.apply('privacyOfficer').create()
    const staff = await UserFactory.merge({ departmentId: tree.kocho.id }).create()
    const supervisor = await UserFactory.apply('supervisor')
      .merge({ departmentId: tree.kocho.id })
      .create()
    const published = await makeSystem(officer, tree.kocho.id, {
      name: '区民意見ファイル',
      purpose: '区民の意見に回答する',
      publishedInFileRegister: true,
      collectionMethod: '本人から',
      regularRecipients: 'なし',
    })
    // Items through the form, so each is recorded in a version the council can approve.
    await client
      .post(`/systems/${published.id}/items`)
      .loginAs(staff)
      .withCsrfToken()
      .form({ name: '氏名' })
    await client
      .post(`/systems/${published.id}/items`)
      .loginAs(staff)
      .withCsrfToken()
      .form({ name: '病歴', specialCareCategory: 'medical_history' })
    const hidden = await makeSystem(officer, tree.kocho.id, {
      name: '非公開ファイル',
      publishedInFileRegister: false,
    })
    const retired = await makeSystem(officer, tree.kocho.id, {
      name: '廃止済みファイル',
      publishedInFileRegister: true,
      lifecycle: 'retired',
    })
    for (const system of [published, hidden, retired])
      await decideInCouncil(client, system, { staff, supervisor, officer })

    const page = await client.get('/file-register')
    page.assertStatus(200)
    for (const column of fileRegisterColumns()) page.assertTextIncludes(column.header)
    page.assertTextIncludes('区民意見ファイル')
    page.assertTextIncludes('氏名、病歴')
    page.assertTextIncludes('含む')
    page.assertTextIncludes('電算処理ファイル')
    assert.notInclude(page.text(), '非公開ファイル')
    assert.notInclude(page.text(), '廃止済みファイル')

    const csv = await client.get('/file-register.csv')
    const rows: Array<Record<string, string>> = parse(csv.text().replace(/^\uFEFF/, ''), {
      columns: true,
    })
    assert.lengthOf(rows, 1)
    assert.equal(rows[0]['個人情報ファイルの名称'], '区民意見ファイル')
    assert.equal(rows[0]['要配慮個人情報が含まれるときは、その旨'], '含む')
    assert.equal(rows[0]['記録項目'], '氏名、病歴')
  })
})
