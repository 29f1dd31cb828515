import { readFile } from 'node:fs/promises'
import type { HttpContext } from '@adonisjs/core/http'
import logger from '@adonisjs/core/services/logger'
import FaqPolicy from '#policies/faq/faq_policy'
import LegacyFaqImport, { FAQ_IMPORT_COLUMNS } from '#services/imports/legacy_import_faq'
import LegacyOpinionImport, { OPINION_IMPORT_COLUMNS } from '#services/imports/legacy_import_opinions'
import { LegacyImport, type LegacyImportKind } from '#services/imports/legacy_import'
import { legacyImportValidator } from '#validators/faq/faq'
import UploadChecker from '#services/uploads/upload_checker'

const importerFor = (kind: LegacyImportKind) => (kind === 'faq' ? new LegacyFaqImport() : new LegacyOpinionImport())

/**
 * Moving the old FAQ and opinion databases across (データベースの移行):
 * upload a CSV, read the dry-run report (every problem by line), then
 * confirm with the same file. The file is never kept on the server: it
 * holds citizens' personal data, so the confirmation uploads it again and
 * its checksum must match the one that was checked.
 */
export default class LegacyImportsController {
  async create({ view, bouncer }: HttpContext) {
    await bouncer.with(FaqPolicy).authorize('importLegacy')
    return view.render('pages/admin/legacy_imports/create', { columns: { faq: FAQ_IMPORT_COLUMNS, opinions: OPINION_IMPORT_COLUMNS } })
  }

  /** Dry run: reads and checks everything, saves nothing. */
  async preview({ request, view, bouncer }: HttpContext) {
    await bouncer.with(FaqPolicy).authorize('importLegacy')
    const input = await request.validateUsing(legacyImportValidator)
    const bytes = await readFile(input.file.tmpPath!)
    const report = await importerFor(input.kind).dryRun(bytes, input.encoding)
    return view.render('pages/admin/legacy_imports/report', { report, input, fileName: UploadChecker.safeName(input.file.clientName, 'import.csv'), imported: null })
  }

  /** The import itself: one transaction, nothing saved if any line has a problem. */
  async store({ request, response, view, auth, bouncer, session, i18n }: HttpContext) {
    await bouncer.with(FaqPolicy).authorize('importLegacy')
    const input = await request.validateUsing(legacyImportValidator)
    const bytes = await readFile(input.file.tmpPath!)
    const importer = importerFor(input.kind)
    const checksum = LegacyImport.checksum(bytes)
    if (!input.checksum || input.checksum !== checksum) {
      session.flash('error', i18n.t('faq.import.checksum_mismatch'))
      return response.redirect().toRoute('legacy_imports.create')
    }
    let outcome
    try {
      outcome = await importer.run(bytes, input.encoding, auth.use('web').getUserOrFail())
    } catch (error) {
      // The transaction was rolled back: say so instead of an error page.
      logger.error({ err: error, kind: input.kind }, 'legacy import failed and was rolled back')
      session.flash('error', i18n.t('faq.import.failed'))
      return response.redirect().toRoute('legacy_imports.create')
    }
    if (!outcome.ok) response.status(422)
    return view.render('pages/admin/legacy_imports/report', {
      report: outcome.report,
      input,
      fileName: UploadChecker.safeName(input.file.clientName, 'import.csv'),
      imported: outcome.ok ? outcome.created : null,
    })
  }
}
