import type { HttpContext } from '@adonisjs/core/http'
import type Opinion from '#models/opinion'

/**
 * The answer shared by the controllers of steps on one opinion (workflow
 * steps, replies): back to the opinion with a notice. A refused step is a
 * DomainError thrown by its action, answered by its one handler (the form
 * again with the input and the field's message, or a 4xx JSON body).
 */
export default abstract class OpinionStepController {
  protected done({ response, session, i18n }: HttpContext, opinion: Opinion, message: string) {
    session.flash('success', i18n.t(message))
    return response.redirect().toRoute('opinions.show', { id: opinion.id })
  }
}
