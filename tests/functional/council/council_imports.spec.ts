import { readFile } from 'node:fs/promises'
import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import CouncilImport from '#models/council_import'
import CouncilItem from '#models/council_item'
import { UserFactory } from '#database/factories/user_factory'
import { CitizenFactory } from '#database/factories/citizen_factory'
import { departmentTree } from '#tests/helpers'
import { confirmImport } from './import_support.js'

const SEED = '004_1402d2ef23b0738c.txt'
const STRAY = 'この行はどの欄にも属さない書き込みです'

const seedText = () => readFile(new URL(`../../fixtures/seeds/${SEED}`, import.meta.url), 'utf8')

async function people() {
  const tree = await departmentTree()
  const officer = await UserFactory.apply('privacyOfficer')
    .merge({ departmentId: tree.kocho.id })
    .create()
  const otherOfficer = await UserFactory.apply('privacyOfficer')
    .merge({ departmentId: tree.kikikanri.id })
    .create()
  const admin = await UserFactory.apply('admin').merge({ departmentId: tree.kocho.id }).create()
  const staff = await UserFactory.merge({ departmentId: tree.kocho.id }).create()
  const otherStaff = await UserFactory.apply('supervisor')
    .merge({ departmentId: tree.kikikanri.id })
    .create()
  const contractor = await UserFactory.apply('contractor').create()
  return { tree, officer, otherOfficer, admin, staff, otherStaff, contractor }
}

/** The seed with a stray line put in after its cover's contact line. */
async function textWithStrayLine() {
  const text = await seedText()
  return text.replace('## 事業の概要', `${STRAY}\n\n## 事業の概要`)
}

async function importAs(client: any, user: any, text: string) {
  const response = await client
    .post('/council/imports')
    .loginAs(user)
    .withCsrfToken()
    .header('referer', '/council/imports/create')
    .form({ text })
    .redirects(0)
  return response
}

