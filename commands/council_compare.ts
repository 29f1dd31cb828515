import { basename } from 'node:path'
import { readFile } from 'node:fs/promises'
import { args, BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/**
 * node ace council:compare PDF TXT
 *
 * Extracts the text of a council document PDF with `pdftotext -layout` and compares it row by
 * row with a reference text of the document (the definition of a row is at the top of
 * app/services/council/compare/compare.ts). Prints `<TXT name>: identical/total rows`, then one
 * line per row that differs. Exit code 0 whatever the score; 1 only for a usage or I/O error
 * (a file that cannot be read, pdftotext missing).
 */
export default class CouncilCompare extends BaseCommand {
  static commandName = 'council:compare'
  static description =
    'Compare a council document PDF with a reference text row by row (pdftotext -layout; prints identical/total rows)'
  static options: CommandOptions = { startApp: false }

  @args.string({ description: 'The council document PDF' })
  declare pdf: string

  @args.string({
    description: 'The reference document as text (markdown-ish or a plain extraction)',
  })
  declare txt: string

  @flags.boolean({ description: 'Print every row, identical or not' })
  declare all: boolean

  @flags.boolean({ description: 'Print the comparison as JSON' })
  declare json: boolean

  async run() {
    const { compareCouncilDocument, describeDifference, extractPdfText, formatReport } =
      await import('#services/council/compare/compare')
    let reference: string
    let pdfText: string
    try {
      reference = await readFile(this.txt, 'utf8').catch((error: NodeJS.ErrnoException) => {
        throw new Error(
          `cannot read the reference text ${this.txt}: ${error.code ?? error.message}`
        )
      })
      pdfText = await extractPdfText(this.pdf)
    } catch (error) {
      this.logger.error(error instanceof Error ? error.message : String(error))
      this.exitCode = 1
      return
    }

    const comparison = compareCouncilDocument(pdfText, reference)
    const document = basename(this.txt)
    if (this.json) {
      this.logger.log(JSON.stringify({ document, ...comparison }, null, 2))
      return
    }
    const lines = formatReport(document, comparison)
    if (this.all) {
      lines.splice(1)
      for (const row of comparison.rows) {
        lines.push(
          row.identical
            ? `  = [${row.section}] ${row.kind} ${row.label}`
            : `  ${describeDifference(row)}`
        )
      }
    }
    for (const line of lines) this.logger.log(line)
  }
}
