import { readFile } from 'node:fs/promises'
import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import logger from '@adonisjs/core/services/logger'
import DomainError from '#exceptions/domain_error'
import FaqPolicy from '#policies/faq/faq_policy'
import LegacyFaqImport, { FAQ_IMPORT_COLUMNS } from '#services/imports/legacy_import_faq'
import LegacyOpinionImport, {
  OPINION_IMPORT_COLUMNS,
} from '#services/imports/legacy_import_opinions'
import { LegacyImport, type LegacyImportKind } from '#services/imports/legacy_import'
import { legacyImportValidator } from '#validators/faq/faq'
import UploadChecker from '#services/uploads/upload_checker'
import Clock from '#services/clock'

/**
 * The importer of the kind, on the clock of the container: it stamps the
 * FAQ approvals, and decides which imported call-center data is already
 * past its retention.
 */
const importerFor = (kind: LegacyImportKind, clock: Clock) =>
  kind === 'faq'
    ? new LegacyFaqImport(() => clock.now())
    : new LegacyOpinionImport(() => clock.now())

/** Back to the upload form with the message, nothing kept (the file holds personal data). */
const backToUpload = { redirectTo: { route: 'legacy_imports.create' }, keepInput: false }

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
    return view.render('pages/admin/legacy_imports/create', {
      columns: { faq: FAQ_IMPORT_COLUMNS, opinions: OPINION_IMPORT_COLUMNS },
    })
  }

  /** Dry run: reads and checks everything, saves nothing. */
  @inject()
  async preview({ request, view, bouncer }: HttpContext, clock: Clock) {
    await bouncer.with(FaqPolicy).authorize('importLegacy')
    const input = await request.validateUsing(legacyImportValidator)
    const bytes = await readFile(input.file.tmpPath!)
    const report = await importerFor(input.kind, clock).dryRun(bytes, input.encoding)
    return view.render('pages/admin/legacy_imports/report', {
      report,
      input,
      fileName: UploadChecker.safeName(input.file.clientName, 'import.csv'),
      imported: null,
    })
  }

  /** The import itself: one transaction, nothing saved if any line has a problem. */
  @inject()
  async store({ request, response, view, auth, bouncer }: HttpContext, clock: Clock) {
    await bouncer.with(FaqPolicy).authorize('importLegacy')
    const input = await request.validateUsing(legacyImportValidator)
    const bytes = await readFile(input.file.tmpPath!)
    const importer = importerFor(input.kind, clock)
    const checksum = LegacyImport.checksum(bytes)
    if (!input.checksum || input.checksum !== checksum)
      throw new DomainError('faq.import.checksum_mismatch', backToUpload)
    let outcome
    try {
      outcome = await importer.run(bytes, input.encoding, auth.use('web').getUserOrFail())
    } catch (error) {
      // The transaction was rolled back: say so instead of an error page.
      logger.error({ err: error, kind: input.kind }, 'legacy import failed and was rolled back')
      throw new DomainError('faq.import.failed', backToUpload)
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
