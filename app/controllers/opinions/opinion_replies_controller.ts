import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import router from '@adonisjs/core/services/router'
import OpinionStepController from '#controllers/opinions/opinion_step_controller'
import OpinionPolicy from '#policies/opinions/opinion_policy'
import CannedTextPolicy from '#policies/opinions/canned_text_policy'
import SeparationOfDuties from '#services/separation_of_duties'
import OpinionQueries from '#services/opinions/opinion_queries'
import SaveReplyDraft from '#actions/opinions/save_reply_draft'
import RequestReplyApproval from '#actions/opinions/request_reply_approval'
import DecideReply from '#actions/opinions/decide_reply'
import SendReply from '#actions/opinions/send_reply'
import InsertCannedText from '#actions/opinions/insert_canned_text'
import Clock from '#services/clock'
import PdfRenderer from '#services/pdf_renderer'
import ReplyLetter from '#services/opinions/reply_letter_pdf'
import { replyDraftValidator, replyReturnValidator } from '#validators/opinions/opinion'
import { cannedTextInsertValidator } from '#validators/opinions/canned_text'

/** A reply: drafted by the lead department, approved by one of the department's approvers (承認者), then sent. */
export default class OpinionRepliesController extends OpinionStepController {
  async save(ctx: HttpContext) {
    const opinion = await OpinionQueries.find(ctx.params.id)
    await ctx.bouncer.with(OpinionPolicy).authorize('draftReply', opinion)
    const input = await ctx.request.validateUsing(replyDraftValidator)
    await new SaveReplyDraft(ctx.auditLog).handle(
      opinion,
      input,
      ctx.auth.use('web').getUserOrFail()
    )
    return this.done(ctx, opinion, 'opinions.reply.saved')
  }

  @inject()
  async request(ctx: HttpContext, requestReplyApproval: RequestReplyApproval) {
    const { opinion, reply } = await OpinionQueries.withReplyInProgress(
      ctx.params.id,
      ctx.params.replyId
    )
    await ctx.bouncer.with(OpinionPolicy).authorize('draftReply', opinion)
    await requestReplyApproval.handle(opinion, reply, ctx.auth.use('web').getUserOrFail())
    return this.done(ctx, opinion, 'opinions.reply.requested')
  }

  @inject()
  async approve(ctx: HttpContext, decideReply: DecideReply) {
    const { opinion, reply } = await OpinionQueries.withReplyInProgress(
      ctx.params.id,
      ctx.params.replyId
    )
    // Separation of duties first: the drafter is told why, not just "no permission".
    SeparationOfDuties.refuseOwnWork(ctx.auth.use('web').getUserOrFail(), reply)
    await ctx.bouncer.with(OpinionPolicy).authorize('approveReply', reply)
    await decideReply.approve(opinion, reply, ctx.auth.use('web').getUserOrFail())
    return this.done(ctx, opinion, 'opinions.reply.approved')
  }

  @inject()
  async sendBack(ctx: HttpContext, decideReply: DecideReply) {
    const { opinion, reply } = await OpinionQueries.withReplyInProgress(
      ctx.params.id,
      ctx.params.replyId
    )
    SeparationOfDuties.refuseOwnWork(ctx.auth.use('web').getUserOrFail(), reply)
    await ctx.bouncer.with(OpinionPolicy).authorize('approveReply', reply)
    const { returnComment } = await ctx.request.validateUsing(replyReturnValidator)
    await decideReply.sendBack(opinion, reply, ctx.auth.use('web').getUserOrFail(), returnComment)
    return this.done(ctx, opinion, 'opinions.reply.returned')
  }

  @inject()
  async send(ctx: HttpContext, sendReply: SendReply) {
    const { opinion, reply } = await OpinionQueries.withReplyInProgress(
      ctx.params.id,
      ctx.params.replyId
    )
    await ctx.bouncer.with(OpinionPolicy).authorize('sendReply', reply)
    await sendReply.handle(opinion, reply, ctx.auth.use('web').getUserOrFail())
    return this.done(ctx, opinion, 'opinions.reply.sent')
  }

  /**
   * 「挿入」 on the reply form: the chosen 定型文 is added below what was
   * typed and the form comes back with both; nothing is saved yet.
   */
  async insertCannedText({ params, request, response, bouncer, session, i18n }: HttpContext) {
    const opinion = await OpinionQueries.find(params.id)
    await bouncer.with(OpinionPolicy).authorize('draftReply', opinion)
    const input = await request.validateUsing(cannedTextInsertValidator)
    const text = await new InsertCannedText().cannedText(opinion, input.cannedTextId)
    await bouncer.with(CannedTextPolicy).authorize('use', text)
    session.flash({
      body: InsertCannedText.append(input.body ?? '', text.body),
      method: input.method ?? '',
    })
    session.flash('success', i18n.t('canned_texts.insert.inserted'))
    return response
      .redirect()
      .toPath(`${router.makeUrl('opinions.show', { id: opinion.id })}#field-body`)
  }

  /**
   * The reply as a 回答書 (A4 PDF) for whoever sees it: the letter once
   * approved or sent, 「回答書（案）」 with a 「案」 watermark before. The
   * submitter's name is decrypted for the letter only, and the read audited.
   */
  @inject()
  async letter({ params, response, bouncer, auditLog }: HttpContext, clock: Clock) {
    const { opinion, reply } = await ReplyLetter.load(params.id, params.replyId)
    await bouncer.with(OpinionPolicy).authorize('printReply', opinion, reply)
    const addressee = await ReplyLetter.addressee(opinion)
    const data = await ReplyLetter.data(opinion, reply, addressee, clock.now())
    const pdf = await PdfRenderer.render(ReplyLetter.definition(data))
    await auditLog.record({
      action: 'opinion.reply_letter',
      subject: opinion,
      changedFields: addressee ? ['submitterName'] : [],
      details: { reply: reply.id, draft: data.draft },
    })
    response.header('content-type', 'application/pdf')
    response.header(
      'content-disposition',
      `inline; filename="reply-${opinion.referenceNo}-${reply.id}${data.draft ? '-draft' : ''}.pdf"`
    )
    return response.send(pdf)
  }
}
