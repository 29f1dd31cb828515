import { Exception } from '@adonisjs/core/exceptions'
import type { HttpContext } from '@adonisjs/core/http'

/**
 * Someone tried to approve (or send back) what they drafted or asked to
 * have approved: 403 with the reason in Japanese, on the error page for
 * people and as JSON for clients.
 */
export default class SeparationOfDutiesException extends Exception {
  static status = 403
  static code = 'E_SEPARATION_OF_DUTIES'
  static message = '自分で作成・編集した、または承認を依頼したものは承認できません'

  async handle(_error: this, ctx: HttpContext) {
    const reason = ctx.i18n
      ? ctx.i18n.t('messages.errors.own_work', {}, this.message)
      : this.message
    ctx.response.status(403)
    if (ctx.request.accepts(['html', 'json']) !== 'html') {
      return ctx.response.send({
        status: 403,
        code: SeparationOfDutiesException.code,
        message: reason,
      })
    }
    return ctx.response.send(await ctx.view.render('pages/errors/own_work', { reason }))
  }
}
