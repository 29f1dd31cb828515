import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import OpinionStepController from '#controllers/opinions/opinion_step_controller'
import OpinionPolicy from '#policies/opinions/opinion_policy'
import OpinionQueries from '#services/opinions/opinion_queries'
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
  @inject()
  async forward(ctx: HttpContext, forwardOpinion: ForwardOpinion) {
    const opinion = await OpinionQueries.find(ctx.params.id)
    await ctx.bouncer.with(OpinionPolicy).authorize('forward', opinion)
    const input = await ctx.request.validateUsing(forwardValidator)
    await forwardOpinion.handle(opinion, input, ctx.auth.use('web').getUserOrFail())
    return this.done(ctx, opinion, 'opinions.forward.done')
  }

  @inject()
  async handling(ctx: HttpContext, recordHandling: RecordHandling) {
    const opinion = await OpinionQueries.find(ctx.params.id)
    const input = await ctx.request.validateUsing(handlingValidator)
    await ctx.bouncer.with(OpinionPolicy).authorize('handle', opinion, input.departmentId)
    await recordHandling.handle(opinion, input, ctx.auth.use('web').getUserOrFail())
    return this.done(ctx, opinion, 'opinions.handling.done')
  }

  @inject()
  async note(ctx: HttpContext, addHistoryNote: AddHistoryNote) {
    const opinion = await OpinionQueries.find(ctx.params.id)
    await ctx.bouncer.with(OpinionPolicy).authorize('addNote', opinion)
    const input = await ctx.request.validateUsing(historyNoteValidator)
    await addHistoryNote.handle(opinion, input, ctx.auth.use('web').getUserOrFail())
    return this.done(ctx, opinion, 'opinions.note.done')
  }

  async correct(ctx: HttpContext) {
    const { opinion, event } = await OpinionQueries.withEvent(ctx.params.id, ctx.params.eventId)
    await ctx.bouncer.with(OpinionPolicy).authorize('correct', opinion, event)
    const input = await ctx.request.validateUsing(historyCorrectionValidator)
    await new CorrectHistoryEntry(ctx.auditLog).handle(
      opinion,
      event,
      input,
      ctx.auth.use('web').getUserOrFail()
    )
    return this.done(ctx, opinion, 'opinions.note.corrected')
  }

  @inject()
  async close(ctx: HttpContext, closeOpinion: CloseOpinion) {
    const opinion = await OpinionQueries.find(ctx.params.id)
    await ctx.bouncer.with(OpinionPolicy).authorize('close', opinion)
    const input = await ctx.request.validateUsing(closeOpinionValidator)
    await closeOpinion.handle(
      opinion,
      { note: input.closeNote },
      ctx.auth.use('web').getUserOrFail()
    )
    return this.done(ctx, opinion, 'opinions.close.done')
  }
}
