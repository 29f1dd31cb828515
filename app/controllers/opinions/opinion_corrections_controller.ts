import type { HttpContext } from '@adonisjs/core/http'
import OpinionStepController from '#controllers/opinions/opinion_step_controller'
import OpinionPolicy from '#policies/opinions/opinion_policy'
import OpinionQueries from '#services/opinions/opinion_queries'
import CorrectOpinionDetails from '#actions/opinions/correct_opinion_details'
import { detailsCorrectionValidator } from '#validators/opinions/opinion'

/** 受付内容の訂正: the opinion office or a privacy officer corrects an opinion's details. */
export default class OpinionCorrectionsController extends OpinionStepController {
  async store(ctx: HttpContext) {
    const opinion = await OpinionQueries.find(ctx.params.id)
    await ctx.bouncer.with(OpinionPolicy).authorize('view', opinion)
    await ctx.bouncer.with(OpinionPolicy).authorize('correctDetails')
    const input = await ctx.request.validateUsing(detailsCorrectionValidator)
    await new CorrectOpinionDetails(ctx.auditLog).handle(
      opinion,
      input,
      ctx.auth.use('web').getUserOrFail()
    )
    return this.done(ctx, opinion, 'opinions.corrections.done')
  }
}