test.group('Council imports: pages and review', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.timeout(60_000)

  test('the privacy office sees the list and the import form', async ({ client }) => {
    const { officer } = await people()
    const list = await client.get('/council/imports').loginAs(officer)
    list.assertStatus(200)
    list.assertTextIncludes('審議会資料の取込み')
    list.assertTextIncludes('取込みはまだありません。')
    const form = await client.get('/council/imports/create').loginAs(officer)
    form.assertStatus(200)
    form.assertTextIncludes('資料の本文（貼り付け）')
    form.assertTextIncludes('.pdf')
    const dashboard = await client.get('/council').loginAs(officer)
    dashboard.assertTextIncludes('/council/imports')
  })

  test('a pasted document becomes a draft; its review highlights the stray line', async ({
    client,
    assert,
  }) => {
    const { officer } = await people()
    const response = await importAs(client, officer, await textWithStrayLine())
    response.assertStatus(302)
    const record = await CouncilImport.query().orderBy('id', 'desc').firstOrFail()
    assert.equal(response.header('location'), `/council/imports/${record.id}`)
    assert.equal(record.status, 'draft')
    assert.equal(record.sourceKind, 'text')
    assert.include(record.sourceText, STRAY)
    assert.equal(
      record.draft.item.subject,
      '地域安全・安心情報のメール配信に関する業務委託について'
    )
    assert.equal(
      await CouncilItem.query()
        .count('* as total')
        .first()
        .then((r) => Number(r!.$extras.total)),
      0
    )

    const review = await client.get(`/council/imports/${record.id}`).loginAs(officer)
    review.assertStatus(200)
    const html = review.text()
    assert.match(html, /原文のうち \d+ 行はどの項目にも使われていません/)
    assert.match(html, /この内容で作成すると、原文 \d+ 行のうち \d+ 行が一致します/)
    // The stray line is marked, with the word 未使用 (not colour alone), and linked from the top.
    const strayLine = html.match(
      new RegExp(
        `<li id="line-(\\d+)" class="source-line source-line--unused">[\\s\\S]*?${STRAY}[\\s\\S]*?</li>`
      )
    )
    assert.isNotNull(strayLine, 'the stray line is highlighted')
    assert.include(strayLine![0], '未使用')
    assert.include(html, `href="#line-${strayLine![1]}"`)
    // Fields grouped and editable.
    for (const heading of ['件名と根拠', '担当課', '事業の概要', '別紙1', '読み取りの注意']) {
      assert.include(html, heading)
    }
    assert.include(html, 'name="item[subject]"')
    assert.include(html, 'name="system[dataItems]"')
  })

  test('corrections are saved and nothing else changes', async ({ client, assert }) => {
    const { officer } = await people()
    await importAs(client, officer, await seedText())
    const record = await CouncilImport.query().orderBy('id', 'desc').firstOrFail()
    const before = record.draft

    // The form sent back untouched leaves the draft as it was.
    const review = await client.get(`/council/imports/${record.id}`).loginAs(officer)
    const untouched = formOf(review.text())
    const same = await client
      .put(`/council/imports/${record.id}`)
      .loginAs(officer)
      .withCsrfToken()
      .form(untouched)
      .redirects(0)
    same.assertStatus(302)
    await record.refresh()
    assert.deepEqual(record.draft, before)

    const corrected = await client
      .put(`/council/imports/${record.id}`)
      .loginAs(officer)
      .withCsrfToken()
      .form({
        ...untouched,
        'item[subject]': '地域安全・安心情報のメール配信に関する業務委託について（修正）',
        'system[subjectGroups]': 'しんじゅく安全・安心情報ネットへの登録者\n追加した対象者',
      })
      .redirects(0)
    corrected.assertStatus(302)
    assert.equal(corrected.header('location'), `/council/imports/${record.id}`)
    await record.refresh()
    assert.equal(
      record.draft.item.subject,
      '地域安全・安心情報のメール配信に関する業務委託について（修正）'
    )
    assert.include(record.draft.system.subjectGroups, '追加した対象者')
    assert.deepEqual(record.draft.annexes, before.annexes)
    assert.deepEqual(record.draft.termSets, before.termSets)

    const page = await client
      .get(`/council/imports/${record.id}`)
      .loginAs(officer)
      .withFlashMessages(corrected.flashMessages())
    page.assertTextIncludes('修正を保存しました。')

    // A refused correction comes back with the Japanese message; nothing is saved.
    const refused = await client
      .put(`/council/imports/${record.id}`)
      .loginAs(officer)
      .withCsrfToken()
      .header('referer', `/council/imports/${record.id}`)
      .form({ ...untouched, 'annexes[0][startsOn]': '令和5年4月1日' })
      .redirects(0)
    refused.assertStatus(302)
    const back = await client
      .get(`/council/imports/${record.id}`)
      .loginAs(officer)
      .withFlashMessages(refused.flashMessages())
    back.assertTextIncludes('形式が正しくありません')
    back.assertTextIncludes('令和5年4月1日')
  })

  test('confirming creates the council item and shows the round trip', async ({
    client,
    assert,
  }) => {
    const { officer } = await people()
    await importAs(client, officer, await seedText())
    const record = await CouncilImport.query().orderBy('id', 'desc').firstOrFail()
    const response = await confirmImport(client, officer, record)
    response.assertStatus(302)
    await record.refresh()
    assert.equal(record.status, 'confirmed')
    assert.isNotNull(record.councilItemId)
    const item = await CouncilItem.findOrFail(record.councilItemId)
    assert.equal(item.subject, '地域安全・安心情報のメール配信に関する業務委託について')
    assert.isNotNull(record.roundTrip)

    const page = await client.get(`/council/imports/${record.id}`).loginAs(officer)
    page.assertStatus(200)
    page.assertTextIncludes(
      `往復確認：原文 ${record.roundTrip!.total} 行のうち ${record.roundTrip!.identical} 行が同一`
    )
    page.assertTextIncludes(`/council/items/${item.id}`)
    page.assertTextIncludes('/systems/')

    // Confirmed once: a second confirmation is refused with a message, not a second item.
    const again = await client
      .post(`/council/imports/${record.id}/confirm`)
      .loginAs(officer)
      .withCsrfToken()
      .header('referer', `/council/imports/${record.id}`)
      .redirects(0)
    assert.notEqual(again.status(), 500)
    assert.lengthOf(await CouncilItem.all(), 1)
  })

  test('a draft is discarded', async ({ client, assert }) => {
    const { officer } = await people()
    await importAs(client, officer, await seedText())
    const record = await CouncilImport.query().orderBy('id', 'desc').firstOrFail()
    const response = await client
      .delete(`/council/imports/${record.id}`)
      .loginAs(officer)
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    assert.equal(response.header('location'), '/council/imports')
    await record.refresh()
    assert.equal(record.status, 'discarded')
    const list = await client
      .get('/council/imports')
      .loginAs(officer)
      .withFlashMessages(response.flashMessages())
    list.assertTextIncludes('取込みを破棄しました。')
    list.assertTextIncludes('<span class="tag">破棄</span>')
  })
})

