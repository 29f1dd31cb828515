import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import drive from '@adonisjs/drive/services/main'
import db from '@adonisjs/lucid/services/db'
import iconv from 'iconv-lite'
import { DepartmentFactory } from '#database/factories/department_factory'
import { UserFactory } from '#database/factories/user_factory'
import JobQueue from '#services/jobs/job_queue'

/*
 * Issue 14 item 12: a CSV that is partly UTF-8 and partly CP932, or holds
 * bytes of neither, is reported line by line in the dry run and never
 * imported garbled. Also item 9: a right-to-left override in the uploaded
 * file's name does not reach the page.
 */

const HEADER =
  '旧ID,受付日,受付方法,種別,分野,件名,内容,氏名,電話番号,メールアドレス,住所,主管課コード,状態,回答内容,回答日'
const line = (id: string, subject: string) =>
  `${id},2013/4/10,一般投書,要望,,${subject},内容です,,,,,t-kocho,受付,,`
const utf8 = (...lines: string[]) => Buffer.from(lines.map((text) => `${text}\r\n`).join(''))
const cp932 = (...lines: string[]) =>
  iconv.encode(lines.map((text) => `${text}\r\n`).join(''), 'cp932')

async function officer() {
  await DepartmentFactory.merge({ code: 't-kocho', name: '広聴担当課', sortOrder: 1 }).create()
  return UserFactory.apply('privacyOfficer').create()
}

/** Uploads the file and lets its check run: the check's result page. */
async function check(
  client: any,
  user: any,
  content: Buffer,
  fields: Record<string, string> = {},
  filename = 'legacy.csv'
) {
  const response = await client
    .post('/legacy-imports/preview')
    .loginAs(user)
    .withCsrfToken()
    .file('file', content, { filename, contentType: 'text/csv' })
    .fields({ kind: 'opinions', encoding: 'auto', ...fields })
    .redirects(0)
  response.assertStatus(303)
  await JobQueue.idle()
  const page = await client.get(response.header('location')).loginAs(user)
  page.assertStatus(200)
  return page
}

/** The problem rows of the report page: line, column, message. */
function problemRow(text: string, lineNo: number, message: string) {
  return new RegExp(`<td>${lineNo}</td>\\s*<td></td>\\s*<td>[^<]*${message}`).test(text)
}

const countOf = async (table: string) => {
  const [row] = await db.from(table).count('* as total')
  return Number(row.total)
}
const opinionCount = () => countOf('opinions')
const stagedCount = () => countOf('legacy_import_rows')

test.group('Legacy import: mixed and broken encodings', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => {
    drive.fake('fs')
    return () => drive.restore('fs')
  })

  test('a file partly UTF-8, partly CP932 is reported by line and nothing is imported', async ({
    client,
    assert,
  }) => {
    const user = await officer()
    const mixed = Buffer.concat([
      utf8(HEADER, line('OP-1', '防災無線'), line('OP-2', '駐輪場')),
      cp932(line('OP-3', '窓口の対応'), line('OP-4', '公園の遊具')),
      utf8(line('OP-5', '図書館')),
    ])
    const preview = await check(client, user, mixed)
    const text = preview.text()
    assert.isTrue(problemRow(text, 4, 'この行はShift_JIS（CP932）で書かれており'), 'line 4 named')
    assert.isTrue(problemRow(text, 5, 'この行はShift_JIS（CP932）で書かれており'), 'line 5 named')
    assert.isFalse(problemRow(text, 2, 'Shift_JIS'), 'UTF-8 lines are fine')
    assert.notInclude(text, '\uFFFD', 'nothing shown garbled')

    preview.assertTextIncludes('問題があるため取り込めません')
    assert.notInclude(text, 'この内容で取り込む')
    assert.equal(await stagedCount(), 0)
    assert.equal(await opinionCount(), 0)

    // Mostly CP932 with one UTF-8 line: the UTF-8 line is the odd one out.
    const mostlySjis = Buffer.concat([
      cp932(HEADER, line('OP-1', '防災無線'), line('OP-2', '駐輪場')),
      utf8(line('OP-3', '図書館')),
    ])
    const sjisPreview = await check(client, user, mostlySjis)
    assert.isTrue(problemRow(sjisPreview.text(), 4, 'この行はUTF-8で書かれており'))
  })

  test('bytes that are neither UTF-8 nor CP932, and NUL, are problems of their line', async ({
    client,
    assert,
  }) => {
    const user = await officer()
    const broken = Buffer.concat([
      utf8(HEADER, line('OP-1', '防災無線')),
      Buffer.from('OP-2,2013/4/10,一般投書,要望,,件名'),
      Buffer.from([0x85, 0x40, 0xff]),
      Buffer.from(',内容,,,,,t-kocho,受付,,\r\n'),
      utf8(line('OP-3', '件名\u0000です')),
    ])
    const preview = await check(client, user, broken)
    assert.isTrue(
      problemRow(preview.text(), 3, 'UTF-8としてもShift_JIS（CP932）としても読めない文字があります')
    )
    assert.isTrue(problemRow(preview.text(), 4, '制御文字（NULなど）が含まれています'))
    assert.notInclude(preview.text(), 'この内容で取り込む')
    assert.equal(await stagedCount(), 0)
    assert.equal(await opinionCount(), 0)
  })

  test('a right-to-left override in the file name is removed from the page', async ({ client }) => {
    const user = await officer()
    const preview = await check(
      client,
      user,
      utf8(HEADER, line('OP-1', '防災無線')),
      {},
      '旧データ\u202Evsc.exe\u200F.csv'
    )
    preview.assertTextIncludes('旧データvsc.exe.csv')
    if (preview.text().includes('\u202E') || preview.text().includes('\u200F'))
      throw new Error('bidi control shown')
  })
})
