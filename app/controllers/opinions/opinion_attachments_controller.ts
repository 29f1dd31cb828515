import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import { Exception } from '@adonisjs/core/exceptions'
import OpinionStepController from '#controllers/opinions/opinion_step_controller'
import OpinionPolicy from '#policies/opinions/opinion_policy'
import OpinionQueries from '#services/opinions/opinion_queries'
import AttachOpinionFile from '#actions/opinions/attach_opinion_file'
import RemoveOpinionAttachment from '#actions/opinions/remove_opinion_attachment'
import EncryptedFiles from '#services/uploads/encrypted_files'
import SizeLimitedUpload from '#services/uploads/size_limited_upload'
import UploadChecker, { MAX_UPLOAD_BYTES } from '#services/uploads/upload_checker'
import { attachmentValidator } from '#validators/opinions/opinion'

/**
 * Letters, FAX images and photos of an opinion. POST reads its multipart body itself
 * (config/bodyparser.ts processManually), so a file over the limit comes back on the page
 * with its Japanese message instead of the body parser's error page.
 */
export default class OpinionAttachmentsController extends OpinionStepController {
  @inject()
  async store(ctx: HttpContext, attachFile: AttachOpinionFile) {
    const opinion = await OpinionQueries.find(ctx.params.id)
    await ctx.bouncer.with(OpinionPolicy).authorize('attach', opinion)
    const file = await SizeLimitedUpload.read(ctx.request, {
      field: 'file',
      maxBytes: MAX_UPLOAD_BYTES,
      tooLargeMessage: 'opinions.attachments.errors.too_large',
      brokenMessage: 'opinions.attachments.errors.broken',
    })
    const input = await ctx.request.validateUsing(attachmentValidator)
    await attachFile.handle(opinion, file, input, ctx.auth.use('web').getUserOrFail())
    return this.done(ctx, opinion, 'opinions.attachments.saved')
  }

  /** The file, decrypted, to whoever may see the opinion; every download is audited. */
  @inject()
  async show({ params, response, bouncer, auditLog }: HttpContext, files: EncryptedFiles) {
    const opinion = await OpinionQueries.find(params.id)
    await bouncer.with(OpinionPolicy).authorize('view', opinion)
    const attachment = await OpinionQueries.attachment(opinion, params.attachmentId)
    // A data key that no longer opens (its retention month shredded): the file is deleted.
    if (!attachment.fileKey) throw new Exception('Attachment deleted', { status: 404 })
    const bytes = await files.read(attachment.storageKey, attachment.fileKey)
    await auditLog.record({
      action: 'opinion.download_attachment',
      subject: opinion,
      details: { attachmentId: attachment.id },
    })
    response.header('content-type', attachment.contentType)
    response.header('x-content-type-options', 'nosniff')
    response.header('cache-control', 'private, no-store')
    response.header(
      'content-disposition',
      UploadChecker.disposition(attachment.originalName ?? `attachment-${attachment.id}`)
    )
    return response.send(bytes)
  }

  @inject()
  async destroy(ctx: HttpContext, remove: RemoveOpinionAttachment) {
    const opinion = await OpinionQueries.find(ctx.params.id)
    await ctx.bouncer.with(OpinionPolicy).authorize('view', opinion)
    const attachment = await OpinionQueries.attachment(opinion, ctx.params.attachmentId)
    await ctx.bouncer.with(OpinionPolicy).authorize('removeAttachment', opinion, attachment)
    await remove.handle(opinion, attachment, ctx.auth.use('web').getUserOrFail())
    return this.done(ctx, opinion, 'opinions.attachments.removed')
  }
}
