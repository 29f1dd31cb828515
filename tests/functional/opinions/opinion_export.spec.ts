import { test } from '@japa/runner'
import iconv from 'iconv-lite'
import { parse } from 'csv-parse/sync'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import Opinion from '#models/opinion'
import { UserFactory } from '#database/factories/user_factory'
import OpinionExport, { type ExportProgress } from '#services/opinions/opinion_export'
import { lastAudit } from '#tests/helpers'
import { knownOpinions, makeOpinion } from '#tests/functional/opinions/opinion_statistics_fixtures'

const HEADER = [
  '受付番号',
  '受付日',
  '年度',
  '経路',
  '種別',
  '分野',
  '件名',
  '内容',
  '主管課',
  '状態',
  '回答期限',
  '回答日',
  '回答日数',
]

function rowsOf(text: string): string[][] {
  return parse(text.replace(/^\uFEFF/, ''), { relax_column_count: false })
}

/** The bytes of an export (the API client decodes every text response as UTF-8). */
async function bytesOf(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

async function lastExportDetails() {
  const audit = await lastAudit('opinions.export')
  return { audit: audit!, details: JSON.parse(audit!.details!) }
}

test.group('Opinion CSV export', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('UTF-8 with BOM by default: the 13 columns, Japanese labels, filters of the statistics page', async ({
    client,
    assert,
  }) => {
    const { opinions } = await knownOpinions()
    const operator = await UserFactory.apply('operator').create()
    const response = await client
      .get('/opinions/export.csv?fiscalYear=2025&channel=postcard')
      .loginAs(operator)
    response.assertStatus(200)
    assert.include(response.header('content-type'), 'text/csv')
    assert.include(response.header('content-disposition'), 'opinions-2025-')
    assert.equal(Buffer.from(response.text(), 'utf8').subarray(0, 3).toString('hex'), 'efbbbf')
    const rows = rowsOf(response.text())
    assert.deepEqual(rows[0], HEADER)
    assert.lengthOf(rows, 3)
    const r10 = opinions[9]
    assert.deepEqual(rows[1], [
      `2025-${String(r10.id).padStart(6, '0')}`,
      '2025-06-09',
      '2025',
      '区長へのはがき',
      '意見',
      'ごみ・リサイクル',
      '公園の清掃について',
      '公園のごみが気になります。',
      '危機管理課',
      '回答済',
      '2025-06-20',
      '2025-06-20',
      '10',
    ])
    assert.equal(rows[2][12], '15')
  })

  test('no personal data of the submitter ever appears in the CSV', async ({ client, assert }) => {
    await knownOpinions()
    const opinion = await makeOpinion({
      channel: 'call_center',
      receivedAt: '2025-07-01T21:00:00',
      status: 'received',
      subject: '夜間の騒音',
      body: '近所の工事がうるさい',
    })
    opinion.merge({
      submitterName: '山田 花子',
      submitterPhone: '03-1234-5678',
      submitterEmail: 'hanako@example.jp',
      submitterAddress: '新宿区西新宿二丁目8番1号',
      submitterPostalCode: '163-8001',
      submitterFax: '03-9999-0000',
    })
    await opinion.save()
    const operator = await UserFactory.apply('operator').create()
    const response = await client.get('/opinions/export.csv?fiscalYear=all').loginAs(operator)
    response.assertStatus(200)
    const text = response.text()
    assert.include(text, '夜間の騒音')
    for (const secret of [
      '山田',
      '花子',
      '1234-5678',
      'hanako',
      'example.jp',
      '西新宿',
      '163-8001',
      '9999',
    ]) {
      assert.notInclude(text, secret)
    }
    const stored = await db.from('opinions').where('id', opinion.id).first()
    assert.notInclude(rowsOf(text).flat().join('\n'), stored.submitter_name)
  })

  test('Shift_JIS on request: the header decodes from CP932, 〜 becomes ～ and characters CP932 lacks become 〓 (髙 is in CP932)', async ({
    client,
    assert,
  }) => {
    await makeOpinion({
      channel: 'email',
      receivedAt: '2025-08-01T10:00:00',
      status: 'received',
      subject: '髙橋さんの𠮷野家〜前の道路♡',
      body: '歩道が狭い',
    })
    const operator = await UserFactory.apply('operator').create()
    const response = await client
      .get('/opinions/export.csv?fiscalYear=2025&encoding=cp932')
      .loginAs(operator)
    response.assertStatus(200)
    assert.include(response.header('content-type'), 'Shift_JIS')
    assert.include(response.header('content-disposition'), '-sjis.csv')
    const bytes = await bytesOf(
      OpinionExport.stream(operator, { fiscalYear: 2025 }, { encoding: 'cp932' })
    )
    assert.notEqual(bytes.subarray(0, 3).toString('hex'), 'efbbbf')
    const rows = rowsOf(iconv.decode(bytes, 'cp932'))
    assert.deepEqual(rows[0], HEADER)
    assert.equal(rows[1][6], '髙橋さんの〓野家～前の道路〓')
    assert.equal(rows[1][3], '電子メール')

    const { details } = await lastExportDetails()
    assert.equal(details.encoding, 'cp932')
    assert.equal(details.replacedCharacters, 2)
  })

  test('each export is audit-logged with its filters and row count, and nothing personal', async ({
    client,
    assert,
  }) => {
    const { tree } = await knownOpinions()
    const operator = await UserFactory.apply('operator').create()
    const response = await client
      .get(`/opinions/export.csv?fiscalYear=2025&departmentId=${tree.kocho.id}`)
      .loginAs(operator)
    response.assertStatus(200)
    assert.lengthOf(rowsOf(response.text()), 1 + 8)
    const { audit, details } = await lastExportDetails()
    assert.equal(audit.actorId, operator.id)
    assert.deepInclude(details, {
      fiscalYear: 2025,
      departmentId: tree.kocho.id,
      encoding: 'utf8',
      rows: 8,
      completed: true,
    })
    assert.notInclude(audit.details!, '公園')
  })

  test('department staff export only their opinions; contractors get 403', async ({
    client,
    assert,
  }) => {
    const { tree } = await knownOpinions()
    const staff = await UserFactory.merge({ departmentId: tree.kikikanri.id }).create()
    const response = await client.get('/opinions/export.csv?fiscalYear=all').loginAs(staff)
    response.assertStatus(200)
    assert.lengthOf(rowsOf(response.text()), 1 + 5)

    const contractor = await UserFactory.apply('contractor').create()
    const forbidden = await client.get('/opinions/export.csv').loginAs(contractor)
    forbidden.assertStatus(403)
    assert.isNull(
      await db
        .from('audit_logs')
        .where('action', 'opinions.export')
        .where('actor_id', contractor.id)
        .first()
    )
  })

  test('20,000 rows stream in keyset batches smaller than the export, each row once, in order', async ({
    client,
    assert,
  }) => {
    const postgres = db.connection().dialect.name === 'postgres'
    const stamp = postgres ? '2025-09-01T10:00:00+09:00' : '2025-09-01 10:00:00'
    const total = 20_000
    for (let start = 0; start < total; start += 500) {
      await db.table('opinions').multiInsert(
        Array.from({ length: 500 }, (_, index) => ({
          channel: 'web',
          kind: 'inquiry',
          subject: `問合せ${start + index + 1}`,
          body: '保育園の空き状況',
          received_at: stamp,
          fiscal_year: 2025,
          received_month: '2025-09',
          status: 'received',
          anonymous: postgres ? false : 0,
          reply_wanted: postgres ? false : 0,
          collected_by_call_center: postgres ? false : 0,
          created_at: stamp,
          updated_at: stamp,
        }))
      )
    }
    const operator = await UserFactory.apply('operator').create()

    const progress: ExportProgress = { rows: 0, batches: 0, replaced: 0 }
    const ids: number[] = []
    for await (const row of OpinionExport.rows(
      operator,
      { fiscalYear: 2025 },
      { encoding: 'utf8', batchSize: 3000, progress }
    )) {
      ids.push(Number(String(row.referenceNo).split('-')[1]))
    }
    assert.equal(progress.rows, total)
    assert.equal(progress.batches, 7) // 6 full batches of 3,000 and one of 2,000
    assert.lengthOf(new Set(ids), total)
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => a - b)
    )

    const response = await client.get('/opinions/export.csv?fiscalYear=2025').loginAs(operator)
    response.assertStatus(200)
    const rows = rowsOf(response.text())
    assert.lengthOf(rows, 1 + total)
    assert.equal(rows[total][6], `問合せ${total}`)
    const { details } = await lastExportDetails()
    assert.equal(details.rows, total)
    assert.equal(
      await Opinion.query()
        .where('fiscalYear', 2025)
        .count('* as n')
        .then((r) => Number(r[0].$extras.n)),
      total
    )
  })
})
