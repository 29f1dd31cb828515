import { test } from '@japa/runner'
import { parse } from 'csv-parse/sync'
import testUtils from '@adonisjs/core/services/test_utils'
import type { ApiClient } from '@japa/api-client'
import type PersonalDataSystem from '#models/personal_data_system'
import type User from '#models/user'
import { UserFactory } from '#database/factories/user_factory'
import { departmentTree } from '#tests/helpers'
import { decideInCouncil, makeCouncilPeople, makeSystem } from '#tests/register_helpers'
import { fileRegisterColumns } from '#services/register/file_register'

const decode = (html: string) =>
  html
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&amp;/g, '&')

/** The entries of the page as the reader sees them: one table per file, header → value. */
function pageEntries(html: string): Array<Record<string, string>> {
  return [...html.matchAll(/<table class="sheet">([\s\S]*?)<\/table>/g)].map(([, body]) =>
    Object.fromEntries(
      [...body.matchAll(/<th scope="row">([\s\S]*?)<\/th><td class="pre">([\s\S]*?)<\/td>/g)].map(
        ([, header, value]) => [decode(header), decode(value)]
      )
    )
  )
}

async function csvEntries(client: ApiClient): Promise<Array<Record<string, string>>> {
  const response = await client.get('/file-register.csv')
  response.assertStatus(200)
  return parse(response.text().replace(/^\uFEFF/, ''), { columns: true })
}

/** The file names of the CSV download, in order. */
async function csvNames(client: ApiClient): Promise<string[]> {
  const entries = await csvEntries(client)
  return entries.map((row) => row['個人情報ファイルの名称'])
}

async function setup() {
  const tree = await departmentTree()
  return { tree, people: await makeCouncilPeople(tree.kocho.id) }
}

const published = {
  purpose: '区民の意見に回答する',
  publishedInFileRegister: true,
  collectionMethod: '本人から',
  regularRecipients: 'なし',
  otherLawProcedures: '行政不服審査法による審査請求',
}

/** The system form as the edit page posts it. */
function systemForm(system: PersonalDataSystem, changes: Record<string, string>) {
  return {
    'departmentId': String(system.departmentId),
    'name': system.name,
    'purpose': system.purpose,
    'lifecycle': system.lifecycle,
    'fileType': system.fileType,
    'media[]': system.media,
    'subjectGroups': '意見を寄せた区民',
    'collectionMethod': system.collectionMethod ?? '',
    'regularRecipients': system.regularRecipients ?? '',
    'otherLawProcedures': system.otherLawProcedures ?? '',
    'publishedInFileRegister': system.publishedInFileRegister ? 'true' : '',
    ...changes,
  }
}

async function edit(
  client: ApiClient,
  staff: User,
  system: PersonalDataSystem,
  changes: Record<string, string>
) {
  const response = await client
    .put(`/systems/${system.id}`)
    .loginAs(staff)
    .withCsrfToken()
    .form(systemForm(system, changes))
    .redirects(0)
  response.assertHeader('location', `/systems/${system.id}`)
  await system.refresh()
}

async function addItem(
  client: ApiClient,
  staff: User,
  system: PersonalDataSystem,
  form: Record<string, string>
) {
  const response = await client
    .post(`/systems/${system.id}/items`)
    .loginAs(staff)
    .withCsrfToken()
    .form(form)
    .redirects(0)
  response.assertStatus(302)
}

