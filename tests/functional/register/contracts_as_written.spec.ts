import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import Contract from '#models/contract'
import ContractDataItem from '#models/contract_data_item'
import { UserFactory } from '#database/factories/user_factory'
import { ContractorFactory } from '#database/factories/contractor_factory'
import { departmentTree, queriesDuring, writesTo } from '#tests/helpers'
import {
  itemTableFields,
  makeContract,
  makeItems,
  makeSystem,
  type ItemTableRow,
} from '#tests/register_helpers'

/*
| Contracts and subcontracts as the council documents write them (issue 12,
| point 5): free text kept as typed, the period's dates with a lead and a note
| around them, an undecided (sub)contractor printed as written, whose data per
| contract, grouped items with headings and notes, media detail.
*/

const base = {
  title: '委託',
  reason: '専門的、技術的ノウハウが必要であるため',
  periodType: 'fixed',
}

/** The staff user of 広聴担当課 and one of its systems. */
async function kochoSystem(itemNames: string[] = []) {
  const tree = await departmentTree()
  const staff = await UserFactory.merge({ departmentId: tree.kocho.id }).create()
  const system = await makeSystem(staff, tree.kocho.id)
  const items = await makeItems(system.id, itemNames)
  return { tree, staff, system, items }
}

/** The HTML of one item table of the contract form (provided or collected). */
function tableHtml(html: string, field: 'providedItems' | 'collectedItems'): string {
  const start = html.indexOf(`id="${field}-caption"`)
  const end =
    field === 'providedItems'
      ? html.indexOf('id="collectedItems-caption"')
      : html.indexOf('name="itemsLayout"')
  return html.slice(start, end)
}

/** The message above an item table of a refused form. */
function tableError(html: string, field: 'providedItems' | 'collectedItems'): string {
  const match = html.match(
    new RegExp(`<p class="field-error" id="field-${field}-error">([^<]*)</p>`)
  )
  return match ? match[1].trim() : ''
}

/** Item names of a table in the order the form shows them. */
const rowNames = (tableHtmlText: string) =>
  [...tableHtmlText.matchAll(/<label for="[a-zA-Z]+-\d+">([^<]*)<\/label>/g)].map((match) =>
    match[1].trim()
  )

