import type { HttpContext } from '@adonisjs/core/http'
import OpinionStepController from '#controllers/opinions/opinion_step_controller'
import Opinion from '#models/opinion'
import OpinionReply from '#models/opinion_reply'
import OpinionPolicy from '#policies/opinions/opinion_policy'
import SeparationOfDuties from '#services/separation_of_duties'
import SaveReplyDraft from '#actions/opinions/save_reply_draft'
import RequestReplyApproval from '#actions/opinions/request_reply_approval'
import DecideReply from '#actions/opinions/decide_reply'
import SendReply from '#actions/opinions/send_reply'
import { replyDraftValidator, replyReturnValidator } from '#validators/opinions/opinion'

/** A reply: drafted by the lead department, approved by its supervisor, then sent. */
export default class OpinionRepliesController extends OpinionStepController {
  async save(ctx: HttpContext) {
    const opinion = await Opinion.findOrFail(ctx.params.id)
    await ctx.bouncer.with(OpinionPolicy).authorize('draftReply', opinion)
    const input = await ctx.request.validateUsing(replyDraftValidator)
    const result = await new SaveReplyDraft().handle(opinion, input, ctx.auth.use('web').getUserOrFail())
    if (!result.ok) return this.back(ctx, result.field, result.message)
    return this.done(ctx, opinion, 'opinions.reply.saved')
  }

  async request(ctx: HttpContext) {
    const { opinion, reply } = await this.#load(ctx)
    await ctx.bouncer.with(OpinionPolicy).authorize('draftReply', opinion)
    if (!(await new RequestReplyApproval().handle(opinion, reply, ctx.auth.use('web').getUserOrFail()))) {
      return this.back(ctx, 'body', 'opinions.errors.reply_state')
    }
    return this.done(ctx, opinion, 'opinions.reply.requested')
  }

  async approve(ctx: HttpContext) {
    const { opinion, reply } = await this.#load(ctx)
    // Separation of duties first: the drafter is told why, not just "no permission".
    SeparationOfDuties.refuseOwnWork(ctx.auth.use('web').getUserOrFail(), reply)
    await ctx.bouncer.with(OpinionPolicy).authorize('approveReply', reply)
    await new DecideReply().approve(opinion, reply, ctx.auth.use('web').getUserOrFail())
    return this.done(ctx, opinion, 'opinions.reply.approved')
  }

  async sendBack(ctx: HttpContext) {
    const { opinion, reply } = await this.#load(ctx)
    SeparationOfDuties.refuseOwnWork(ctx.auth.use('web').getUserOrFail(), reply)
    await ctx.bouncer.with(OpinionPolicy).authorize('approveReply', reply)
    const { returnComment } = await ctx.request.validateUsing(replyReturnValidator)
    await new DecideReply().sendBack(opinion, reply, ctx.auth.use('web').getUserOrFail(), returnComment)
    return this.done(ctx, opinion, 'opinions.reply.returned')
  }

  async send(ctx: HttpContext) {
    const { opinion, reply } = await this.#load(ctx)
    await ctx.bouncer.with(OpinionPolicy).authorize('sendReply', reply)
    await new SendReply().handle(opinion, reply, ctx.auth.use('web').getUserOrFail())
    return this.done(ctx, opinion, 'opinions.reply.sent')
  }

  /** The opinion and its reply in progress (404 when there is none). */
  async #load({ params }: HttpContext) {
    const opinion = await Opinion.findOrFail(params.id)
    const reply = await OpinionReply.query().where('opinionId', opinion.id).where('id', params.replyId).whereNot('status', 'sent').firstOrFail()
    return { opinion, reply }
  }
}
