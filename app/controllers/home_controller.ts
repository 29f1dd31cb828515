import type { HttpContext } from '@adonisjs/core/http'

export default class HomeController {
  /** Public landing page: staff login, citizen portal. */
  async show({ view }: HttpContext) {
    return view.render('pages/home')
  }
}