test.group('Contracts as written: free text and the period', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('each new field saves as typed and reloads in the edit form', async ({ client, assert }) => {
    const { staff, system, items } = await kochoSystem(['氏名', '住所', 'Ｅメールアドレス'])
    const [name, address, email] = items
    const contractor = await ContractorFactory.merge({ name: '三幸株式会社' }).create()
    const wardOperational =
      '【運用上の対策】\n1 契約にあたり、別紙「特記事項」を付す。\n\n　（1）データの抽出には、区職員が立ち会う。  \n2 抽出された情報は、施錠できる金庫に保管する。'
    const tasks =
      '1 下記の機能を備えたシステムを開発する。\n【システムの機能】\n　○区民向け画面\n\n2 データベースの移行及び動作の検証\n現行のデータベースを移行する。'
    const reason = 'コールセンター業務は、毎日開設する。\n　現行の電話交換業務受託業者へ委託する。'

    const response = await client
      .post(`/systems/${system.id}/contracts`)
      .loginAs(staff)
      .withCsrfToken()
      .form({
        ...base,
        'title': 'コールセンター業務委託について',
        'contractorId': contractor.id,
        reason,
        tasks,
        'subjectsText': '問合せをした方の',
        'itemsLayout': 'bullets',
        'itemsNote': '※ 「該当者」の定義\n1 区長への投書として、区へ意見等を提出した者',
        ...itemTableFields('collectedItems', [
          { dataItemId: name.id, ticked: true },
          { dataItemId: address.id, ticked: true, note: '必要な場合のみ' },
          { dataItemId: email.id, ticked: true, note: '（必要な場合のみ）' },
        ]),
        ...itemTableFields('providedItems', [
          { dataItemId: name.id },
          { dataItemId: address.id },
          { dataItemId: email.id },
        ]),
        'media[]': ['electronic', 'paper'],
        'mediaDetails[electronic]': 'USBメモリ（暗号化）',
        'periodLead': '現行の庁舎総合管理業務委託契約に基づき、',
        'startsOn': '2008-03-03',
        'endsOn': '2010-03-31',
        'periodNote': 'とする。',
        'wardMeasuresOperational': wardOperational,
        'contractorMeasuresOperational':
          '１ 取扱責任者及び取扱うオペレーターをあらかじめ指定し、適切に管理する。',
      })
      .redirects(0)
    response.assertStatus(302)

    const contract = await Contract.query()
      .where('title', 'コールセンター業務委託について')
      .preload('itemLinks')
      .firstOrFail()
    assert.equal(contract.reason, reason)
    assert.deepEqual(contract.tasks, [
      '1 下記の機能を備えたシステムを開発する。\n【システムの機能】\n　○区民向け画面',
      '2 データベースの移行及び動作の検証\n現行のデータベースを移行する。',
    ])
    assert.equal(contract.subjectsText, '問合せをした方の')
    assert.equal(contract.itemsLayout, 'bullets')
    assert.equal(
      contract.itemsNote,
      '※ 「該当者」の定義\n1 区長への投書として、区へ意見等を提出した者'
    )
    assert.deepEqual(contract.mediaDetails, { electronic: 'USBメモリ（暗号化）' })
    assert.equal(contract.periodLead, '現行の庁舎総合管理業務委託契約に基づき、')
    assert.equal(contract.periodNote, 'とする。')
    assert.equal(contract.startsOn?.toISODate(), '2008-03-03')
    assert.equal(contract.endsOn?.toISODate(), '2010-03-31')
    assert.equal(contract.startsOnPrecision, 'day')
    // Measures: one entry per line exactly as typed; only the blank line and trailing spaces go.
    assert.deepEqual(contract.wardMeasuresOperational, [
      '【運用上の対策】',
      '1 契約にあたり、別紙「特記事項」を付す。',
      '　（1）データの抽出には、区職員が立ち会う。',
      '2 抽出された情報は、施錠できる金庫に保管する。',
    ])
    assert.deepEqual(contract.contractorMeasuresOperational, [
      '１ 取扱責任者及び取扱うオペレーターをあらかじめ指定し、適切に管理する。',
    ])
    const links = contract.itemLinks.sort((a, b) => a.sortOrder - b.sortOrder)
    assert.deepEqual(
      links.map((link) => [link.dataItemId, link.direction, link.note, link.sortOrder]),
      [
        [name.id, 'collected', null, 0],
        [address.id, 'collected', '必要な場合のみ', 1],
        [email.id, 'collected', '（必要な場合のみ）', 2],
      ]
    )

    const edit = await client.get(`/contracts/${contract.id}/edit`).loginAs(staff)
    edit.assertStatus(200)
    const html = edit.text()
    assert.include(html, '>問合せをした方の</textarea>')
    assert.include(
      html,
      '※ 「該当者」の定義\n1 区長への投書として、区へ意見等を提出した者</textarea>'
    )
    assert.include(
      html,
      `>${'【運用上の対策】\n1 契約にあたり、別紙「特記事項」を付す。\n　（1）データの抽出には、区職員が立ち会う。\n2 抽出された情報は、施錠できる金庫に保管する。'}</textarea>`
    )
    assert.include(
      html,
      `>${'1 下記の機能を備えたシステムを開発する。\n【システムの機能】\n　○区民向け画面\n\n2 データベースの移行及び動作の検証\n現行のデータベースを移行する。'}</textarea>`
    )
    assert.include(html, `>${reason}</textarea>`)
    assert.include(html, 'name="mediaDetails[electronic]" value="USBメモリ（暗号化）"')
    assert.include(
      html,
      'name="periodLead"\n    type="text"\n    value="現行の庁舎総合管理業務委託契約に基づき、"'
    )
    assert.include(html, 'name="periodNote"\n    type="text"\n    value="とする。"')
    assert.match(html, /<option value="bullets" selected>/)
    assert.match(html, /<option value="day" selected>/)
    const collected = tableHtml(html, 'collectedItems')
    assert.deepEqual(rowNames(collected), ['氏名', '住所', 'Ｅメールアドレス'])
    assert.include(collected, 'name="collectedItems[1][note]" value="必要な場合のみ"')
    assert.match(collected, /name="collectedItems\[0\]\[ticked\]" value="1" checked/)
    assert.notMatch(tableHtml(html, 'providedItems'), /checked/)

    const page = await client.get(`/contracts/${contract.id}`).loginAs(staff)
    page.assertTextIncludes(
      '現行の庁舎総合管理業務委託契約に基づき、平成20年3月3日から平成22年3月31日までとする。'
    )
    page.assertTextIncludes('電磁的媒体（USBメモリ（暗号化））')
    page.assertTextIncludes('・住所（必要な場合のみ）')
    page.assertTextIncludes('・Ｅメールアドレス（必要な場合のみ）')
  })

  test('a start written to the month keeps its dates and prints 平成25年6月から', async ({
    client,
    assert,
  }) => {
    const { staff, system } = await kochoSystem()
    await client
      .post(`/systems/${system.id}/contracts`)
      .loginAs(staff)
      .withCsrfToken()
      .form({
        ...base,
        selectionMethod: 'tokumei',
        undecidedNote: '未定(6月に特命随契で事業者を指定する予定)',
        startsOn: '2013-06-15',
        startsOnPrecision: 'month',
        endsOn: '2014-03-31',
      })
    const contract = await Contract.findByOrFail('title', '委託')
    assert.equal(contract.startsOnPrecision, 'month')
    assert.equal(contract.startsOn?.toISODate(), '2013-06-01')
    assert.equal(contract.endsOn?.toISODate(), '2014-03-31')
    assert.equal(contract.status, 'draft')
    const page = await client.get(`/contracts/${contract.id}`).loginAs(staff)
    page.assertTextIncludes('平成25年6月から平成26年3月31日まで')
    page.assertTextIncludes('未定(6月に特命随契で事業者を指定する予定)')
    const edit = await client.get(`/contracts/${contract.id}/edit`).loginAs(staff)
    assert.match(edit.text(), /<option value="month" selected>/)
    assert.include(edit.text(), '>未定(6月に特命随契で事業者を指定する予定)</textarea>')
  })

  test('an open period keeps its start and prints the note after it (004: 平成19年9月1日 から(以降継続))', async ({
    client,
    assert,
  }) => {
    const { staff, system } = await kochoSystem()
    await client
      .post(`/systems/${system.id}/contracts`)
      .loginAs(staff)
      .withCsrfToken()
      .form({
        ...base,
        undecidedNote: '入札により決定した委託業者',
        periodType: 'open_ended',
        startsOn: '2007-09-01',
        periodNote: '(以降継続)',
      })
    const contract = await Contract.findByOrFail('title', '委託')
    assert.equal(contract.startsOn?.toISODate(), '2007-09-01')
    assert.equal(contract.periodNote, '(以降継続)')
    assert.isNull(contract.selectionMethod)
    const page = await client.get(`/contracts/${contract.id}`).loginAs(staff)
    page.assertTextIncludes('平成19年9月1日から(以降継続)')
    page.assertTextIncludes('入札により決定した委託業者')
  })

  test('a media detail needs its medium ticked, and a detail that is not text is refused in Japanese', async ({
    client,
    assert,
  }) => {
    const { staff, system } = await kochoSystem()
    const unticked = await client
      .post(`/systems/${system.id}/contracts`)
      .loginAs(staff)
      .withCsrfToken()
      .form({
        ...base,
        'selectionMethod': 'nyusatsu',
        'media[]': ['paper'],
        'mediaDetails[electronic]': 'USBメモリ（暗号化）',
      })
      .redirects(0)
    unticked.assertStatus(422)
    unticked.assertTextIncludes('詳細を入力した記録媒体にチェックを付けてください。')
    unticked.assertTextIncludes('name="mediaDetails[electronic]" value="USBメモリ（暗号化）"')

    const notAnObject = await client
      .post(`/systems/${system.id}/contracts`)
      .loginAs(staff)
      .withCsrfToken()
      .form({ ...base, selectionMethod: 'nyusatsu', mediaDetails: 'USBメモリ' })
      .redirects(0)
    notAnObject.assertStatus(422)
    notAnObject.assertTextIncludes('処理させる情報項目の記録媒体の値が正しくありません')
    assert.lengthOf(await Contract.all(), 0)

    // One ticked medium sent as a single value is a list of one.
    await client
      .post(`/systems/${system.id}/contracts`)
      .loginAs(staff)
      .withCsrfToken()
      .form({ ...base, selectionMethod: 'nyusatsu', media: 'electronic' })
    const saved = await Contract.findByOrFail('title', '委託')
    assert.deepEqual(saved.media, ['electronic'])
  })

  test('a blank reason is refused in Japanese and what was typed comes back on the form', async ({
    client,
    assert,
  }) => {
    const { staff, system } = await kochoSystem()
    const form = await client
      .post(`/systems/${system.id}/contracts`)
      .loginAs(staff)
      .withCsrfToken()
      .form({
        ...base,
        reason: ' \n　',
        selectionMethod: 'nyusatsu',
        subjectsText: '問合せをした方の',
        periodLead: '現行の契約に基づき、',
      })
      .redirects(0)
    form.assertStatus(422)
    assert.lengthOf(await Contract.all(), 0)
    form.assertTextIncludes('入力内容を確認してください（1件）。')
    form.assertTextIncludes('>問合せをした方の</textarea>')
    form.assertTextIncludes('value="現行の契約に基づき、"')
    form.assertTextIncludes('委託理由を入力してください')
  })
})

