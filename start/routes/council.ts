/*
|--------------------------------------------------------------------------
| The privacy review council (審議会)
|--------------------------------------------------------------------------
*/
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const CouncilController = () => import('#controllers/council/council_controller')
const CouncilItemsController = () => import('#controllers/council/council_items_controller')

router
  .group(() => {
    router.get('/council', [CouncilController, 'dashboard']).as('council.dashboard')
    router
      .post('/council/meetings', [CouncilController, 'storeMeeting'])
      .as('council.meetings.store')
    router
      .get('/council/items/create', [CouncilItemsController, 'create'])
      .as('council_items.create')
    router.post('/council/items', [CouncilItemsController, 'store']).as('council_items.store')
    router.get('/council/items/:id', [CouncilItemsController, 'show']).as('council_items.show')
    router.get('/council/items/:id/edit', [CouncilItemsController, 'edit']).as('council_items.edit')
    router.put('/council/items/:id', [CouncilItemsController, 'update']).as('council_items.update')
    router
      .post('/council/items/:id/request-approval', [CouncilItemsController, 'requestApproval'])
      .as('council_items.request_approval')
    router
      .post('/council/items/:id/approve', [CouncilItemsController, 'approve'])
      .as('council_items.approve')
    router
      .post('/council/items/:id/submit', [CouncilItemsController, 'submit'])
      .as('council_items.submit')
    router
      .post('/council/items/:id/schedule', [CouncilItemsController, 'schedule'])
      .as('council_items.schedule')
    router
      .post('/council/items/:id/decide', [CouncilItemsController, 'decide'])
      .as('council_items.decide')
    router
      .get('/council/items/:id/document.pdf', [CouncilItemsController, 'document'])
      .as('council_items.document')
  })
  .use(middleware.auth())

//* 審議会資料の取込み: importing council documents into the register (the privacy office)
const CouncilImportsController = () => import('#controllers/council/council_imports_controller')

router
  .group(() => {
    router.get('/council/imports', [CouncilImportsController, 'index']).as('council_imports.index')
    router
      .get('/council/imports/create', [CouncilImportsController, 'create'])
      .as('council_imports.create')
    router.post('/council/imports', [CouncilImportsController, 'store']).as('council_imports.store')
    router
      .get('/council/imports/:id', [CouncilImportsController, 'show'])
      .as('council_imports.show')
    router
      .put('/council/imports/:id', [CouncilImportsController, 'update'])
      .as('council_imports.update')
    router
      .post('/council/imports/:id/confirm', [CouncilImportsController, 'confirm'])
      .as('council_imports.confirm')
    router
      .delete('/council/imports/:id', [CouncilImportsController, 'destroy'])
      .as('council_imports.destroy')
  })
  .use(middleware.auth())

//* 様式: council document templates (the privacy office)
const DocumentTemplatesController = () =>
  import('#controllers/council/document_templates_controller')

router
  .group(() => {
    router
      .get('/document-templates', [DocumentTemplatesController, 'index'])
      .as('document_templates.index')
    router
      .get('/document-templates/:id/edit', [DocumentTemplatesController, 'edit'])
      .as('document_templates.edit')
    router
      .put('/document-templates/:id', [DocumentTemplatesController, 'update'])
      .as('document_templates.update')
    router
      .post('/document-templates/:id/restore', [DocumentTemplatesController, 'restore'])
      .as('document_templates.restore')
  })
  .use(middleware.auth())