test.group(
  '個人情報ファイル簿: only systems in operation, with the values the council approved',
  (group) => {
    group.each.setup(() => testUtils.db().withGlobalTransaction())

    test('a system still planned or in development is absent, even once approved; in operation it shows', async ({
      client,
      assert,
    }) => {
      const { tree, people } = await setup()
      const planned = await makeSystem(people.staff, tree.kocho.id, {
        ...published,
        name: '計画中の意見ファイル',
        lifecycle: 'planned',
      })
      const developing = await makeSystem(people.staff, tree.kocho.id, {
        ...published,
        name: '開発中の意見ファイル',
        lifecycle: 'in_development',
      })
      await decideInCouncil(client, planned, people)
      await decideInCouncil(client, developing, people)

      for (const response of [
        await client.get('/file-register'),
        await client.get('/file-register').loginAs(people.staff),
      ]) {
        response.assertStatus(200)
        assert.notInclude(response.text(), '計画中の意見ファイル')
        assert.notInclude(response.text(), '開発中の意見ファイル')
        response.assertTextIncludes('公表している個人情報ファイルはありません。')
      }
      assert.lengthOf(await csvEntries(client), 0)

      // Going live is a fact, not a change of approved content: the approved values show from then on.
      await edit(client, people.staff, planned, { lifecycle: 'operating' })
      const page = await client.get('/file-register')
      page.assertTextIncludes('計画中の意見ファイル')
      assert.notInclude(page.text(), '開発中の意見ファイル')
      assert.deepEqual(await csvNames(client), ['計画中の意見ファイル'])

      // Retired again: gone.
      await edit(client, people.staff, planned, { lifecycle: 'retired' })
      assert.lengthOf(await csvEntries(client), 0)
    })

    test('an operating, approved system shows its approved values in every statutory column', async ({
      client,
      assert,
    }) => {
      const { tree, people } = await setup()
      const system = await makeSystem(people.staff, tree.kocho.id, {
        ...published,
        name: '区民意見ファイル',
        subjectGroups: ['意見を寄せた区民', '代理人'],
      })
      await addItem(client, people.staff, system, { name: '氏名' })
      await addItem(client, people.staff, system, {
        name: '病歴',
        specialCareCategory: 'medical_history',
      })
      await decideInCouncil(client, system, people)

      const registerPage = await client.get('/file-register')
      const [entry] = pageEntries(registerPage.text())
      assert.deepEqual(entry, {
        '個人情報ファイルの名称': '区民意見ファイル',
        '行政機関等の名称': entry['行政機関等の名称'],
        '個人情報ファイルが利用に供される事務をつかさどる組織の名称': '区長室広聴担当課',
        '個人情報ファイルの利用目的': '区民の意見に回答する',
        '記録項目': '氏名、病歴',
        '記録範囲': '意見を寄せた区民、代理人',
        '記録情報の収集方法': '本人から',
        '要配慮個人情報が含まれるときは、その旨': '含む',
        '記録情報の経常的提供先': 'なし',
        '開示請求等を受理する組織の名称及び所在地':
          entry['開示請求等を受理する組織の名称及び所在地'],
        '訂正及び利用停止に関する他の法令の規定による特別の手続等': '行政不服審査法による審査請求',
        '個人情報ファイルの種別': '電算処理ファイル',
      })
      assert.isNotEmpty(entry['行政機関等の名称'])
    })

    test('an edit after approval does not show until the council approves it', async ({
      client,
      assert,
    }) => {
      const { tree, people } = await setup()
      const system = await makeSystem(people.staff, tree.kocho.id, {
        ...published,
        name: '区民意見ファイル',
      })
      await addItem(client, people.staff, system, { name: '氏名' })
      await decideInCouncil(client, system, people)

      await edit(client, people.staff, system, {
        name: '区民の声ファイル',
        purpose: '区民の声を施策に活かす',
        collectionMethod: '本人及び代理人から',
        otherLawProcedures: '',
        fileType: 'manual',
      })
      await addItem(client, people.staff, system, {
        name: '障害の状況',
        specialCareCategory: 'disability',
      })

      const approvedOnly = async () => {
        const [entry] = await csvEntries(client)
        assert.equal(entry['個人情報ファイルの名称'], '区民意見ファイル')
        assert.equal(entry['個人情報ファイルの利用目的'], '区民の意見に回答する')
        assert.equal(entry['記録項目'], '氏名')
        assert.equal(entry['記録情報の収集方法'], '本人から')
        assert.equal(entry['要配慮個人情報が含まれるときは、その旨'], '含まない')
        assert.equal(
          entry['訂正及び利用停止に関する他の法令の規定による特別の手続等'],
          '行政不服審査法による審査請求'
        )
        assert.equal(entry['個人情報ファイルの種別'], '電算処理ファイル')
        const registerPage = await client.get('/file-register')
        const page = registerPage.text()
        for (const unapproved of [
          '区民の声ファイル',
          '区民の声を施策に活かす',
          '障害の状況',
          '本人及び代理人から',
          'マニュアル処理ファイル',
        ]) {
          assert.notInclude(page, unapproved)
        }
      }
      await approvedOnly()

      // Neither continued deliberation nor a rejection publishes the edit.
      await decideInCouncil(client, system, people, 'rejected')
      await approvedOnly()

      await decideInCouncil(client, system, people, 'acknowledged')
      const [entry] = await csvEntries(client)
      assert.equal(entry['個人情報ファイルの名称'], '区民の声ファイル')
      assert.equal(entry['個人情報ファイルの利用目的'], '区民の声を施策に活かす')
      assert.equal(entry['記録項目'], '氏名、障害の状況')
      assert.equal(entry['記録情報の収集方法'], '本人及び代理人から')
      assert.equal(entry['要配慮個人情報が含まれるときは、その旨'], '含む')
      assert.equal(entry['訂正及び利用停止に関する他の法令の規定による特別の手続等'], 'なし')
      assert.equal(entry['個人情報ファイルの種別'], 'マニュアル処理ファイル')
    })

    test('a system in operation the council never approved is withheld; only ward staff are told', async ({
      client,
      assert,
    }) => {
      const { tree, people } = await setup()
      const approved = await makeSystem(people.staff, tree.kocho.id, {
        ...published,
        name: '承認済みファイル',
      })
      await decideInCouncil(client, approved, people)
      const never = await makeSystem(people.staff, tree.kocho.id, {
        ...published,
        name: '未承認の運用中ファイル',
      })
      const rejected = await makeSystem(people.staff, tree.kocho.id, {
        ...published,
        name: '否決されたファイル',
      })
      await decideInCouncil(client, rejected, people, 'rejected')

      const anonymous = await client.get('/file-register')
      anonymous.assertTextIncludes('承認済みファイル')
      assert.notInclude(anonymous.text(), '未承認の運用中ファイル')
      assert.notInclude(anonymous.text(), '否決されたファイル')
      assert.notInclude(anonymous.text(), '審議会の承認がないため掲載していない登録業務')
      assert.deepEqual(await csvNames(client), ['承認済みファイル'])

      // Staff of the department see which of their systems are withheld, with a link to each.
      const staffPage = await client.get('/file-register').loginAs(people.staff)
      staffPage.assertTextIncludes('審議会の承認がないため掲載していない登録業務')
      const notice = staffPage.text().slice(staffPage.text().indexOf('withheld-heading'))
      assert.include(notice, `/systems/${never.id}`)
      assert.include(notice, `/systems/${rejected.id}`)
      assert.notInclude(notice, `/systems/${approved.id}"`)
      assert.lengthOf(pageEntries(staffPage.text()), 1)
      const fileRegisterPage = await client.get('/file-register').loginAs(people.officer)
      fileRegisterPage.assertTextIncludes('未承認の運用中ファイル')

      // Another department's staff see neither the file nor the notice.
      const elsewhere = await UserFactory.merge({ departmentId: tree.kikikanri.id }).create()
      const otherPage = await client.get('/file-register').loginAs(elsewhere)
      assert.notInclude(otherPage.text(), '未承認の運用中ファイル')
      assert.notInclude(otherPage.text(), '審議会の承認がないため掲載していない登録業務')
    })

    test('the CSV carries exactly what the page shows, file by file and column by column', async ({
      client,
      assert,
    }) => {
      const { tree, people } = await setup()
      const first = await makeSystem(people.staff, tree.kocho.id, {
        ...published,
        name: '区民意見ファイル',
      })
      await addItem(client, people.staff, first, { name: '氏名' })
      await addItem(client, people.staff, first, { name: '意見の内容' })
      await decideInCouncil(client, first, people)
      const second = await makeSystem(people.staff, tree.kocho.id, {
        ...published,
        name: 'A&B "相談" <記録>',
        otherLawProcedures: '',
        regularRecipients: '',
      })
      await addItem(client, people.staff, second, {
        name: '相談内容',
        specialCareCategory: 'medical_history',
      })
      await decideInCouncil(client, second, people)
      await edit(client, people.staff, first, { purpose: '未承認の目的' })

      const registerPage = await client.get('/file-register')
      const page = pageEntries(registerPage.text())
      const csv = await csvEntries(client)
      assert.lengthOf(page, 2)
      assert.deepEqual(page, csv)
      assert.deepEqual(
        Object.keys(csv[0]),
        fileRegisterColumns().map((column) => column.header)
      )
      assert.deepEqual(
        csv.map((row) => row['個人情報ファイルの名称']),
        ['A&B "相談" <記録>', '区民意見ファイル']
      )
      assert.equal(csv[1]['個人情報ファイルの利用目的'], '区民の意見に回答する')
    })
  }
)