/**
 * Seed 004 damaged so that the reader cannot read a row: its period rewritten (平成19年度から
 * 当面の間), a row 委託先の選定方法 after 委託先, and a row 委託の内容（補足） after 委託理由,
 * which the reader takes for 委託の内容 itself (relabelled), the real 委託の内容 becoming a
 * row of its own.
 */
async function damagedText() {
  const text = await seedText()
  return text
    .replace('平成19年9月1日 から(以降継続)', '平成19年度から当面の間')
    .replace(/(\n委託先\t[^\n]*)/, '$1\n委託先の選定方法\t一般競争入札')
    .replace(/(\n委託理由\t[^\n]*)/, '$1\n委託の内容（補足）\t夜間も配信する')
}

/** The preview's numbers on the review page. */
function previewOf(html: string) {
  const match = html.match(/この内容で作成すると、原文 (\d+) 行のうち (\d+) 行が一致します/)
  if (!match) throw new Error('no preview on the review page')
  return { total: Number(match[1]), identical: Number(match[2]) }
}

test.group('Council imports: corrections to 100 %', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.timeout(90_000)

  async function put(client: any, officer: any, id: number, form: Record<string, unknown>) {
    const response = await client
      .put(`/council/imports/${id}`)
      .loginAs(officer)
      .withCsrfToken()
      .header('referer', `/council/imports/${id}`)
      .form(form)
      .redirects(0)
    response.assertStatus(302)
    return response
  }

  test('a row the reader got wrong is corrected in the form until every row is identical', async ({
    client,
    assert,
  }) => {
    const { officer } = await people()
    await importAs(client, officer, await damagedText())
    const record = await CouncilImport.query().orderBy('id', 'desc').firstOrFail()
    const contract = () => {
      const annex = record.draft.annexes[0]
      if (annex.kind !== 'contract') throw new Error('annex 1 is no contract')
      return annex
    }
    // The reader took 委託の内容（補足） for 委託の内容, and the real one for a row of its own.
    assert.deepEqual(contract().wording.rowOverrides.content, { label: '委託の内容（補足）' })
    assert.deepEqual(contract().contract.tasks, ['夜間も配信する'])
    const extras = contract().wording.extraRows
    const misread = extras.findIndex((row) => row.label === '委託の内容')
    assert.isAtLeast(misread, 0)
    const realTasks = extras[misread].value
    const selection = extras.find((row) => row.label === '委託先の選定方法')
    assert.deepEqual(selection, {
      label: '委託先の選定方法',
      value: '一般競争入札',
      after: 'contractor',
    })

    let page = await client.get(`/council/imports/${record.id}`).loginAs(officer)
    let html = page.text()
    // The form offers the annex's template rows and its 表にない行.
    for (const text of [
      '表にない行（原文のまま）',
      '位置（この行の後）',
      '見出しを変更',
      'この行を印刷しない',
      '「委託理由」の後',
      '記録媒体の補足',
      '再委託の元の委託',
      '事業の概要：表にない行（原文のまま）',
    ]) {
      assert.include(html, text)
    }
    assert.include(html, 'name="annexes[0][rowOverrides][reason][label]"')
    assert.include(html, `name="annexes[0][extraRows][${misread}][after]"`)
    let form = formOf(html)
    assert.equal(form['annexes[0][rowOverrides][content][label]'], '委託の内容（補足）')
    const row = (field: string) => `annexes[0][extraRows][${misread}][${field}]`

    // First try: 委託の内容 set right and the row renamed, with a slip in its value and left in
    // its place, and 委託理由 ticked by mistake: the preview shows the rows that differ.
    await put(client, officer, record.id, {
      ...form,
      'annexes[0][tasks]': realTasks,
      [row('label')]: '委託の内容（補足）',
      [row('value')]: '夜間も配信する（予定）',
      'annexes[0][rowOverrides][reason][hidden]': '1',
    })
    await record.refresh()
    assert.deepEqual(contract().contract.tasks, [realTasks])
    assert.deepEqual(contract().wording.extraRows[misread], {
      label: '委託の内容（補足）',
      value: '夜間も配信する（予定）',
      after: 'content',
    })
    assert.deepEqual(contract().wording.rowOverrides.reason, { hidden: true })
    page = await client.get(`/council/imports/${record.id}`).loginAs(officer)
    html = page.text()
    const first = previewOf(html)
    assert.isBelow(first.identical, first.total)
    assert.include(html, '夜間も配信する（予定）')

    // Then: the value edited, the row moved after 委託理由, 委託理由 printed again and
    // 委託の内容 back to the template's heading.
    form = formOf(html)
    assert.equal(form['annexes[0][rowOverrides][reason][hidden]'], '1')
    delete form['annexes[0][rowOverrides][reason][hidden]']
    await put(client, officer, record.id, {
      ...form,
      [row('value')]: '夜間も配信する',
      [row('after')]: 'reason',
      'annexes[0][rowOverrides][content][label]': '',
    })
    await record.refresh()
    assert.deepEqual(contract().wording.extraRows[misread], {
      label: '委託の内容（補足）',
      value: '夜間も配信する',
      after: 'reason',
    })
    assert.notProperty(contract().wording.rowOverrides, 'reason')
    assert.notProperty(contract().wording.rowOverrides, 'content')
    // What the reader read right stays as read.
    assert.deepEqual(
      contract().wording.extraRows.find((entry) => entry.label === '委託先の選定方法'),
      selection
    )
    assert.deepEqual(contract().wording.rowOverrides.media, { hidden: true })
    assert.include(contract().wording.rowOverrides.data_items?.label ?? '', '委託に伴い')

    page = await client.get(`/council/imports/${record.id}`).loginAs(officer)
    const corrected = previewOf(page.text())
    assert.equal(corrected.identical, corrected.total, 'every row identical after the corrections')

    // Sent back untouched, the corrected draft stays as it is.
    const before = structuredClone(record.draft)
    await put(client, officer, record.id, formOf(page.text()))
    await record.refresh()
    assert.deepEqual(record.draft, before)

    const confirm = await confirmImport(client, officer, record)
    confirm.assertStatus(302)
    await record.refresh()
    assert.equal(record.status, 'confirmed')
    assert.isNotNull(record.roundTrip)
    assert.equal(record.roundTrip!.identical, record.roundTrip!.total, 'the round trip is total')
    assert.deepEqual(record.roundTrip!.differences, [])
    const result = await client.get(`/council/imports/${record.id}`).loginAs(officer)
    result.assertTextIncludes(
      `往復確認：原文 ${record.roundTrip!.total} 行のうち ${record.roundTrip!.total} 行が同一`
    )
  })

  test('an unused line checked as left out is saved and no longer counted', async ({
    client,
    assert,
  }) => {
    const { officer } = await people()
    await importAs(client, officer, await textWithStrayLine())
    const record = await CouncilImport.query().orderBy('id', 'desc').firstOrFail()
    let page = await client.get(`/council/imports/${record.id}`).loginAs(officer)
    let html = page.text()
    const count = (text: string) =>
      Number(text.match(/原文のうち (\d+) 行はどの項目にも使われていません/)?.[1] ?? 0)
    const before = count(html)
    assert.isAtLeast(before, 1)
    const stray = html.match(
      new RegExp(`<li id="line-(\\d+)" class="source-line source-line--unused">[\\s\\S]*?${STRAY}`)
    )
    assert.isNotNull(stray)
    const number = stray![1]
    assert.include(html, '取り込まない行として確認済み')
    assert.include(html, `name="leftOutLines[]" value="${number}"`)

    await put(client, officer, record.id, { ...formOf(html), leftOutLines: [number] })
    await record.refresh()
    assert.deepEqual(record.draft.leftOutLines, [Number(number)])

    page = await client.get(`/council/imports/${record.id}`).loginAs(officer)
    html = page.text()
    assert.equal(count(html), before - 1)
    assert.notInclude(html, `href="#line-${number}"`)
    const line = html.match(new RegExp(`<li id="line-${number}" class="([^"]+)">([\\s\\S]*?)</li>`))
    assert.include(line![1], 'source-line--left-out')
    assert.include(line![2], '確認済み')
    assert.match(line![2], /name="leftOutLines\[\]" value="\d+" checked/)
    assert.include(html, '1 行を取り込まない行として確認済みです。')

    // Unchecked again, it is counted again.
    const form = formOf(html)
    delete form.leftOutLines
    await put(client, officer, record.id, form)
    await record.refresh()
    assert.notProperty(record.draft, 'leftOutLines')
    page = await client.get(`/council/imports/${record.id}`).loginAs(officer)
    assert.equal(count(page.text()), before)
  })

  test('media details, overview rows and a subcontract parent are corrected; a wrong parent is refused', async ({
    client,
    assert,
  }) => {
    const { officer } = await people()
    await importAs(client, officer, await seedText())
    const record = await CouncilImport.query().orderBy('id', 'desc').firstOrFail()
    const page = await client.get(`/council/imports/${record.id}`).loginAs(officer)
    const form = formOf(page.text())
    // The media row printed again (この行を印刷しない unticked).
    assert.equal(form['annexes[0][rowOverrides][media][hidden]'], '1')
    delete form['annexes[0][rowOverrides][media][hidden]']
    await put(client, officer, record.id, {
      ...form,
      'annexes[0][mediaShown]': '1',
      'annexes[0][media]': ['electronic'],
      'annexes[0][mediaDetails][electronic]': '（暗号化）',
      'item[extraRows][0][label]': '根拠法令',
      'item[extraRows][0][value]': '新宿区個人情報保護条例',
      'item[extraRows][0][after]': 'purpose',
    })
    await record.refresh()
    const annex = record.draft.annexes[0]
    assert.equal(annex.kind, 'contract')
    if (annex.kind !== 'contract') return
    assert.deepEqual(annex.contract.media, ['electronic'])
    assert.deepEqual(annex.contract.mediaDetails, { electronic: '（暗号化）' })
    assert.deepEqual(record.draft.item.extraRows, [
      { label: '根拠法令', value: '新宿区個人情報保護条例', after: 'purpose' },
    ])
    const review = await client.get(`/council/imports/${record.id}`).loginAs(officer)
    review.assertTextIncludes('電磁的媒体（暗号化）')

    // The only contract cannot be its own parent: the Japanese message, nothing saved.
    const refused = await put(client, officer, record.id, {
      ...formOf(review.text()),
      'annexes[0][parentAnnex]': '0',
    })
    const back = await client
      .get(`/council/imports/${record.id}`)
      .loginAs(officer)
      .withFlashMessages(refused.flashMessages())
    back.assertTextIncludes('再委託の元には、再委託ではない別の委託の別紙を選んでください。')
    await record.refresh()
    assert.isNull((record.draft.annexes[0] as any).contract.parentAnnex)
  })
})

