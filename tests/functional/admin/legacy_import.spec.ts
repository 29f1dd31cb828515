import { createHash } from 'node:crypto'
import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import iconv from 'iconv-lite'
import { DepartmentFactory } from '#database/factories/department_factory'
import FaqEntry from '#models/faq_entry'
import Opinion from '#models/opinion'
import Topic from '#models/topic'
import fieldEncryption from '#services/field_encryption'
import BigramSearch from '#services/search/bigram_search'
import { UserFactory } from '#database/factories/user_factory'
import { lastAudit } from '#tests/helpers'

const OPINION_HEADER =
  '旧ID,受付日,受付方法,種別,分野,件名,内容,氏名,電話番号,メールアドレス,住所,主管課コード,状態,回答内容,回答日'
const FAQ_HEADER =
  '旧ID,分野,所属コード,質問,回答,キーワード,関連リンク,内部メモ,コールセンター公開,状態'

const csv = (...lines: string[]) => `${lines.join('\r\n')}\r\n`

/** Three opinions of the old system: with a reply, anonymous, and one whose body spans two lines. */
const OPINIONS = csv(
  OPINION_HEADER,
  'OP-1001,2013/4/10,一般投書,要望,防災・防犯・安全,防災無線が聞こえにくい,"西新宿で防災無線が聞こえません。",新宿 花子,03-1234-5678,hanako@example.jp,新宿区西新宿二丁目8番1号,t-kocho,完了,"ご意見ありがとうございます。スピーカーの向きを調整しました。",2013/4/24',
  'OP-1002,2013-05-01 10:30,メール,意見,traffic,駐輪場について,駐輪場を増やしてほしい。,,,,,t-kocho,受付,,',
  'OP-1003,2013/6/3,区長へのはがき,苦情,,窓口の対応,"窓口で長く待たされた。\n改善してください。",区民 太郎,,,新宿区四谷一丁目,t-kiki,対応中,,'
)

/** Two FAQ entries of the old FAQ system (one published, one draft). */
const FAQS = csv(
  FAQ_HEADER,
  'FAQ-1,safety,t-kiki,防災マップはどこで入手できますか,区役所と各特別出張所で配布しています。,ハザードマップ,"防災マップ https://www.city.example.jp/bosai",在庫は危機管理課に確認,1,公開',
  'FAQ-2,道路・交通・自転車,t-kocho,駐輪場の利用料金は,一時利用は1回100円です。,,,,0,下書き'
)

async function scene() {
  await DepartmentFactory.merge([
    { code: 't-kocho', name: '広聴担当課', sortOrder: 1 },
    { code: 't-kiki', name: '危機管理課', sortOrder: 2 },
  ]).createMany(2)
  const officer = await UserFactory.apply('privacyOfficer').create()
  return { officer }
}

function upload(
  client: any,
  url: string,
  user: any,
  kind: string,
  content: Buffer | string,
  fields: Record<string, string> = {}
) {
  return client
    .post(url)
    .loginAs(user)
    .withCsrfToken()
    .file('file', Buffer.isBuffer(content) ? content : Buffer.from(content), {
      filename: 'legacy.csv',
      contentType: 'text/csv',
    })
    .fields({ kind, encoding: 'auto', ...fields })
}

async function importFile(
  client: any,
  user: any,
  kind: string,
  content: Buffer | string,
  encoding = 'auto'
) {
  const preview = await upload(client, '/legacy-imports/preview', user, kind, content, { encoding })
  // The page offers the confirmation only without problems; a direct post with the right checksum is refused too.
  const checksum = createHash('sha256')
    .update(Buffer.isBuffer(content) ? content : Buffer.from(content))
    .digest('hex')
  const imported = await upload(client, '/legacy-imports', user, kind, content, {
    encoding,
    checksum,
  })
  return { preview, imported }
}

const count = async (table: string) => {
  const [row] = await db.from(table).count('* as total')
  return Number(row.total)
}

