import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import OpinionStepController from '#controllers/opinions/opinion_step_controller'
import OpinionPolicy from '#policies/opinions/opinion_policy'
import SeparationOfDuties from '#services/separation_of_duties'
import OpinionQueries from '#services/opinions/opinion_queries'
import SaveReplyDraft from '#actions/opinions/save_reply_draft'
import RequestReplyApproval from '#actions/opinions/request_reply_approval'
import DecideReply from '#actions/opinions/decide_reply'
import SendReply from '#actions/opinions/send_reply'
import { replyDraftValidator, replyReturnValidator } from '#validators/opinions/opinion'

/** A reply: drafted by the lead department, approved by its supervisor, then sent. */
export default class OpinionRepliesController extends OpinionStepController {
  async save(ctx: HttpContext) {
    const opinion = await OpinionQueries.find(ctx.params.id)
    await ctx.bouncer.with(OpinionPolicy).authorize('draftReply', opinion)
    const input = await ctx.request.validateUsing(replyDraftValidator)
    await new SaveReplyDraft().handle(opinion, input, ctx.auth.use('web').getUserOrFail())
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
}
