import { createWriteStream } from 'node:fs'
import { unlink } from 'node:fs/promises'
import { pipeline } from 'node:stream/promises'
import type { HttpContext } from '@adonisjs/core/http'
import type { MultipartFile } from '@adonisjs/core/bodyparser'
import CouncilImport from '#models/council_import'
import CouncilImportPolicy from '#policies/council/council_import_policy'
import ConfirmCouncilImport from '#actions/council/confirm_council_import'
import DomainError from '#exceptions/domain_error'
import { cleanInput } from '#middleware/input_hygiene_middleware'
import CouncilDocumentReader from '#services/council/import/draft_builder'
import SourceTextReader, { MAX_SOURCE_BYTES } from '#services/council/import/source_text'
import ImportReview from '#services/council/import/import_review'
import ImportRoundTrip from '#services/council/import/import_round_trip'
import { applyCorrections } from '#services/council/import/draft_corrections'
import RegisterMatches from '#services/register/register_matches'
import uploadTempFiles from '#services/uploads/upload_temp_files'
import { councilImportCorrectionsValidator } from '#validators/council/council_import'

/** Multipart errors that mean the upload was larger than allowed. */
const TOO_LARGE_CODES = new Set(['E_REQUEST_ENTITY_TOO_LARGE', 'E_STREAM_VALIDATION_FAILURE'])

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
    const user = auth.use('web').getUserOrFail()
    const query = CouncilImport.query().preload('createdBy').orderBy('id', 'desc').limit(200)
    if (await bouncer.with(CouncilImportPolicy).denies('viewAll')) {
      query.where('createdByUserId', user.id)
    }
    return view.render('pages/council/imports/index', { imports: await query })
  }

  async create({ view, bouncer }: HttpContext) {
    await bouncer.with(CouncilImportPolicy).authorize('create')
    return view.render('pages/council/imports/create')
  }

  /** Reads the pasted text or the uploaded file into a draft; nothing of the register is saved. */
  async store(ctx: HttpContext) {
    const { response, bouncer, auth } = ctx
    await bouncer.with(CouncilImportPolicy).authorize('create')
    const { text, file } = await this.#submission(ctx)
    const source = file
      ? await SourceTextReader.fromUpload(file)
      : SourceTextReader.fromPaste(typeof text === 'string' ? text : null)
    let draft
    try {
      draft = await CouncilDocumentReader.read(source.text, source.kind)
    } catch (error) {
      // Not a council document: said under the file input when the text came from a file.
      if (error instanceof DomainError && file && error.field === 'text') {
        throw new DomainError(error.messageKey, { ...error.options, field: 'file' })
      }
      throw error
    }
    const record = await CouncilImport.create({
      createdByUserId: auth.use('web').getUserOrFail().id,
      sourceKind: source.kind,
      sourceName: source.name,
      sourceText: source.text,
      draft,
      status: 'draft',
      councilItemId: null,
      roundTrip: null,
      confirmedAt: null,
    })
    return response.redirect().toRoute('council_imports.show', { id: record.id })
  }

  /** The review of a draft; the result (round trip) of a confirmed import. */
  async show({ params, view, bouncer }: HttpContext) {
    const record = await this.#find(params.id)
    await bouncer.with(CouncilImportPolicy).authorize('view', record)
    if (record.status === 'confirmed' && record.councilItemId) {
      await record.load('councilItem', (query) => query.preload('annexes'))
    }
    const review = await ImportReview.of(record)
    return view.render('pages/council/imports/show', { record, draft: record.draft, review })
  }

  /** Saves the corrections of the review form (nothing of the register yet). */
  async update({ params, request, response, bouncer, session, i18n }: HttpContext) {
    const record = await this.#find(params.id)
    await bouncer.with(CouncilImportPolicy).authorize('update', record)
    const input = await request.validateUsing(councilImportCorrectionsValidator)
    record.draft = applyCorrections(record.draft, input, await RegisterMatches.load())
    await record.save()
    session.flash('success', i18n.t('council_imports.ui.saved'))
    return response.redirect().toRoute('council_imports.show', { id: record.id })
  }

  /** Creates the register's records in one transaction, then compares the item's PDF with the source. */
  async confirm({ params, response, bouncer, session, i18n, auth }: HttpContext) {
    const record = await this.#find(params.id)
    await bouncer.with(CouncilImportPolicy).authorize('update', record)
    await new ConfirmCouncilImport().handle(record, auth.use('web').getUserOrFail())
    await record.refresh()
    record.roundTrip = await ImportRoundTrip.of(record)
    await record.save()
    session.flash('success', i18n.t('council_imports.ui.confirmed'))
    return response.redirect().toRoute('council_imports.show', { id: record.id })
  }

  /** Discards a draft (kept in the list as 破棄). */
  async destroy({ params, response, bouncer, session, i18n }: HttpContext) {
    const record = await this.#find(params.id)
    await bouncer.with(CouncilImportPolicy).authorize('update', record)
    record.status = 'discarded'
    await record.save()
    session.flash('success', i18n.t('council_imports.ui.discarded'))
    return response.redirect().toRoute('council_imports.index')
  }

  #find(id: unknown) {
    return CouncilImport.findOrFail(Number(id) || 0)
  }

  /**
   * The pasted text and the uploaded file. A multipart body is read here, with the file's
   * size checked while it streams: too large, and the form comes back with the message
   * under the file input and the pasted text kept (fields sent before the file are read).
   */
  async #submission({
    request,
  }: HttpContext): Promise<{ text: unknown; file: MultipartFile | null }> {
    if (request.is(['multipart/form-data']) && request.multipart?.state === 'idle') {
      request.multipart.onFile('file', { size: MAX_SOURCE_BYTES }, async (part, reporter) => {
        const tmpPath = uploadTempFiles.path()
        try {
          part.pause()
          part.on('data', reporter)
          await pipeline(part, createWriteStream(tmpPath))
          return { tmpPath }
        } catch (error) {
          await unlink(tmpPath).catch(() => {})
          request.multipart.abort(error)
        }
      })
      try {
        await request.multipart.process()
      } catch (error) {
        this.#cleanFields(request)
        const code = (error as { code?: string }).code
        throw new DomainError(
          code && TOO_LARGE_CODES.has(code)
            ? 'council_imports.source.too_large'
            : 'council_imports.ui.broken_request',
          { field: 'file', status: code && TOO_LARGE_CODES.has(code) ? 413 : 400 }
        )
      }
    }
    this.#cleanFields(request)
    // A file input left empty sends a part without a file name: no file.
    return { text: request.input('text'), file: request.file('file') ?? null }
  }

  /**
   * The fields read from the multipart body, as InputHygieneMiddleware makes every body (it
   * ran before they were read): control characters removed, and kept for the form sent back.
   */
  #cleanFields(request: HttpContext['request']) {
    const fields = Object.freeze(cleanInput(request.body())) as Record<string, any>
    request.updateBody({ ...fields })
    request.original = () => fields
  }
}
