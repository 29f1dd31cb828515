import type { HttpContext } from '@adonisjs/core/http'
import { inject } from '@adonisjs/core'
import OpinionStepController from '#controllers/opinions/opinion_step_controller'
import OpinionPolicy from '#policies/opinions/opinion_policy'
import OpinionQueries from '#services/opinions/opinion_queries'
import AssignOpinion from '#actions/opinions/assign_opinion'
import { assignmentValidator } from '#validators/opinions/opinion'

/** The person (担当者) of a forwarded department: named, renamed or cleared. */
export default class OpinionAssignmentsController extends OpinionStepController {
  @inject()
  async update(ctx: HttpContext, assignOpinion: AssignOpinion) {
    const opinion = await OpinionQueries.find(ctx.params.id)
    const input = await ctx.request.validateUsing(assignmentValidator)
    await ctx.bouncer.with(OpinionPolicy).authorize('assign', opinion, input.departmentId)
    await assignOpinion.handle(opinion, input, ctx.auth.use('web').getUserOrFail())
    return this.done(ctx, opinion, 'opinions.assign.done')
  }
}