test.group('Legacy import: opinions', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('dry run saves nothing and reports counts; the import creates opinions through the model', async ({
    client,
    assert,
  }) => {
    const { officer } = await scene()
    const preview = await upload(client, '/legacy-imports/preview', officer, 'opinions', OPINIONS)
    preview.assertStatus(200)
    preview.assertTextIncludes('問題はありません。同じファイルを選んで取り込んでください。')
    assert.equal(await count('opinions'), 0)

    const { imported } = await importFile(client, officer, 'opinions', OPINIONS)
    imported.assertStatus(200)
    imported.assertTextIncludes('3件を取り込みました。')

    const opinion = await Opinion.query()
      .where('legacyId', 'OP-1001')
      .preload('assignments')
      .preload('replies')
      .firstOrFail()
    assert.equal(opinion.channel, 'letter')
    assert.equal(opinion.kind, 'request')
    assert.equal(opinion.status, 'closed')
    const safety = await Topic.findByOrFail('code', 'safety')
    assert.equal(opinion.topicId, safety.id)
    assert.equal(opinion.fiscalYear, 2013)
    assert.equal(opinion.receivedMonth, '2013-04')
    assert.isNotNull(opinion.dueOn)
    assert.equal(opinion.submitterName, '新宿 花子')
    assert.equal(opinion.nameIndex, fieldEncryption.nameIndex('新宿 花子'))
    assert.equal(opinion.phoneIndex, fieldEncryption.phoneIndex('03-1234-5678'))
    assert.equal(opinion.emailIndex, fieldEncryption.emailIndex('hanako@example.jp'))
    const raw = await db.from('opinions').where('legacy_id', 'OP-1001').first()
    assert.notInclude(`${raw.submitter_name}${raw.submitter_phone}${raw.submitter_address}`, '花子')
    assert.notInclude(`${raw.submitter_address}`, '西新宿')

    assert.lengthOf(opinion.assignments, 1)
    assert.isTrue(opinion.assignments[0].isLead)
    assert.equal(opinion.assignments[0].forwardedAt.toMillis(), opinion.receivedAt.toMillis())
    assert.lengthOf(opinion.replies, 1)
    assert.equal(opinion.replies[0].status, 'sent')
    assert.equal(opinion.replies[0].method, 'letter')
    assert.include(opinion.replies[0].body, 'スピーカーの向きを調整しました')
    assert.isNotNull(opinion.repliedAt)
    assert.equal(opinion.replyOpenDays, 10)

    const anonymous = await Opinion.findByOrFail('legacyId', 'OP-1002')
    assert.isTrue(anonymous.anonymous)
    assert.isFalse(anonymous.replyWanted)
    assert.isNull(anonymous.dueOn)
    assert.equal(
      anonymous.receivedAt.setZone('Asia/Tokyo').toFormat('yyyy-MM-dd HH:mm'),
      '2013-05-01 10:30'
    )
    const multiLine = await Opinion.findByOrFail('legacyId', 'OP-1003')
    assert.equal(multiLine.body, '窓口で長く待たされた。\n改善してください。')
    assert.isNull(multiLine.topicId)

    // Searchable (opinion index rebuilt), and audited with counts only.
    assert.include(await BigramSearch.candidateIds('opinion', 'スピーカー'), opinion.id)
    const audit = (await lastAudit('legacy_import.opinions'))!
    assert.equal(audit.actorId, officer.id)
    assert.deepInclude(JSON.parse(audit.details!), { rows: 3, created: 3, skipped: 0 })
    assert.notInclude(audit.details!, '花子')
  })

  test('every problem is reported with its line and column; nothing is saved', async ({
    client,
    assert,
  }) => {
    const { officer } = await scene()
    const bad = csv(
      OPINION_HEADER,
      'OP-1,2013/4/10,一般投書,要望,,件名,内容,,,,,t-kocho,受付,,',
      'OP-2,2013/13/40,伝書鳩,感想,存在しない分野,,内容,,03-ABC,not-an-email,,nowhere,受付,回答しました,',
      'OP-1,2013/4/11,メール,意見,,件名,内容,,,,,t-kocho,受付,,',
      'OP-4,2013/4/12,メール,意見,,件名,内容,,,,,t-kocho,受付',
      'OP-5,2013/4/12,メール,意見,,件名,"閉じていない引用符,,,,,t-kocho,受付,,'
    )
    const preview = await upload(client, '/legacy-imports/preview', officer, 'opinions', bad)
    preview.assertStatus(200)
    preview.assertTextIncludes('問題があるため取り込めません')
    const text = preview.text()
    const row = (line: number, column: string, message: string) => {
      const pattern = new RegExp(`<td>${line}</td>\\s*<td>${column}</td>\\s*<td>${message}`)
      assert.match(text, pattern, `line ${line} ${column}: ${message}`)
    }
    row(3, '受付日', '受付日「2013/13/40」を日付として読めません')
    row(3, '受付方法', '受付方法「伝書鳩」は使えません。')
    row(3, '種別', '種別「感想」は使えません。')
    row(3, '分野', '分野「存在しない分野」がありません')
    row(3, '件名', '件名を入力してください。')
    row(3, '電話番号', '電話番号の形式が正しくありません。')
    row(3, 'メールアドレス', 'メールアドレスの形式が正しくありません。')
    row(3, '主管課コード', '所属コード「nowhere」の所属がありません。')
    row(3, '回答日', '回答内容があるときは回答日を入力してください。')
    row(4, '旧ID', '旧ID「OP-1」が2行目と重複しています。')
    row(5, '', '列の数が見出しと違います（見出し15列、この行13列）。')
    row(6, '', '引用符（&quot;）が閉じられていません。')

    // The import refuses the same file and saves nothing, not even the good first line.
    const { imported } = await importFile(client, officer, 'opinions', bad)
    imported.assertStatus(422)
    imported.assertTextIncludes('何も保存していません')
    assert.equal(await count('opinions'), 0)
    assert.equal(await count('opinion_departments'), 0)
    assert.isNull(await lastAudit('legacy_import.opinions'))
  })

  test('a rerun creates no duplicates: imported legacy ids are skipped, new ones added', async ({
    client,
    assert,
  }) => {
    const { officer } = await scene()
    await importFile(client, officer, 'opinions', OPINIONS)
    assert.equal(await count('opinions'), 3)

    const again = await importFile(client, officer, 'opinions', OPINIONS)
    again.preview.assertTextIncludes('取り込み済みのため飛ばす件数')
    assert.match(again.preview.text(), /取り込み済みのため飛ばす件数<\/dt><dd>3<\/dd>/)
    assert.equal(await count('opinions'), 3)
    assert.equal(await count('opinion_replies'), 1)

    const more =
      OPINIONS +
      'OP-1004,2013/7/1,窓口,問合せ,,住民票の写し,取り方を知りたい。,,,,,t-kocho,受付,,\r\n'
    const third = await importFile(client, officer, 'opinions', more)
    third.imported.assertTextIncludes('1件を取り込みました。')
    assert.equal(await count('opinions'), 4)
    assert.equal(await count('opinion_departments'), 4)
  })

  test('CP932 (Shift_JIS) files are detected and decoded', async ({ client, assert }) => {
    const { officer } = await scene()
    const sjis = iconv.encode(OPINIONS, 'cp932')
    assert.isFalse(Buffer.from(OPINIONS).equals(sjis))
    const { preview, imported } = await importFile(client, officer, 'opinions', sjis)
    preview.assertTextIncludes('Shift_JIS（CP932）')
    imported.assertTextIncludes('3件を取り込みました。')
    const opinion = await Opinion.findByOrFail('legacyId', 'OP-1001')
    assert.equal(opinion.subject, '防災無線が聞こえにくい')
    assert.equal(opinion.submitterAddress, '新宿区西新宿二丁目8番1号')

    // Read as UTF-8 when the user says so: the problem is named, nothing is imported.
    const forced = await upload(client, '/legacy-imports/preview', officer, 'opinions', sjis, {
      encoding: 'utf8',
    })
    forced.assertTextIncludes('UTF-8として読めない文字があります')
  })

  test('only privacy officers and administrators import; a changed file is refused at confirmation', async ({
    client,
    assert,
  }) => {
    const { officer } = await scene()
    const staff = await UserFactory.create()
    const operator = await UserFactory.apply('operator').create()
    for (const user of [staff, operator]) {
      const deniedIndex = await client.get('/legacy-imports').loginAs(user)
      deniedIndex.assertStatus(403)
      const deniedPreview = await upload(
        client,
        '/legacy-imports/preview',
        user,
        'opinions',
        OPINIONS
      )
      deniedPreview.assertStatus(403)
    }
    const admin = await UserFactory.apply('admin').create()
    const allowed = await client.get('/legacy-imports').loginAs(admin)
    allowed.assertStatus(200)

    const preview = await upload(client, '/legacy-imports/preview', officer, 'opinions', OPINIONS)
    const checksum = /name="checksum" value="([0-9a-f]{64})"/.exec(preview.text())![1]
    const changed = await upload(
      client,
      '/legacy-imports',
      officer,
      'opinions',
      OPINIONS.replace('OP-1002', 'OP-9999'),
      { checksum }
    ).redirects(0)
    changed.assertStatus(302)
    assert.equal(await count('opinions'), 0)
    // No file: a Japanese message, not an error page.
    const noFile = await client
      .post('/legacy-imports/preview')
      .loginAs(officer)
      .withCsrfToken()
      .header('referer', '/legacy-imports')
      .fields({ kind: 'opinions', encoding: 'auto' })
    noFile.assertTextIncludes('ファイルを選択してください')
  })
})

