import { test } from '@japa/runner'
import { readFile } from 'node:fs/promises'
import testUtils from '@adonisjs/core/services/test_utils'
import { UserFactory } from '#database/factories/user_factory'
import type { CsvEncoding } from '#services/csv/csv_export'
import OpinionExport, { type ExportProgress } from '#services/opinions/opinion_export'
import { FIXTURE_ROWS, insertExportFixture } from '#tests/fixtures/opinion_export_rows'

/*
 * The fixture files were written by the export as it was before it formatted whole batches
 * (one row at a time through csv-stringify and a Shift_JIS encoder): the file a user gets must
 * not change by a byte, whatever the batch size.
 */
const FIXTURES: Record<CsvEncoding, URL> = {
  utf8: new URL('../../fixtures/csv/opinion_export_utf8.csv', import.meta.url),
  cp932: new URL('../../fixtures/csv/opinion_export_sjis.csv', import.meta.url),
}

/** 〓 written in the Shift_JIS fixture (𠮷 ♡ é ㋿ in texts, topic and department names). */
const REPLACED_IN_FIXTURE = 261

test.group('Opinion CSV export: the same bytes as before', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  for (const encoding of ['utf8', 'cp932'] as const) {
    test(`${encoding}: 300 rows over several batches give the fixture file byte for byte`, async ({
      assert,
    }) => {
      await insertExportFixture()
      const operator = await UserFactory.apply('operator').create()
      const expected = await readFile(FIXTURES[encoding])

      for (const batchSize of [64, 1000]) {
        const progress: ExportProgress = { rows: 0, batches: 0, replaced: 0 }
        const chunks: Buffer[] = []
        for await (const chunk of OpinionExport.stream(
          operator,
          {},
          { encoding, batchSize, progress }
        )) {
          chunks.push(chunk as Buffer)
        }
        const written = Buffer.concat(chunks)

        assert.equal(progress.rows, FIXTURE_ROWS)
        assert.equal(progress.batches, Math.ceil(FIXTURE_ROWS / batchSize))
        assert.equal(progress.replaced, encoding === 'cp932' ? REPLACED_IN_FIXTURE : 0)
        assert.equal(written.length, expected.length, `batches of ${batchSize}`)
        assert.isTrue(written.equals(expected), `batches of ${batchSize}: bytes differ`)
      }
    })
  }
})