test.group('Contracts as written: undecided (sub)contractors and subcontract labels', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('an undecided subcontractor saves, prints its planned selection as entered, and is approved as before', async ({
    client,
    assert,
  }) => {
    const { tree, staff, system } = await kochoSystem()
    const supervisor = await UserFactory.apply('supervisor')
      .merge({ departmentId: tree.kocho.id })
      .create()
    const contractor = await ContractorFactory.merge({ name: '三幸株式会社' }).create()
    const contract = await makeContract(staff, system, {
      contractorId: contractor.id,
      title: 'コールセンター業務委託',
    })

    const form = await client
      .get(`/systems/${system.id}/contracts/create?parent=${contract.id}`)
      .loginAs(staff)
    form.assertStatus(200)
    for (const label of [
      '再委託先',
      '再委託の理由',
      '再委託の内容',
      '再委託の開始時期及び期限',
      '再委託にあたり区が行う情報保護対策',
      '再委託先に行わせる情報保護対策',
      '再委託先に処理させる情報項目',
      '再委託先が収集する項目',
      '再委託先に提供する項目',
    ]) {
      form.assertTextIncludes(label)
    }
    form.assertTextIncludes('再委託先を選ばないときに、再委託先欄へ書いたとおりに印刷されます')
    assert.notInclude(form.text(), '>委託理由')

    const refused = await client
      .post(`/systems/${system.id}/contracts?parent=${contract.id}`)
      .loginAs(staff)
      .withCsrfToken()
      .form({ ...base, title: '入力業務の再委託' })
      .redirects(0)
    refused.assertStatus(422)
    refused.assertTextIncludes(
      '再委託先が未定のときは、再委託先欄に記載する文言を入力するか、選定方法を選択してください。'
    )
    refused.assertTextIncludes('再委託の理由')

    await client
      .post(`/systems/${system.id}/contracts?parent=${contract.id}`)
      .loginAs(staff)
      .withCsrfToken()
      .form({
        ...base,
        title: '入力業務の再委託',
        undecidedNote: '未定(入札により決定する予定)',
        handlesPersonalData: 'true',
      })
    const subcontract = await Contract.findByOrFail('title', '入力業務の再委託')
    assert.isNull(subcontract.contractorId)
    assert.equal(subcontract.parentContractId, contract.id)
    assert.equal(subcontract.undecidedNote, '未定(入札により決定する予定)')
    assert.equal(subcontract.status, 'pending_approval')
    const page = await client.get(`/contracts/${subcontract.id}`).loginAs(staff)
    page.assertTextIncludes('未定(入札により決定する予定)')
    page.assertTextIncludes('再委託の理由')
    const parentPage = await client.get(`/contracts/${contract.id}`).loginAs(staff)
    parentPage.assertTextIncludes('入力業務の再委託</a>（未定(入札により決定する予定)')

    await client
      .post(`/contracts/${subcontract.id}/approve`)
      .loginAs(supervisor)
      .withCsrfToken()
      .form({ approvedOn: '2026-05-01', approvedBy: '広聴担当課長' })
    await subcontract.refresh()
    assert.equal(subcontract.status, 'active')
  })

  test('the three seed annexes print their contractor, items and period as written', async ({
    client,
  }) => {
    const { staff, system, items } = await kochoSystem([
      'ID',
      'パスワード',
      '氏名',
      '郵便番号',
      '住所',
      'メールアドレス',
      '配信を希望する情報のカテゴリー(不審者情報、事件情報、防災情報の区別)',
      '登録者へのメール送信の情報',
    ])
    const [id, password, name, postcode, address, mail, category, delivery] = items
    const post = (fields: Record<string, unknown>) =>
      client
        .post(`/systems/${system.id}/contracts`)
        .loginAs(staff)
        .withCsrfToken()
        .form({ ...base, ...fields })

    // 000: heading, items joined with 、, the ※ definitions after them.
    await post({
      title: '000',
      undecidedNote: '未定(6月に特命随契で事業者を指定する予定)',
      startsOn: '2013-06-01',
      startsOnPrecision: 'month',
      endsOn: '2014-03-31',
      itemsNote:
        '※ 「該当者」の定義\n1 区長への投書(一般投書、区長へのはがき、メール)として、区へ意見等を提出した者',
      ...itemTableFields('providedItems', [
        { dataItemId: id.id, ticked: true, heading: '【該当者(※)に係る情報項目】' },
        { dataItemId: password.id, ticked: true },
        { dataItemId: name.id, ticked: true },
        { dataItemId: mail.id, ticked: true, note: '(ID登録用)' },
      ]),
    })
    const c000 = await Contract.findByOrFail('title', '000')
    const p000 = await client.get(`/contracts/${c000.id}`).loginAs(staff)
    p000.assertTextIncludes('<div class="pre">【該当者(※)に係る情報項目】</div>')
    p000.assertTextIncludes('<div class="pre">ID、パスワード、氏名、メールアドレス(ID登録用)</div>')
    p000.assertTextIncludes('※ 「該当者」の定義\n1 区長への投書')
    p000.assertTextIncludes('未定(6月に特命随契で事業者を指定する予定)')
    p000.assertTextIncludes('平成25年6月から平成26年3月31日まで')

    // 001: whose data, then ・items with notes.
    await post({
      title: '001',
      selectionMethod: 'other',
      subjectsText: '問合せをした方の',
      itemsLayout: 'bullets',
      ...itemTableFields('collectedItems', [
        { dataItemId: name.id, ticked: true },
        { dataItemId: address.id, ticked: true, note: '必要な場合のみ' },
      ]),
    })
    const c001 = await Contract.findByOrFail('title', '001')
    const p001 = await client.get(`/contracts/${c001.id}`).loginAs(staff)
    p001.assertTextIncludes('>問合せをした方の</td>')
    p001.assertTextIncludes('<div class="pre">・氏名</div>')
    p001.assertTextIncludes('<div class="pre">・住所（必要な場合のみ）</div>')

    // 004: 1/2/3 sub-headings: whose data, a heading over one item per line, 記録するコンピュータ after.
    await post({
      title: '004',
      undecidedNote: '入札により決定した委託業者',
      subjectsText: '1 処理を依頼する個人の範囲\nメール配信を希望する区民等',
      itemsLayout: 'lines',
      itemsNote: '3 記録するコンピュータ\n委託業者のコンピュータ',
      ...itemTableFields('providedItems', [
        { dataItemId: mail.id, ticked: true, heading: '2 処理を依頼する個人情報の項目' },
        { dataItemId: password.id, ticked: true },
        { dataItemId: category.id, ticked: true },
        { dataItemId: delivery.id, ticked: true },
        { dataItemId: postcode.id },
      ]),
    })
    const c004 = await Contract.findByOrFail('title', '004')
    const p004 = await client.get(`/contracts/${c004.id}`).loginAs(staff)
    p004.assertTextIncludes('1 処理を依頼する個人の範囲\nメール配信を希望する区民等')
    p004.assertTextIncludes(
      [
        '<div class="pre">2 処理を依頼する個人情報の項目</div>',
        '<div class="pre">メールアドレス</div>',
        '<div class="pre">パスワード</div>',
        '<div class="pre">配信を希望する情報のカテゴリー(不審者情報、事件情報、防災情報の区別)</div>',
        '<div class="pre">登録者へのメール送信の情報</div>',
      ].join('\n                ')
    )
    p004.assertTextIncludes('3 記録するコンピュータ\n委託業者のコンピュータ')
    p004.assertTextIncludes('入札により決定した委託業者')
  })
})

