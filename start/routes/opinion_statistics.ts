/*
|--------------------------------------------------------------------------
| 区民の声: statistics and the opinion CSV export
|--------------------------------------------------------------------------
*/
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const OpinionStatisticsController = () =>
  import('#controllers/opinions/opinion_statistics_controller')
const OpinionExportsController = () => import('#controllers/opinions/opinion_exports_controller')

router
  .group(() => {
    router
      .get('/opinion-statistics', [OpinionStatisticsController, 'show'])
      .as('opinion_statistics.show')
    router.get('/opinions/export.csv', [OpinionExportsController, 'csv']).as('opinions.export')
  })
  .use(middleware.auth())