test.group('Council imports: bad input', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.timeout(120_000)

  /** Follows the redirect back to the form and returns its page. */
  async function formAfter(client: any, user: any, response: any) {
    response.assertStatus(302)
    response.assertHeader('location', '/council/imports/create')
    return client
      .get('/council/imports/create')
      .loginAs(user)
      .withFlashMessages(response.flashMessages())
  }

  test('empty or unrelated pasted text comes back on the form, the text kept', async ({
    client,
    assert,
  }) => {
    const { officer } = await people()
    const empty = await importAs(client, officer, '   \n  ')
    const emptyForm = await formAfter(client, officer, empty)
    emptyForm.assertTextIncludes('貼り付けた本文が空です。')

    const unrelated = '今日の献立\nカレーライス\nサラダ\n牛乳'
    const other = await importAs(client, officer, unrelated)
    const otherForm = await formAfter(client, officer, other)
    assert.notEqual(other.status(), 500)
    otherForm.assertTextIncludes('カレーライス')
    assert.match(otherForm.text(), /field-error[^>]*>[^<]+</)
    assert.equal(
      await CouncilImport.query()
        .count('* as total')
        .first()
        .then((r) => Number(r!.$extras.total)),
      0
    )
  })

  test('unsupported, broken and scanned files get their Japanese message under the file input', async ({
    client,
    assert,
  }) => {
    const { officer } = await people()
    const cases: Array<[string, Buffer, string, string]> = [
      [
        'picture.png',
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]),
        'image/png',
        '読み込めません',
      ],
      ['broken.pdf', Buffer.from('%PDF-1.4\nこれは壊れています'), 'application/pdf', 'PDF'],
      [
        'broken.docx',
        Buffer.from('PK\u0003\u0004broken'),
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        'Word',
      ],
      ['empty.txt', Buffer.alloc(0), 'text/plain', 'ファイルが空'],
      ['scan.pdf', blankPdf(), 'application/pdf', '文字情報のないPDF'],
    ]
    for (const [name, bytes, type, expected] of cases) {
      const response = await client
        .post('/council/imports')
        .loginAs(officer)
        .withCsrfToken()
        .header('referer', '/council/imports/create')
        .field('text', '貼り付けた下書き')
        .file('file', bytes, { filename: name, contentType: type })
        .redirects(0)
      assert.notEqual(response.status(), 500, name)
      const form = await formAfter(client, officer, response)
      const error = form.text().match(/<p class="field-error" id="field-file-error">([^<]+)<\/p>/)
      assert.isNotNull(error, `${name}: a message under the file input`)
      assert.include(error![1], expected, name)
      form.assertTextIncludes('貼り付けた下書き')
    }
  })

  test('a 50 MB upload comes back on the form with the Japanese message, the text kept', async ({
    client,
    assert,
  }) => {
    const { officer } = await people()
    const response = await client
      .post('/council/imports')
      .loginAs(officer)
      .withCsrfToken()
      .header('referer', '/council/imports/create')
      .field('text', '大きなファイルの前に貼り付けた文')
      .file('file', Buffer.alloc(50 * 1024 * 1024, 0x41), {
        filename: 'huge.txt',
        contentType: 'text/plain',
      })
      .redirects(0)
    assert.notEqual(response.status(), 500)
    const form = await formAfter(client, officer, response)
    form.assertTextIncludes('ファイルが大きすぎます。読み込めるのは20MBまでです。')
    form.assertTextIncludes('大きなファイルの前に貼り付けた文')
    assert.equal(
      await CouncilImport.query()
        .count('* as total')
        .first()
        .then((r) => Number(r!.$extras.total)),
      0
    )
  })

  test('a JSON client gets 422 with the message on the field', async ({ client }) => {
    const { officer } = await people()
    const response = await client
      .post('/council/imports')
      .loginAs(officer)
      .withCsrfToken()
      .header('accept', 'application/json')
      .json({ text: '' })
    response.assertStatus(422)
    response.assertBodyContains({ errors: [{ field: 'text' }] })
  })
})

