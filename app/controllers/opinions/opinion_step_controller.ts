import type { HttpContext } from '@adonisjs/core/http'
import type Opinion from '#models/opinion'

/**
 * The answers shared by the controllers of steps on one opinion (workflow
 * steps, replies): back to the opinion with a notice, or back to the form
 * with the input and one field's error.
 */
export default abstract class OpinionStepController {
  protected done({ response, session, i18n }: HttpContext, opinion: Opinion, message: string) {
    session.flash('success', i18n.t(message))
    return response.redirect().toRoute('opinions.show', { id: opinion.id })
  }

  protected back({ response, session, i18n }: HttpContext, field: string, message: string) {
    session.flashAll()
    session.flash('errors', { [field]: [i18n.t(message)] })
    return response.redirect().back()
  }
}
