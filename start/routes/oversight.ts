/*
|--------------------------------------------------------------------------
| Contractor oversight: duties and the compliance dashboard
|--------------------------------------------------------------------------
*/
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const OversightController = () => import('#controllers/oversight/oversight_controller')

router
  .group(() => {
    router.get('/oversight', [OversightController, 'dashboard']).as('oversight.dashboard')
    router.get('/oversight/export.csv', [OversightController, 'csv']).as('oversight.export')
    router.get('/oversight/report.pdf', [OversightController, 'report']).as('oversight.report')
    router.post('/duties/:id/waive', [OversightController, 'waive']).as('duties.waive')
  })
  .use(middleware.auth())
