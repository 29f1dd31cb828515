import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { test } from '@japa/runner'
import CouncilDocument from '#services/council/council_document_pdf'
import { COUNCIL_DOCUMENT_SAMPLE } from '#services/council/council_document_sample'
import PdfRenderer from '#services/pdf_renderer'

const run = promisify(execFile)

test.group('The council document web processes render as they start', (group) => {
  group.each.timeout(60_000)
  group.teardown(() => PdfRenderer.shutdown())

  test('warming up renders it in the worker, and it is a Japanese council document with annexes and special terms', async ({
    assert,
  }) => {
    const definition = CouncilDocument.definition(COUNCIL_DOCUMENT_SAMPLE)
    await PdfRenderer.warmUp([definition])

    const dir = await mkdtemp(join(tmpdir(), 'daicho-sample-'))
    try {
      const file = join(dir, 'sample.pdf')
      await writeFile(file, await PdfRenderer.render(definition))
      const { stdout: info } = await run('pdfinfo', [file])
      assert.isAbove(Number(/Pages:\s+(\d+)/.exec(info)?.[1]), 4)
      const { stdout: text } = await run('pdftotext', ['-raw', '-enc', 'UTF-8', file, '-'])
      const flat = text.replace(/\s+/g, '')
      assert.include(flat, COUNCIL_DOCUMENT_SAMPLE.subject)
      assert.include(flat, '別紙')
      assert.include(flat, '特記事項')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