test.group('Council imports: who may import', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.timeout(60_000)

  test('department staff, contractors and another department are refused', async ({
    client,
    assert,
  }) => {
    const { officer, staff, otherStaff, contractor } = await people()
    await importAs(client, officer, await seedText())
    const record = await CouncilImport.query().orderBy('id', 'desc').firstOrFail()
    for (const user of [staff, otherStaff, contractor]) {
      for (const path of [
        '/council/imports',
        '/council/imports/create',
        `/council/imports/${record.id}`,
      ]) {
        const response = await client.get(path).loginAs(user)
        response.assertStatus(403)
      }
      const store = await importAs(client, user, await seedText())
      store.assertStatus(403)
      const confirm = await confirmImport(client, user, record)
      confirm.assertStatus(403)
      const discard = await client
        .delete(`/council/imports/${record.id}`)
        .loginAs(user)
        .withCsrfToken()
        .redirects(0)
      discard.assertStatus(403)
    }
    await record.refresh()
    assert.equal(record.status, 'draft')
    const staffPage = await client.get('/council').loginAs(staff)
    assert.notInclude(staffPage.text(), '/council/imports')
  })

  test('an import is seen by its creator and the privacy office, not by another admin', async ({
    client,
    assert,
  }) => {
    const { officer, otherOfficer, admin } = await people()
    await importAs(client, admin, await seedText())
    const record = await CouncilImport.query().orderBy('id', 'desc').firstOrFail()
    assert.equal(record.createdByUserId, admin.id)
    const byCreator = await client.get(`/council/imports/${record.id}`).loginAs(admin)
    byCreator.assertStatus(200)
    const byOffice = await client.get(`/council/imports/${record.id}`).loginAs(officer)
    byOffice.assertStatus(200)
    const list = await client.get('/council/imports').loginAs(otherOfficer)
    list.assertTextIncludes(`/council/imports/${record.id}`)

    await importAs(client, officer, await seedText())
    const officers = await CouncilImport.query().orderBy('id', 'desc').firstOrFail()
    const byOtherAdmin = await client.get(`/council/imports/${officers.id}`).loginAs(admin)
    byOtherAdmin.assertStatus(403)
    const adminList = await client.get('/council/imports').loginAs(admin)
    assert.notInclude(adminList.text(), `/council/imports/${officers.id}"`)
  })

  test('a citizen is not let in', async ({ client, assert }) => {
    const citizen = await CitizenFactory.apply('verified').create()
    const response = await client
      .get('/council/imports')
      .withGuard('citizen')
      .loginAs(citizen)
      .redirects(0)
    assert.include([302, 403], response.status())
    assert.notInclude(response.text(), '審議会資料を取り込む')
    const store = await client
      .post('/council/imports')
      .withGuard('citizen')
      .loginAs(citizen)
      .withCsrfToken()
      .form({ text: 'x' })
      .redirects(0)
    assert.include([302, 403], store.status())
    assert.equal(
      await CouncilImport.query()
        .count('* as total')
        .first()
        .then((r) => Number(r!.$extras.total)),
      0
    )
  })
})

