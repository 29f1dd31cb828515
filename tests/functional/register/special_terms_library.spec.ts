import { readFileSync } from 'node:fs'
import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import SpecialTermSet from '#models/special_term_set'
import CreateSpecialTermVersion from '#actions/register/create_special_term_version'
import { SPECIAL_TERMS_13 } from '#database/demo/special_terms_data'
import { UserFactory } from '#database/factories/user_factory'
import { ContractorFactory } from '#database/factories/contractor_factory'
import { departmentTree, lastAudit, queriesDuring, writesTo } from '#tests/helpers'
import AuditLogger from '#services/audit_logger'

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/special_terms/${name}`, import.meta.url), 'utf8')

type Block = Partial<
  Record<'order' | 'remove' | 'numberLabel' | 'heading' | 'body' | 'items' | 'duty', string>
>

/** Clause blocks with the field names the HTML form sends (clauses[0][body] …). */
function blocks(list: Block[], offset = 0): Record<string, string> {
  return Object.fromEntries(
    list.flatMap((block, index) =>
      Object.entries(block).map(([key, value]) => [`clauses[${index + offset}][${key}]`, value])
    )
  )
}

/** n numbered clauses, every fifth one with sub-items. */
function manyClauses(count: number): Block[] {
  return Array.from({ length: count }, (_, index) => ({
    order: String(index + 1),
    numberLabel: String(index + 1),
    heading: index % 3 === 0 ? `見出し${index + 1}` : '',
    body: `乙は、第${index + 1}項に定める事項を遵守しなければならない。`,
    items: index % 5 === 0 ? '(1) 第一の事項\n(2) 第二の事項' : '',
    duty: '',
  }))
}

const setFields = {
  name: '個人情報の取扱いに関する特記事項（再委託用）',
  appliesTo: 'subcontractor',
  effectiveFrom: '2027-04-01',
  notes: '新規作成',
}

async function people() {
  const tree = await departmentTree()
  const officer = await UserFactory.apply('privacyOfficer').create()
  const staff = await UserFactory.merge({ departmentId: tree.kocho.id }).create()
  const contractor = await ContractorFactory.create()
  const contractorUser = await UserFactory.apply('contractor')
    .merge({ contractorId: contractor.id })
    .create()
  return { officer, staff, contractorUser }
}

test.group('Special-terms library: a new set from scratch', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('the privacy office creates a set with its own code as version 1', async ({
    client,
    assert,
  }) => {
    const { officer } = await people()
    const index = await client.get('/special-terms').loginAs(officer)
    index.assertStatus(200)
    index.assertTextIncludes('href="/special-terms/create"')
    const page = await client.get('/special-terms/create').loginAs(officer)
    page.assertStatus(200)
    page.assertTextIncludes('特記事項を新しく作成')
    page.assertTextIncludes('name="clauses[0][body]"')

    const response = await client
      .post('/special-terms')
      .loginAs(officer)
      .withCsrfToken()
      .form({
        ...setFields,
        ...blocks([
          {
            order: '1',
            numberLabel: '１',
            heading: '（秘密の保持）',
            body: '乙は、業務に関して知り得た情報を一切第三者に漏らしてはならない。',
            duty: '',
          },
          {
            order: '2',
            numberLabel: '２',
            heading: '',
            body: '乙は、この契約が終了した後においても同様とする。',
            duty: '',
          },
          {
            order: '3',
            numberLabel: '第3条',
            heading: '収集の制限',
            body: '乙は、次に掲げる事項を収集してはならない。',
            items: '(1) 思想、信条\r\n\r\n（ア） 宗教\r\n① 犯罪',
            duty: 'audit',
          },
          { order: '4', remove: '1', body: '削除する条項', heading: '削除' },
          { order: '5' },
          { order: '6', duty: '' },
        ]),
      })
      .redirects(0)
    response.assertStatus(302)

    const set = await SpecialTermSet.query()
      .where('name', setFields.name)
      .preload('clauses')
      .firstOrFail()
    response.assertHeader('location', `/special-terms/${set.id}`)
    assert.match(set.code, /^set-\d{8}-[0-9a-f]{6}$/)
    assert.equal(set.version, 1)
    assert.equal(set.appliesTo, 'subcontractor')
    assert.equal(set.effectiveFrom?.toISODate(), '2027-04-01')
    assert.deepEqual(
      set.clauses.map((c) => [c.number, c.numberLabel, c.heading, c.items, c.duty]),
      [
        [1, '１', '秘密の保持', [], null],
        [2, '２', '', [], null],
        [3, '第3条', '収集の制限', ['(1) 思想、信条', '（ア） 宗教', '① 犯罪'], 'audit'],
      ]
    )
    const listed = await client.get('/special-terms').loginAs(officer)
    listed.assertStatus(200)
    assert.match(
      listed.text(),
      new RegExp(`${setFields.name} 第1版</a></td>\\s*<td>再委託先用</td>\\s*<td>3</td>`)
    )
    const audit = await lastAudit('special_terms.create_set')
    assert.equal(audit?.subjectId, String(set.id))

    // A second new set never shares the first one's code.
    await client
      .post('/special-terms')
      .loginAs(officer)
      .withCsrfToken()
      .form({ ...setFields, name: '別の特記事項', ...blocks([{ body: '乙は、…' }]) })
    const other = await SpecialTermSet.findByOrFail('name', '別の特記事項')
    assert.notEqual(other.code, set.code)
    assert.equal(other.version, 1)
  })

  test('a set without a name or clauses is refused in Japanese and nothing is saved', async ({
    client,
    assert,
  }) => {
    const { officer } = await people()
    const response = await client
      .post('/special-terms')
      .loginAs(officer)
      .withCsrfToken()
      .header('referer', '/special-terms/create')
      .form({
        name: '',
        appliesTo: 'contractor',
        ...blocks([{ order: '1' }, { order: '2', heading: '見出しだけ' }]),
      })
      .redirects(0)
    response.assertHeader('location', '/special-terms/create')
    response.assertFlashMessage('errors', {
      'name': ['名称を入力してください'],
      'clauses.0.body': ['本文を入力してください'],
    })
    const empty = await client
      .post('/special-terms')
      .loginAs(officer)
      .withCsrfToken()
      .form({ name: '条項なし', appliesTo: 'contractor', ...blocks([{ order: '1' }]) })
      .redirects(0)
    empty.assertFlashMessage('errors', { clauses: ['条項を1つ以上入力してください'] })
    assert.lengthOf(await SpecialTermSet.all(), 0)
  })
})

test.group('Special-terms library: editing a whole set', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('adding, removing and reordering clauses in one save gives one new version in the new order', async ({
    client,
    assert,
  }) => {
    const { officer } = await people()
    const first = await new CreateSpecialTermVersion(AuditLogger.system).handle(
      'standard-13',
      SPECIAL_TERMS_13
    )
    const form = await client.get(`/special-terms/${first.id}/new-version`).loginAs(officer)
    form.assertStatus(200)
    form.assertTextIncludes('value="秘密の保持"')
    form.assertTextIncludes('name="clauses[15][body]"') // 13 clauses + 3 empty blocks

    const rows: Block[] = SPECIAL_TERMS_13.clauses.map((clause, index) => ({
      order: String(index + 1),
      numberLabel: String(clause.number),
      heading: clause.heading,
      body: clause.body,
      duty: clause.duty ?? '',
    }))
    rows[1].remove = '1' // 秘密の保持 out
    rows[12].order = '1' // 損害の賠償 first (before the block already at 1)
    rows[5].order = '20' // 再委託の禁止 last
    const added = {
      order: '3.5',
      numberLabel: '',
      heading: '個人情報を取り扱う従事者の指定',
      body: '乙は、従事者を指定し、甲に届け出なければならない。',
      duty: 'roster',
    }

    const response = await client
      .post(`/special-terms/${first.id}/versions`)
      .loginAs(officer)
      .withCsrfToken()
      .form({
        name: SPECIAL_TERMS_13.name,
        appliesTo: 'contractor',
        notes: '一括改正',
        ...blocks([...rows, added, { order: '15' }, { order: '16' }]),
      })
      .redirects(0)
    response.assertStatus(302)

    const versions = await SpecialTermSet.query().where('code', 'standard-13').orderBy('version')
    assert.deepEqual(
      versions.map((v) => v.version),
      [1, 2]
    )
    const second = await SpecialTermSet.query()
      .where('id', versions[1].id)
      .preload('clauses')
      .firstOrFail()
    assert.deepEqual(
      second.clauses.map((c) => c.heading),
      [
        '損害の賠償',
        '基本的事項',
        '目的外利用及び第三者への提供等の禁止',
        '個人情報を取り扱う従事者の指定',
        '適正な管理',
        '複写等の禁止',
        '資料等の返還等',
        '業務に関する報告',
        '監査',
        '従業員に対する教育',
        '事故発生時等における報告',
        '公表',
        '再委託の禁止',
      ]
    )
    assert.deepEqual(
      second.clauses.map((c) => c.number),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]
    )
    assert.equal(second.clauses[0].numberLabel, '13') // as written: not renumbered unless asked
    assert.equal(second.clauses[3].duty, 'roster')
    // The signed version is untouched.
    await first.load('clauses')
    assert.lengthOf(first.clauses, 13)
    assert.equal(first.clauses[1].heading, '秘密の保持')
  })

  test('renumbering on save keeps each label style', async ({ client, assert }) => {
    const { officer } = await people()
    const first = await new CreateSpecialTermVersion(AuditLogger.system).handle(
      'standard-13',
      SPECIAL_TERMS_13
    )
    await client
      .post(`/special-terms/${first.id}/versions`)
      .loginAs(officer)
      .withCsrfToken()
      .form({
        name: '条文形式',
        appliesTo: 'contractor',
        renumber: '1',
        ...blocks([
          { order: '2', numberLabel: '第1条', body: '一つ目' },
          { order: '1', numberLabel: '第２条', body: '二つ目' },
          { order: '3', numberLabel: '', body: '番号なし' },
          { order: '4', numberLabel: '第五条', body: '四つ目' },
        ]),
      })
    const second = await SpecialTermSet.query()
      .where('code', 'standard-13')
      .where('version', 2)
      .preload('clauses')
      .firstOrFail()
    assert.deepEqual(
      second.clauses.map((c) => [c.body, c.numberLabel]),
      [
        ['二つ目', '第１条'],
        ['一つ目', '第2条'],
        ['番号なし', null],
        ['四つ目', '第四条'],
      ]
    )
  })

  for (const count of [25, 60, 201]) {
    test(`a set of ${count} clauses saves as one version`, async ({ client, assert }) => {
      const { officer } = await people()
      const saving = await queriesDuring(async () => {
        const response = await client
          .post('/special-terms')
          .loginAs(officer)
          .withCsrfToken()
          .form({
            ...setFields,
            name: `${count}条の特記事項`,
            ...blocks([...manyClauses(count), {}, {}, {}]),
          })
          .redirects(0)
        response.assertStatus(302)
      })
      // The clauses in one INSERT, not one a clause.
      assert.deepEqual(writesTo(saving, 'special_term_clauses'), {
        insert: 1,
        update: 0,
        delete: 0,
      })
      const set = await SpecialTermSet.query()
        .where('name', `${count}条の特記事項`)
        .preload('clauses')
        .firstOrFail()
      assert.lengthOf(set.clauses, count)
      assert.equal(
        set.clauses[count - 1].body,
        `乙は、第${count}項に定める事項を遵守しなければならない。`
      )
      assert.deepEqual(set.clauses[count - 1 - ((count - 1) % 5)].items, [
        '(1) 第一の事項',
        '(2) 第二の事項',
      ])

      // The edit form shows every clause again, and saving it unchanged adds one version.
      const form = await client.get(`/special-terms/${set.id}/new-version`).loginAs(officer)
      form.assertTextIncludes(`name="clauses[${count - 1}][body]"`)
      await client
        .post(`/special-terms/${set.id}/versions`)
        .loginAs(officer)
        .withCsrfToken()
        .form({ ...setFields, name: `${count}条の特記事項`, ...blocks(manyClauses(count)) })
      const versions = await SpecialTermSet.query()
        .where('code', set.code)
        .preload('clauses')
        .orderBy('version')
      assert.deepEqual(
        versions.map((v) => [v.version, v.clauses.length]),
        [
          [1, count],
          [2, count],
        ]
      )
    }).timeout(60000)
  }
})

test.group('Special-terms library: list fields in any shape', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('clauses sent as an object, with holes or past the array limit are read as a list', async ({
    client,
    assert,
  }) => {
    const { officer } = await people()
    const cases: Array<[string, Record<string, string>, string[]]> = [
      [
        'keys as object',
        {
          'clauses[b][body]': '二',
          'clauses[b][order]': '2',
          'clauses[a][body]': '一',
          'clauses[a][order]': '1',
        },
        ['一', '二'],
      ],
      ['clauses[0] missing', { 'clauses[1][body]': '一', 'clauses[3][body]': '二' }, ['一', '二']],
      [
        'index past the array limit',
        { 'clauses[0][body]': '一', 'clauses[9000][body]': '二' },
        ['一', '二'],
      ],
      ['a single block', { 'clauses[body]': '一だけ', 'clauses[heading]': '見出し' }, ['一だけ']],
      ['items as a list', { 'clauses[0][body]': '一', 'clauses[0][items][]': '(1) 甲' }, ['一']],
    ]
    for (const [name, fields, bodies] of cases) {
      const response = await client
        .post('/special-terms')
        .loginAs(officer)
        .withCsrfToken()
        .form({ ...setFields, name, ...fields })
        .redirects(0)
      response.assertStatus(302)
      const set = await SpecialTermSet.query().where('name', name).preload('clauses').firstOrFail()
      assert.deepEqual(
        set.clauses.map((c) => c.body),
        bodies,
        name
      )
    }
    const listed = await SpecialTermSet.query()
      .where('name', 'items as a list')
      .preload('clauses')
      .firstOrFail()
    assert.deepEqual(listed.clauses[0].items, ['(1) 甲'])
  })

  test('clauses sent as a plain value are refused in Japanese, never a 500, and what was typed comes back', async ({
    client,
    assert,
  }) => {
    const { officer } = await people()
    for (const fields of [
      { clauses: '乙は、秘密を守る。' },
      { 'clauses[]': '乙は、秘密を守る。' },
      { 'clauses[0][body][x]': '乙は、秘密を守る。' },
    ]) {
      const response = await client
        .post('/special-terms')
        .loginAs(officer)
        .withCsrfToken()
        .header('referer', '/special-terms/create')
        .form({ ...setFields, ...fields })
        .redirects(0)
      response.assertHeader('location', '/special-terms/create')
      const errors = response.flashMessages().errors as Record<string, string[]>
      assert.match(errors.clauses[0], /^条項の(欄の)?送信内容の形式が正しくありません。/)
      response.assertFlashMessage('name', setFields.name)

      const again = await client
        .get('/special-terms/create')
        .loginAs(officer)
        .withFlashMessages(response.flashMessages())
      again.assertStatus(200)
      again.assertTextIncludes(`value="${setFields.name}"`)
      again.assertTextIncludes('乙は、秘密を守る。')
      again.assertTextIncludes('形式が正しくありません')
    }
    assert.lengthOf(await SpecialTermSet.all(), 0)
  })

  test('a refused save shows the form again with every block as typed and each error on its block', async ({
    client,
    assert,
  }) => {
    const { officer } = await people()
    const first = await new CreateSpecialTermVersion(AuditLogger.system).handle(
      'standard-13',
      SPECIAL_TERMS_13
    )
    const response = await client
      .post(`/special-terms/${first.id}/versions`)
      .loginAs(officer)
      .withCsrfToken()
      .header('referer', `/special-terms/${first.id}/new-version`)
      .form({
        name: '改正案',
        appliesTo: 'contractor',
        ...blocks([
          { order: '1', heading: '一番目', body: '一番目の本文' },
          { order: '2', heading: '本文のない条項', body: '', items: 'ア　号だけ' },
          { order: '0.5', heading: '先頭に移した条項', body: '先頭の本文' },
          { order: '4', heading: 'x'.repeat(101), body: '長い見出し' },
        ]),
      })
      .redirects(0)
    response.assertHeader('location', `/special-terms/${first.id}/new-version`)
    response.assertFlashMessage('errors', {
      'clauses.2.body': ['本文を入力してください'],
      'clauses.3.heading': ['見出しは100文字以内で入力してください'],
    })
    assert.lengthOf(await SpecialTermSet.query().where('code', 'standard-13'), 1)

    const again = await client
      .get(`/special-terms/${first.id}/new-version`)
      .loginAs(officer)
      .withFlashMessages(response.flashMessages())
    const html = again.text()
    // Blocks in saving order, as typed (not the stored version's 13 clauses).
    assert.isBelow(html.indexOf('先頭に移した条項'), html.indexOf('一番目の本文'))
    assert.include(html, 'ア　号だけ')
    assert.notInclude(html, 'value="秘密の保持"')
    assert.include(html, '<a href="#clause-2">条項 3：本文を入力してください</a>')
    assert.include(html, '<a href="#clause-3">条項 4：見出しは100文字以内で入力してください</a>')
    assert.match(html, /id="clause-2-body"[^>]*aria-invalid="true"/)
  })
})

test.group('Special-terms library: paste and preview', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('pasted text is split into clauses in the same form, and nothing is saved', async ({
    client,
    assert,
  }) => {
    const { officer } = await people()
    const response = await client
      .post('/special-terms/preview')
      .loginAs(officer)
      .withCsrfToken()
      .form({ ...setFields, text: fixture('seed_000_markdown_16.txt') })
    response.assertStatus(200)
    response.assertTextIncludes('16件の条項を読み取りました')
    response.assertTextIncludes('name="clauses[15][body]"')
    response.assertTextIncludes('value="収集禁止事項"')
    response.assertTextIncludes(
      '(1) 思想、信条及び宗教に関する事項\n(2) 社会的差別の原因となる事実に関する事項'
    )
    response.assertTextIncludes('乙が業務を行うに当たり乙の電子計算機を使用した場合には')
    response.assertTextIncludes(`value="${setFields.name}"`)
    response.assertTextIncludes('action="/special-terms"') // saving posts the reviewed form
    assert.lengthOf(await SpecialTermSet.all(), 0)
  })

  test('the preview of a new version replaces the clauses and keeps duties of clauses with the same heading', async ({
    client,
    assert,
  }) => {
    const { officer } = await people()
    const first = await new CreateSpecialTermVersion(AuditLogger.system).handle(
      'standard-13',
      SPECIAL_TERMS_13
    )
    const response = await client
      .post(`/special-terms/${first.id}/preview`)
      .loginAs(officer)
      .withCsrfToken()
      .form({
        name: SPECIAL_TERMS_13.name,
        appliesTo: 'contractor',
        text: fixture('seed_001_pdf_13.txt'),
        ...blocks([{ heading: '監査', body: '旧', duty: 'audit' }]),
      })
    response.assertStatus(200)
    response.assertTextIncludes('13件の条項を読み取りました')
    response.assertTextIncludes('value="１"')
    response.assertTextIncludes(`action="/special-terms/${first.id}/versions"`)
    assert.match(response.text(), /id="clause-8-duty"[\s\S]*?<option value="audit" selected>/)
    assert.lengthOf(await SpecialTermSet.all(), 1)
  })

  test('an empty or unreadable text is refused in Japanese and the form comes back as typed', async ({
    client,
    assert,
  }) => {
    const { officer } = await people()
    const empty = await client
      .post('/special-terms/preview')
      .loginAs(officer)
      .withCsrfToken()
      .header('referer', '/special-terms/create')
      .form({ ...setFields, text: '' })
      .redirects(0)
    empty.assertHeader('location', '/special-terms/create')
    empty.assertFlashMessage('errors', { text: ['特記事項の全文を入力してください'] })

    const unreadable = await client
      .post('/special-terms/preview')
      .loginAs(officer)
      .withCsrfToken()
      .header('referer', '/special-terms/create')
      .form({ ...setFields, text: '番号のない文章だけ', ...blocks([{ body: '入力済みの条項' }]) })
      .redirects(0)
    unreadable.assertFlashMessage('errors', {
      text: [
        '貼り付けた文章から条項を読み取れませんでした。番号（1、１、第1条など）で始まる行があるか確認してください。',
      ],
    })
    const again = await client
      .get('/special-terms/create')
      .loginAs(officer)
      .withFlashMessages(unreadable.flashMessages())
    again.assertTextIncludes('番号のない文章だけ')
    again.assertTextIncludes('入力済みの条項')
    assert.lengthOf(await SpecialTermSet.all(), 0)
  })

  test('the previewed clauses save as they were read', async ({ client, assert }) => {
    const { officer } = await people()
    const text = fixture('seed_000_markdown_16.txt')
    const preview = await client
      .post('/special-terms/preview')
      .loginAs(officer)
      .withCsrfToken()
      .form({ ...setFields, text })
    // Send back exactly the fields the preview filled in.
    const unescape = (html: string) =>
      html
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&')
    const fields: Record<string, string> = {}
    const html = preview.text()
    for (const match of html.matchAll(
      /name="(clauses\[\d+\]\[(?:order|numberLabel|heading)\])"[^>]*value="([^"]*)"/g
    ))
      fields[match[1]] = unescape(match[2])
    for (const match of html.matchAll(
      /name="(clauses\[\d+\]\[(?:body|items)\])"[^>]*>([^<]*)<\/textarea>/g
    ))
      fields[match[1]] = unescape(match[2])
    assert.equal(
      fields['clauses[9][body]'],
      '乙は、この契約の終了後は、業務を行うために甲から提供され、又は乙が収集し、若しくは作成した個人情報が記録された資料等を甲に返還し、又は引き渡すものとし、乙が業務を行うに当たり乙の電子計算機を使用した場合には、当該電子計算機に記録された業務に係る個人情報を消去するものとする。ただし、甲が別に指示したときは、その指示によるものとする。'
    )
    await client
      .post('/special-terms')
      .loginAs(officer)
      .withCsrfToken()
      .form({ ...setFields, ...fields })
    const set = await SpecialTermSet.query()
      .where('name', setFields.name)
      .preload('clauses')
      .firstOrFail()
    assert.lengthOf(set.clauses, 16)
    assert.deepEqual(
      set.clauses.map((c) => c.numberLabel),
      Array.from({ length: 16 }, (_, i) => String(i + 1))
    )
    assert.deepEqual(set.clauses[4].items, [
      '(1) 思想、信条及び宗教に関する事項',
      '(2) 社会的差別の原因となる事実に関する事項',
      '(3) 犯罪に関する事項',
      '(4) その他区民の個人的秘密が侵害されるおそれがあると甲が認めた事項',
    ])
    assert.equal(set.clauses[15].heading, '損害の賠償')
  })
})

test.group('Special-terms library: who may change it', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('department staff and contractors get 403 on create, store and preview', async ({
    client,
    assert,
  }) => {
    const { staff, contractorUser } = await people()
    const first = await new CreateSpecialTermVersion(AuditLogger.system).handle(
      'standard-13',
      SPECIAL_TERMS_13
    )
    const form = {
      ...setFields,
      text: fixture('seed_004_markdown_13.txt'),
      ...blocks([{ body: '乙は、…' }]),
    }
    for (const user of [staff, contractorUser]) {
      const createPage = await client.get('/special-terms/create').loginAs(user)
      createPage.assertStatus(403)
      const newVersionPage = await client
        .get(`/special-terms/${first.id}/new-version`)
        .loginAs(user)
      newVersionPage.assertStatus(403)
      for (const url of [
        '/special-terms',
        '/special-terms/preview',
        `/special-terms/${first.id}/versions`,
        `/special-terms/${first.id}/preview`,
      ]) {
        const response = await client
          .post(url)
          .loginAs(user)
          .withCsrfToken()
          .form(form)
          .redirects(0)
        response.assertStatus(403)
      }
    }
    const library = await client.get('/special-terms').loginAs(staff)
    assert.notInclude(library.text(), 'href="/special-terms/create"')
    assert.lengthOf(await SpecialTermSet.all(), 1)
  })
})

test.group('Special-terms library: the set as written', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('the show page prints a shared heading once, numbers and items as written', async ({
    client,
    assert,
  }) => {
    const { officer } = await people()
    const set = await new CreateSpecialTermVersion(AuditLogger.system).handle('written', {
      name: '書かれたとおりの特記事項',
      appliesTo: 'contractor',
      clauses: [
        {
          numberLabel: '１',
          heading: '秘密の保持',
          body: '乙は、秘密を守る。',
          items: ['ア　氏名', '(ｱ) 住所'],
        },
        { numberLabel: '２', heading: '', body: '乙は、契約終了後も同様とする。', items: [] },
        {
          numberLabel: '第3条',
          heading: '監査',
          body: '乙は、監査を受ける。\n２　甲は、必要に応じて監査する。',
          items: ['立入調査', '書面調査'],
        },
        { heading: '', body: '番号なしの条項。', items: [] },
      ],
    })
    const page = await client.get(`/special-terms/${set.id}`).loginAs(officer)
    const html = page.text()
    assert.equal(html.split('（秘密の保持）').length - 1, 1)
    assert.include(html, '１　乙は、秘密を守る。')
    assert.include(html, '２　乙は、契約終了後も同様とする。')
    assert.include(html, '<li>ア　氏名</li>')
    assert.include(html, '<li>(ｱ) 住所</li>')
    assert.include(html, '第3条　乙は、監査を受ける。')
    assert.include(html, '<p>２　甲は、必要に応じて監査する。</p>')
    assert.include(html, '<li>（1）立入調査</li>') // an item entered without a marker is numbered
    assert.include(html, '4　番号なしの条項。')
  })
})
