import type { HttpContext } from '@adonisjs/core/http'
import DomainError from '#exceptions/domain_error'

/**
 * A step of a council item (approve, submit, schedule, decide) refused for
 * the item's state. Forms go back to the item page with the message above
 * its steps (`stepError`); JSON clients get the 4xx body of every DomainError.
 */
export default class CouncilStepRefused extends DomainError {
  constructor(
    messageKey: string,
    readonly itemId: number,
    data?: Record<string, unknown>
  ) {
    super(messageKey, {
      field: 'step',
      data,
      keepInput: false,
      redirectTo: { route: 'council_items.show', params: { id: itemId } },
    })
  }

  async handle(error: this, ctx: HttpContext) {
    if (ctx.request.accepts(['html', 'json']) !== 'html' || !ctx.session)
      return super.handle(error, ctx)
    ctx.session.flash('stepError', this.translate(ctx))
    return ctx.response.redirect().toRoute('council_items.show', { id: this.itemId })
  }
}