test.group('Contracts as written: many ticked items', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  for (const count of [25, 60, 201]) {
    test(`${count} ticked items save with their headings and notes, in the order entered`, async ({
      client,
      assert,
    }) => {
      const names = Array.from(
        { length: count },
        (_, index) => `項目${String(index + 1).padStart(3, '0')}`
      )
      const { staff, system, items } = await kochoSystem(names)
      // Entered in reverse: the order column decides; every tenth item starts a group; every seventh has a note.
      const rows = items.map((item, index) => ({
        dataItemId: item.id,
        ticked: true,
        heading: index % 10 === 0 ? `【第${index / 10 + 1}群】` : '',
        note: index % 7 === 0 ? '必要な場合のみ' : '',
        order: count - index,
      }))
      const creating = await queriesDuring(async () => {
        const response = await client
          .post(`/systems/${system.id}/contracts`)
          .loginAs(staff)
          .withCsrfToken()
          .form({
            ...base,
            selectionMethod: 'nyusatsu',
            ...itemTableFields('collectedItems', rows),
            ...itemTableFields(
              'providedItems',
              rows.map((row) => ({ dataItemId: row.dataItemId })).slice(0, 3)
            ),
          })
          .redirects(0)
        response.assertStatus(302)
      })
      // The links in one INSERT, not one a row.
      assert.deepEqual(writesTo(creating, 'contract_data_items'), {
        insert: 1,
        update: 0,
        delete: 0,
      })
      const contract = await Contract.findByOrFail('title', '委託')
      const storedLinks = () =>
        ContractDataItem.query().where('contractId', contract.id).orderBy('sortOrder')
      const links = await storedLinks()
      assert.lengthOf(links, count)
      assert.isTrue(links.every((link) => link.direction === 'collected'))
      const expected = [...items].reverse()
      assert.deepEqual(
        links.map((link) => link.dataItemId),
        expected.map((item) => item.id)
      )
      assert.deepEqual(
        links.map((link) => link.sortOrder),
        Array.from({ length: count }, (_, index) => index)
      )
      assert.deepEqual(
        links.map((link) => [link.groupHeading, link.note]),
        expected.map((_, position) => {
          const index = count - 1 - position
          return [
            index % 10 === 0 ? `【第${index / 10 + 1}群】` : null,
            index % 7 === 0 ? '必要な場合のみ' : null,
          ]
        })
      )

      // The edit form lists them in that order, numbered 1 … count.
      const edit = await client.get(`/contracts/${contract.id}/edit`).loginAs(staff)
      const table = tableHtml(edit.text(), 'collectedItems')
      assert.deepEqual(rowNames(table), [...names].reverse())
      assert.include(table, `name="collectedItems[${count - 1}][order]" value="${count}"`)

      // Saving the form again unchanged keeps everything and writes no link.
      const saveTable = (wanted: ItemTableRow[]) =>
        queriesDuring(async () => {
          const again = await client
            .put(`/contracts/${contract.id}`)
            .loginAs(staff)
            .withCsrfToken()
            .form({
              ...base,
              selectionMethod: 'nyusatsu',
              ...itemTableFields('collectedItems', wanted),
            })
            .redirects(0)
          again.assertStatus(302)
        })
      const unchanged = await saveTable(
        expected.map((item, position) => ({
          dataItemId: item.id,
          ticked: true,
          heading: links[position].groupHeading ?? '',
          note: links[position].note ?? '',
          order: position + 1,
        }))
      )
      assert.deepEqual(writesTo(unchanged, 'contract_data_items'), {
        insert: 0,
        update: 0,
        delete: 0,
      })
      const after = await storedLinks()
      assert.deepEqual(
        after.map((link) => [link.id, link.dataItemId, link.groupHeading, link.note]),
        links.map((link) => [link.id, link.dataItemId, link.groupHeading, link.note])
      )

      // Back in the order of the items, the last five unticked: one DELETE and one UPDATE however many move.
      const reordered = await saveTable(
        items.map((item, index) => ({
          dataItemId: item.id,
          ticked: index < count - 5,
          order: index + 1,
        }))
      )
      assert.deepEqual(writesTo(reordered, 'contract_data_items'), {
        insert: 0,
        update: 1,
        delete: 1,
      })
      const kept = await storedLinks()
      assert.deepEqual(
        kept.map((link) => [link.dataItemId, link.sortOrder, link.groupHeading, link.note]),
        items.slice(0, count - 5).map((item, index) => [item.id, index, null, null])
      )
    })
  }

  test('unticked rows are not saved, and rows without an order keep their place in the table', async ({
    client,
    assert,
  }) => {
    const { staff, system, items } = await kochoSystem([
      '氏名',
      '住所',
      '電話番号',
      'メールアドレス',
    ])
    const [name, address, phone, mail] = items
    await client
      .post(`/systems/${system.id}/contracts`)
      .loginAs(staff)
      .withCsrfToken()
      .form({
        ...base,
        selectionMethod: 'nyusatsu',
        ...itemTableFields('providedItems', [
          { dataItemId: name.id, ticked: true, order: 3 },
          { dataItemId: address.id, ticked: false, note: '必要な場合のみ' },
          { dataItemId: phone.id, ticked: true },
          { dataItemId: mail.id, ticked: true, order: 1 },
        ]),
      })
    const links = await ContractDataItem.query().orderBy('sortOrder')
    assert.deepEqual(
      links.map((link) => [link.dataItemId, link.direction]),
      [
        [mail.id, 'provided'],
        [name.id, 'provided'],
        [phone.id, 'provided'],
      ]
    )
  })
})