/** A valid one-page PDF with no text layer (what a scan without OCR reads as). */
function blankPdf(): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>',
    '<< /Length 26 >>\nstream\n0 0 1 rg 50 50 200 200 re f\nendstream',
  ]
  let body = '%PDF-1.4\n'
  const offsets: number[] = []
  objects.forEach((object, index) => {
    offsets.push(body.length)
    body += `${index + 1} 0 obj\n${object}\nendobj\n`
  })
  const xref = body.length
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`
  body += offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('')
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`
  return Buffer.from(body, 'latin1')
}

/** The fields of the review form as a browser would send them (textareas, inputs, selects, ticked boxes). */
function formOf(html: string): Record<string, string | string[]> {
  const decode = (text: string) =>
    text
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&#x27;/g, "'")
      .replace(/&amp;/g, '&')
  const start = html.indexOf('name="item[subject]"')
  const form = html.slice(html.lastIndexOf('<form', start), html.indexOf('</form>', start))
  const fields: Record<string, string | string[]> = {}
  for (const match of form.matchAll(/<textarea[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>/g)) {
    fields[decode(match[1])] = decode(match[2]).replace(/^\n/, '')
  }
  // Inputs of the form, and those outside it that belong to it (the source's checkboxes).
  const inputs = [
    ...form.matchAll(/<input([^>]*)>/g),
    ...html.matchAll(/<input([^>]*form="import-review-form"[^>]*)>/g),
  ]
  for (const match of inputs) {
    const attrs = match[1]
    const name = attrs.match(/name="([^"]+)"/)?.[1]
    if (!name || name === '_csrf') continue
    const value = decode(attrs.match(/value="([^"]*)"/)?.[1] ?? '')
    if (/type="checkbox"/.test(attrs)) {
      if (!/\schecked/.test(attrs)) continue
      if (!name.endsWith('[]')) {
        fields[decode(name)] = value
        continue
      }
      const key = decode(name).replace(/\[\]$/, '')
      fields[key] = [...((fields[key] as string[]) ?? []), value]
    } else {
      fields[decode(name)] = value
    }
  }
  for (const match of form.matchAll(/<select[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) {
    const selected = match[2].match(/<option value="([^"]*)"\s+selected/)
    fields[decode(match[1])] = selected ? decode(selected[1]) : ''
  }
  return fields
}
