import { readFile } from 'node:fs/promises'
import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import CouncilImport from '#models/council_import'
import CouncilItem from '#models/council_item'
import { UserFactory } from '#database/factories/user_factory'
import { CitizenFactory } from '#database/factories/citizen_factory'
import { departmentTree } from '#tests/helpers'

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
    const response = await client
      .post(`/council/imports/${record.id}/confirm`)
      .loginAs(officer)
      .withCsrfToken()
      .redirects(0)
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
      const confirm = await client
        .post(`/council/imports/${record.id}/confirm`)
        .loginAs(user)
        .withCsrfToken()
        .redirects(0)
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
  for (const match of form.matchAll(/<input([^>]*)>/g)) {
    const attrs = match[1]
    const name = attrs.match(/name="([^"]+)"/)?.[1]
    if (!name || name === '_csrf') continue
    const value = decode(attrs.match(/value="([^"]*)"/)?.[1] ?? '')
    if (/type="checkbox"/.test(attrs)) {
      if (!/\schecked/.test(attrs)) continue
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