test.group('Contracts as written: ticks that are not a list', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('one tick, or ticks sent as an object, are read as a list', async ({ client, assert }) => {
    const { staff, system, items } = await kochoSystem(['氏名', '住所', '電話番号'])
    const [name, address, phone] = items
    await client
      .post(`/systems/${system.id}/contracts`)
      .loginAs(staff)
      .withCsrfToken()
      .form({
        ...base,
        title: 'one',
        selectionMethod: 'nyusatsu',
        collectedItemIds: String(name.id),
      })
    const one = await Contract.query().where('title', 'one').preload('itemLinks').firstOrFail()
    assert.deepEqual(
      one.itemLinks.map((link) => link.dataItemId),
      [name.id]
    )

    await client
      .post(`/systems/${system.id}/contracts`)
      .loginAs(staff)
      .withCsrfToken()
      .form({
        ...base,
        'title': 'object',
        'selectionMethod': 'nyusatsu',
        'providedItemIds[b]': String(phone.id),
        'providedItemIds[a]': String(address.id),
      })
    const object = await Contract.query()
      .where('title', 'object')
      .preload('itemLinks')
      .firstOrFail()
    assert.sameMembers(
      object.itemLinks.map((link) => link.dataItemId),
      [phone.id, address.id]
    )

    // Table rows keyed by something other than an index are rows all the same; so is a single row.
    await client
      .post(`/systems/${system.id}/contracts`)
      .loginAs(staff)
      .withCsrfToken()
      .form({
        ...base,
        'title': 'rows',
        'selectionMethod': 'nyusatsu',
        'collectedItems[x][dataItemId]': String(address.id),
        'collectedItems[x][ticked]': '1',
        'collectedItems[x][note]': '必要な場合のみ',
        'collectedItems[y][dataItemId]': String(name.id),
        'collectedItems[y][ticked]': '1',
        'providedItems[dataItemId]': String(phone.id),
        'providedItems[ticked]': '1',
        'providedItems[heading]': '【提供】',
      })
    const rows = await Contract.query()
      .where('title', 'rows')
      .preload('itemLinks', (links) => links.orderBy('direction').orderBy('sortOrder'))
      .firstOrFail()
    assert.deepEqual(
      rows.itemLinks.map((link) => [link.direction, link.dataItemId, link.note, link.groupHeading]),
      [
        ['collected', address.id, '必要な場合のみ', null],
        ['collected', name.id, null, null],
        ['provided', phone.id, null, '【提供】'],
      ]
    )
  })

  test('ticks that cannot be a list are refused in Japanese, never a 500, and what was typed is kept', async ({
    client,
    assert,
  }) => {
    const { staff, system, items } = await kochoSystem(['氏名', '住所'])
    const [name, address] = items
    const send = (fields: Record<string, string>) =>
      client
        .post(`/systems/${system.id}/contracts`)
        .loginAs(staff)
        .withCsrfToken()
        .form({
          ...base,
          title: '入力途中の委託',
          selectionMethod: 'nyusatsu',
          subjectsText: '問合せをした方の',
          ...fields,
        })
        .redirects(0)

    // The shared list message (validator.json "array"), naming the field in Japanese, on the form at once.
    const notRows = await send({ collectedItems: '氏名、住所' })
    notRows.assertStatus(422)
    assert.match(tableError(notRows.text(), 'collectedItems'), /^委託先が収集する項目(は|の)/)
    notRows.assertTextIncludes('value="入力途中の委託"')

    const notIds = await send({ 'collectedItemIds[0][a]': 'x' })
    notIds.assertStatus(422)
    assert.match(tableError(notIds.text(), 'collectedItems'), /^委託先が収集する項目/)

    const badOrder = await send({
      ...itemTableFields('collectedItems', [
        { dataItemId: name.id, ticked: true, heading: '【該当者に係る情報項目】' },
        { dataItemId: address.id, ticked: true, note: '必要な場合のみ', order: 'あ' },
      ]),
    })
    badOrder.assertStatus(422)
    assert.lengthOf(await Contract.all(), 0)

    // The form comes back with everything typed and the error on the row.
    const html = badOrder.text()
    const orderError = tableError(html, 'collectedItems')
    assert.match(orderError, /^順序は/)
    assert.include(html, 'value="入力途中の委託"')
    assert.include(html, '>問合せをした方の</textarea>')
    const table = tableHtml(html, 'collectedItems')
    assert.include(table, 'name="collectedItems[0][heading]" value="【該当者に係る情報項目】"')
    assert.include(table, 'name="collectedItems[1][note]" value="必要な場合のみ"')
    assert.include(table, 'name="collectedItems[1][order]" value="あ"')
    assert.match(table, /name="collectedItems\[1\]\[ticked\]" value="1" checked/)
    assert.include(table, orderError)
  })

  test('items of another system are refused on the item table', async ({ client, assert }) => {
    const { staff, system } = await kochoSystem(['氏名'])
    const other = await makeSystem(staff, system.departmentId, { name: '別の業務' })
    const [foreign] = await makeItems(other.id, ['氏名'])
    const response = await client
      .post(`/systems/${system.id}/contracts`)
      .loginAs(staff)
      .withCsrfToken()
      .form({
        ...base,
        selectionMethod: 'nyusatsu',
        ...itemTableFields('providedItems', [{ dataItemId: foreign.id, ticked: true }]),
      })
      .redirects(0)
    response.assertStatus(422)
    assert.equal(
      tableError(response.text(), 'providedItems'),
      'この登録業務の記録項目から選択してください。'
    )
    assert.lengthOf(await ContractDataItem.all(), 0)
  })
})

