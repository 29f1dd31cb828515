/*
|--------------------------------------------------------------------------
| 区民の声: statistics and the opinion CSV export (a background task)
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
    router
      .post('/opinions/exports', [OpinionExportsController, 'store'])
      .as('opinions.exports.store')
    // The former streamed CSV (bookmarks): now leads to the statistics page, where the CSV is made.
    router.get('/opinions/export.csv', [OpinionExportsController, 'legacy']).as('opinions.export')
  })
  .use(middleware.auth())
