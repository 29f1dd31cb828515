import type { HttpContext } from '@adonisjs/core/http'
import CouncilImportPolicy from '#policies/council/council_import_policy'
import ConfirmCouncilImport from '#actions/council/confirm_council_import'
import StartCouncilImport from '#actions/council/start_council_import'
import CouncilImportQueries from '#services/council/import/council_import_queries'
import { MAX_SOURCE_BYTES } from '#services/council/import/source_text'
import ImportReview from '#services/council/import/import_review'
import ImportRoundTrip from '#services/council/import/import_round_trip'
import { applyCorrections } from '#services/council/import/draft_corrections'
import RegisterMatches from '#services/register/register_matches'
import SizeLimitedUpload from '#services/uploads/size_limited_upload'
import { councilImportCorrectionsValidator } from '#validators/council/council_import'

/**
 * Importing a council document into the register (審議会資料の取込み): the officer pastes or
 * uploads a document, reviews the draft read from it (source left, fields right, unused lines
 * highlighted), corrects it, and confirms; the confirmed item's PDF is then compared with the
 * source row by row (往復確認).
 *
 * POST /council/imports reads its multipart body itself (config/bodyparser.ts processManually):
 * an upload over 20 MB then comes back on the form with its Japanese message instead of the
 * body parser's error page.
 */
export default class CouncilImportsController {
  /** Mine, and every import for the privacy office. */
  async index({ view, bouncer, auth }: HttpContext) {
    await bouncer.with(CouncilImportPolicy).authorize('viewAny')
    const seesAll = await bouncer.with(CouncilImportPolicy).allows('viewAll')
    const imports = await CouncilImportQueries.list(auth.use('web').getUserOrFail(), seesAll)
    return view.render('pages/council/imports/index', { imports })
  }

  async create({ view, bouncer }: HttpContext) {
    await bouncer.with(CouncilImportPolicy).authorize('create')
    return view.render('pages/council/imports/create')
  }

  /** Reads the pasted text or the uploaded file into a draft; nothing of the register is saved. */
  async store({ request, response, bouncer, auth }: HttpContext) {
    await bouncer.with(CouncilImportPolicy).authorize('create')
    const file = await SizeLimitedUpload.read(request, {
      field: 'file',
      maxBytes: MAX_SOURCE_BYTES,
      tooLargeMessage: 'council_imports.source.too_large',
      brokenMessage: 'council_imports.ui.broken_request',
    })
    const record = await new StartCouncilImport().handle(
      { text: request.input('text'), file },
      auth.use('web').getUserOrFail()
    )
    return response.redirect().toRoute('council_imports.show', { id: record.id })
  }

  /** The review of a draft; the result (round trip) of a confirmed import. */
  async show({ params, view, bouncer }: HttpContext) {
    const record = await CouncilImportQueries.find(params.id)
    await bouncer.with(CouncilImportPolicy).authorize('view', record)
    const review = await ImportReview.of(record)
    return view.render('pages/council/imports/show', { record, draft: record.draft, review })
  }

  /** Saves the corrections of the review form (nothing of the register yet). */
  async update({ params, request, response, bouncer, session, i18n }: HttpContext) {
    const record = await CouncilImportQueries.find(params.id)
    await bouncer.with(CouncilImportPolicy).authorize('update', record)
    const input = await request.validateUsing(councilImportCorrectionsValidator)
    record.draft = applyCorrections(record.draft, input, await RegisterMatches.load())
    await record.save()
    session.flash('success', i18n.t('council_imports.ui.saved'))
    return response.redirect().toRoute('council_imports.show', { id: record.id })
  }

  /** Creates the register's records in one transaction, then compares the item's PDF with the source. */
  async confirm({ params, response, bouncer, session, i18n, auth, auditLog }: HttpContext) {
    const record = await CouncilImportQueries.find(params.id)
    await bouncer.with(CouncilImportPolicy).authorize('update', record)
    await new ConfirmCouncilImport(auditLog).handle(record, auth.use('web').getUserOrFail())
    await record.refresh()
    record.roundTrip = await ImportRoundTrip.of(record)
    await record.save()
    session.flash('success', i18n.t('council_imports.ui.confirmed'))
    return response.redirect().toRoute('council_imports.show', { id: record.id })
  }

  /** Discards a draft (kept in the list as 破棄). */
  async destroy({ params, response, bouncer, session, i18n }: HttpContext) {
    const record = await CouncilImportQueries.find(params.id)
    await bouncer.with(CouncilImportPolicy).authorize('update', record)
    record.status = 'discarded'
    await record.save()
    session.flash('success', i18n.t('council_imports.ui.discarded'))
    return response.redirect().toRoute('council_imports.index')
  }
}
