/*
|--------------------------------------------------------------------------
| わたしの仕事: one section of the start page's list, every item of it
|--------------------------------------------------------------------------
*/
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { MY_WORK_SECTIONS } from '#services/my_work/my_work_section'

const MyWorkController = () => import('#controllers/my_work/my_work_controller')

router
  .get('/my-work/:section', [MyWorkController, 'show'])
  .where('section', { match: new RegExp(`^(?:${MY_WORK_SECTIONS.join('|')})$`) })
  .as('my_work.show')
  .use(middleware.auth())
