/*
|--------------------------------------------------------------------------
| Background tasks: the progress and result of an import or export
|--------------------------------------------------------------------------
*/
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const BackgroundTasksController = () => import('#controllers/tasks/background_tasks_controller')

router
  .group(() => {
    router.get('/tasks/:id', [BackgroundTasksController, 'show']).as('tasks.show')
    router.get('/tasks/:id/progress', [BackgroundTasksController, 'progress']).as('tasks.progress')
    router.get('/tasks/:id/download', [BackgroundTasksController, 'download']).as('tasks.download')
  })
  .use(middleware.auth())
