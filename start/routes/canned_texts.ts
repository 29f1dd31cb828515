/*
|--------------------------------------------------------------------------
| 定型文: the departments' canned reply texts
|--------------------------------------------------------------------------
*/
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const CannedTextsController = () => import('#controllers/opinions/canned_texts_controller')

router
  .group(() => {
    router.get('/canned-texts', [CannedTextsController, 'index']).as('canned_texts.index')
    router.get('/canned-texts/create', [CannedTextsController, 'create']).as('canned_texts.create')
    router.post('/canned-texts', [CannedTextsController, 'store']).as('canned_texts.store')
    router.get('/canned-texts/:id/edit', [CannedTextsController, 'edit']).as('canned_texts.edit')
    router.put('/canned-texts/:id', [CannedTextsController, 'update']).as('canned_texts.update')
    router
      .delete('/canned-texts/:id', [CannedTextsController, 'destroy'])
      .as('canned_texts.destroy')
  })
  .use(middleware.auth())