test.group('Contracts as written: who may enter them', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('another department’s staff and contractor users are refused (403)', async ({
    client,
    assert,
  }) => {
    const { tree, staff, system, items } = await kochoSystem(['氏名'])
    const contractor = await ContractorFactory.merge({ name: '三幸株式会社' }).create()
    const contract = await makeContract(staff, system, {
      contractorId: contractor.id,
      title: '元の委託',
    })
    const outsider = await UserFactory.merge({ departmentId: tree.kikikanri.id }).create()
    const contractorUser = await UserFactory.apply('contractor')
      .merge({ contractorId: contractor.id })
      .create()
    const fields = {
      ...base,
      title: '不正な委託',
      selectionMethod: 'nyusatsu',
      subjectsText: 'x',
      ...itemTableFields('collectedItems', [{ dataItemId: items[0].id, ticked: true }]),
    }

    for (const user of [outsider, contractorUser]) {
      const createPage = await client.get(`/systems/${system.id}/contracts/create`).loginAs(user)
      createPage.assertStatus(403)
      const contractSave = await client
        .post(`/systems/${system.id}/contracts`)
        .loginAs(user)
        .withCsrfToken()
        .form(fields)
      contractSave.assertStatus(403)
      const subcontractSave = await client
        .post(`/systems/${system.id}/contracts?parent=${contract.id}`)
        .loginAs(user)
        .withCsrfToken()
        .form(fields)
      subcontractSave.assertStatus(403)
      const editPage = await client.get(`/contracts/${contract.id}/edit`).loginAs(user)
      editPage.assertStatus(403)
      const updateResponse = await client
        .put(`/contracts/${contract.id}`)
        .loginAs(user)
        .withCsrfToken()
        .form(fields)
      updateResponse.assertStatus(403)
    }
    assert.isNull(await Contract.findBy('title', '不正な委託'))
    await contract.refresh()
    assert.equal(contract.title, '元の委託')
    assert.isNull(contract.subjectsText)
  })
})
