import { mkdir, unlink, writeFile } from 'node:fs/promises'
import app from '@adonisjs/core/services/app'
import logger from '@adonisjs/core/services/logger'
import { cuid } from '@adonisjs/core/helpers'
import type CouncilImport from '#models/council_import'
import CouncilDocumentBuilder from '#services/council/council_document_builder'
import CouncilDocumentFile from '#services/council/council_document_file'
import { extractPdfText } from '#services/council/compare/compare'
import CouncilDocumentReader from '#services/council/import/draft_builder'

/**
 * 往復確認 of a confirmed import: the item's document as a real PDF, its text (pdftotext)
 * compared row by row with the source it was read from. Null when it cannot be run (no
 * pdftotext on the server): the import stays confirmed, the page says so.
 */
export default class ImportRoundTrip {
  static async of(record: CouncilImport): Promise<CouncilImport['roundTrip']> {
    if (record.councilItemId === null) return null
    const dir = app.tmpPath('council-imports')
    const file = `${dir}/${cuid()}.pdf`
    try {
      await mkdir(dir, { recursive: true, mode: 0o700 })
      const data = await CouncilDocumentBuilder.build(record.councilItemId)
      await writeFile(file, (await CouncilDocumentFile.pdf(data))!)
      const comparison = CouncilDocumentReader.roundTrip(
        await extractPdfText(file),
        record.sourceText,
        record.sourceKind
      )
      return {
        identical: comparison.identical,
        total: comparison.total,
        differences: comparison.rows
          .filter((row) => !row.identical)
          .map(({ section, label, actualLabel, expected, actual }) => ({
            section,
            label,
            ...(actualLabel ? { actualLabel } : {}),
            expected,
            actual,
          })),
      }
    } catch (error) {
      logger.error(
        { err: error, importId: record.id },
        'the round trip of a confirmed import failed'
      )
      return null
    } finally {
      await unlink(file).catch(() => {})
    }
  }
}