test.group('Legacy import: FAQ', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('published entries come online with an approved version 1; drafts stay drafts; rerun skips', async ({
    client,
    assert,
  }) => {
    const { officer } = await scene()
    const { imported } = await importFile(client, officer, 'faq', FAQS)
    imported.assertTextIncludes('2件を取り込みました。')
    const published = await FaqEntry.query()
      .where('legacyId', 'FAQ-1')
      .preload('publishedVersion')
      .firstOrFail()
    assert.equal(published.status, 'published')
    assert.equal(published.publishedVersion.version, 1)
    assert.equal(published.publishedVersion.state, 'approved')
    assert.isTrue(published.publishedVersion.visibleToCallCenter)
    assert.deepEqual(published.relatedLinks, [
      { label: '防災マップ', url: 'https://www.city.example.jp/bosai' },
    ])
    const draft = await FaqEntry.findByOrFail('legacyId', 'FAQ-2')
    assert.equal(draft.status, 'draft')
    assert.isNull(draft.publishedVersionId)

    const hits = await client.get('/faq').qs({ q: '防災' })
    hits.assertTextIncludes('防災マップはどこで入手できますか')
    const noHits = await client.get('/faq').qs({ q: '駐輪' })
    noHits.assertTextIncludes('該当する質問は見つかりませんでした')

    await importFile(client, officer, 'faq', FAQS)
    assert.equal(await count('faq_entries'), 2)
    assert.equal(await count('faq_versions'), 1)
    assert.deepInclude(JSON.parse((await lastAudit('legacy_import.faq'))!.details!), {
      rows: 2,
      created: 0,
      skipped: 2,
    })
  })

  test('bad FAQ lines are reported by line; a missing header column stops at line 1', async ({
    client,
    assert,
  }) => {
    const { officer } = await scene()
    const bad = csv(
      FAQ_HEADER,
      'FAQ-9,なし,t-kiki,質問,回答,,javascript:alert(1),,はい,公開',
      'FAQ-10,safety,t-kiki,,,,,,2,承認済み'
    )
    const preview = await upload(client, '/legacy-imports/preview', officer, 'faq', bad)
    const text = preview.text()
    assert.match(text, /<td>2<\/td>\s*<td>分野<\/td>\s*<td>分野「なし」がありません/)
    assert.match(
      text,
      /<td>2<\/td>\s*<td>関連リンク<\/td>\s*<td>関連リンクの1行目「javascript:alert\(1\)」がhttp\(s\)のアドレスではありません。/
    )
    assert.match(text, /<td>3<\/td>\s*<td>質問<\/td>\s*<td>質問を入力してください。/)
    assert.match(text, /<td>3<\/td>\s*<td>コールセンター公開<\/td>/)
    assert.match(text, /<td>3<\/td>\s*<td>状態<\/td>\s*<td>状態「承認済み」は使えません/)

    const noQuestion = await upload(
      client,
      '/legacy-imports/preview',
      officer,
      'faq',
      csv('旧ID,分野,所属コード,回答', 'F,safety,t-kiki,回答')
    )
    assert.match(
      noQuestion.text(),
      /<td>1<\/td>\s*<td>質問<\/td>\s*<td>見出しに「質問」の列がありません。/
    )
    const { imported } = await importFile(client, officer, 'faq', bad)
    imported.assertStatus(422)
    assert.equal(await count('faq_entries'), 0)
  })
})
