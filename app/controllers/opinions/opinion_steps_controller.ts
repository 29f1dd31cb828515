import type { HttpContext } from '@adonisjs/core/http'
import OpinionStepController from '#controllers/opinions/opinion_step_controller'
import Opinion from '#models/opinion'
import OpinionEvent from '#models/opinion_event'
import OpinionPolicy from '#policies/opinions/opinion_policy'
import ForwardOpinion from '#actions/opinions/forward_opinion'
import RecordHandling from '#actions/opinions/record_handling'
import AddHistoryNote from '#actions/opinions/add_history_note'
import CorrectHistoryEntry from '#actions/opinions/correct_history_entry'
import CloseOpinion from '#actions/opinions/close_opinion'
import {
  closeOpinionValidator,
  forwardValidator,
  handlingValidator,
  historyCorrectionValidator,
  historyNoteValidator,
} from '#validators/opinions/opinion'

/** The workflow steps on one opinion: forwarding, handling, history entries and corrections, closing. */
export default class OpinionStepsController extends OpinionStepController {
  async forward(ctx: HttpContext) {
    const opinion = await Opinion.findOrFail(ctx.params.id)
    await ctx.bouncer.with(OpinionPolicy).authorize('forward', opinion)
    const input = await ctx.request.validateUsing(forwardValidator)
    const result = await new ForwardOpinion().handle(opinion, input, ctx.auth.use('web').getUserOrFail())
    if (!result.ok) return this.back(ctx, result.field, result.message)
    return this.done(ctx, opinion, 'opinions.forward.done')
  }

  async handling(ctx: HttpContext) {
    const opinion = await Opinion.findOrFail(ctx.params.id)
    const input = await ctx.request.validateUsing(handlingValidator)
    await ctx.bouncer.with(OpinionPolicy).authorize('handle', opinion, input.departmentId)
    await new RecordHandling().handle(opinion, input, ctx.auth.use('web').getUserOrFail())
    return this.done(ctx, opinion, 'opinions.handling.done')
  }

  async note(ctx: HttpContext) {
    const opinion = await Opinion.findOrFail(ctx.params.id)
    await ctx.bouncer.with(OpinionPolicy).authorize('addNote', opinion)
    const input = await ctx.request.validateUsing(historyNoteValidator)
    await new AddHistoryNote().handle(opinion, input, ctx.auth.use('web').getUserOrFail())
    return this.done(ctx, opinion, 'opinions.note.done')
  }

  async correct(ctx: HttpContext) {
    const opinion = await Opinion.findOrFail(ctx.params.id)
    const event = await OpinionEvent.query().where('id', ctx.params.eventId).where('opinionId', opinion.id).firstOrFail()
    await ctx.bouncer.with(OpinionPolicy).authorize('correct', opinion, event)
    const input = await ctx.request.validateUsing(historyCorrectionValidator)
    await new CorrectHistoryEntry().handle(opinion, event, input, ctx.auth.use('web').getUserOrFail())
    return this.done(ctx, opinion, 'opinions.note.corrected')
  }

  async close(ctx: HttpContext) {
    const opinion = await Opinion.findOrFail(ctx.params.id)
    await ctx.bouncer.with(OpinionPolicy).authorize('close', opinion)
    const input = await ctx.request.validateUsing(closeOpinionValidator)
    const result = await new CloseOpinion().handle(opinion, { note: input.closeNote }, ctx.auth.use('web').getUserOrFail())
    if (!result.ok) return this.back(ctx, result.field, result.message)
    return this.done(ctx, opinion, 'opinions.close.done')
  }
}
