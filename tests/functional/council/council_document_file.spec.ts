import { readdir, rm } from 'node:fs/promises'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import testUtils from '@adonisjs/core/services/test_utils'
import DemoData from '#database/demo/demo_data'
import User from '#models/user'
import PrintCouncilDocument from '#actions/council/print_council_document'
import CouncilDocumentFile from '#services/council/council_document_file'
import PdfRenderer from '#services/pdf_renderer'
import { createSeedCouncilItem, SEED_COUNCIL_ITEMS } from '#database/demo/seed_council_items'
import AuditLogger from '#services/audit_logger'

/**
 * Issue 17, point 7: a council document is made once while its data is unchanged, and a page
 * that would wait longer than a second for one says that it is being made instead.
 */
test.group('Council document PDF: made once, and said while being made', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => {
    const dir = app.tmpPath(`council-pdf-test-${process.pid}`)
    const previous = CouncilDocumentFile.dir
    CouncilDocumentFile.dir = dir
    await rm(dir, { recursive: true, force: true })
    return async () => {
      CouncilDocumentFile.dir = previous
      await rm(dir, { recursive: true, force: true })
    }
  })
  group.each.timeout(60_000)

  test('the same data is rendered once; a change of the register makes a new file', async ({
    assert,
  }) => {
    await DemoData.load({ inProduction: false })
    const item = await createSeedCouncilItem(SEED_COUNCIL_ITEMS[0])
    const renders: number[] = []
    const render = PdfRenderer.render
    PdfRenderer.render = async (definition) => {
      renders.push(1)
      return render(definition)
    }
    try {
      const first = await new PrintCouncilDocument(AuditLogger.system).handle(item)
      const second = await new PrintCouncilDocument(AuditLogger.system).handle(item)
      assert.equal(renders.length, 1)
      assert.isTrue(first!.equals(second!))
      assert.lengthOf(await readdir(CouncilDocumentFile.dir), 1)

      item.subject = `${item.subject}（改訂）`
      await item.save()
      await new PrintCouncilDocument(AuditLogger.system).handle(item)
      assert.equal(renders.length, 2)
      assert.lengthOf(await readdir(CouncilDocumentFile.dir), 2)
    } finally {
      PdfRenderer.render = render
    }
  })

  test('a document still being made gets a page that says so, then the PDF', async ({
    client,
    assert,
  }) => {
    await DemoData.load({ inProduction: false })
    const item = await createSeedCouncilItem(SEED_COUNCIL_ITEMS[0])
    const officer = await User.findByOrFail('email', 'privacy@demo.daicho.jp')
    const waitMs = PrintCouncilDocument.waitMs
    PrintCouncilDocument.waitMs = 0
    try {
      const pending = await client.get(`/council/items/${item.id}/document.pdf`).loginAs(officer)
      pending.assertStatus(202)
      pending.assertTextIncludes('審議会資料を作成しています')
      pending.assertTextIncludes('http-equiv="refresh"')
      assert.equal(pending.header('retry-after'), '2')

      // Made in the background meanwhile: the next request (the page reloads itself) gets it.
      PrintCouncilDocument.waitMs = 60_000
      const done = await client.get(`/council/items/${item.id}/document.pdf`).loginAs(officer)
      done.assertStatus(200)
      assert.equal(done.header('content-type'), 'application/pdf')
    } finally {
      PrintCouncilDocument.waitMs = waitMs
    }
  })
})
