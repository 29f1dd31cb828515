/*
|--------------------------------------------------------------------------
| Training records of contractors (従業員教育)
|--------------------------------------------------------------------------
*/
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const TrainingRecordsController = () => import('#controllers/oversight/training_records_controller')

router
  .group(() => {
    router
      .get('/contracts/:contractId/training', [TrainingRecordsController, 'index'])
      .as('training_records.index')
    router
      .post('/contracts/:contractId/training', [TrainingRecordsController, 'store'])
      .as('training_records.store')
  })
  .use(middleware.auth())
