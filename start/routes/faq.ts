/*
|--------------------------------------------------------------------------
| FAQ (よくある質問と回答) and the legacy data import
|--------------------------------------------------------------------------
|
| /faq is the citizen site (no login). /faq-entries is for staff,
| operators and contracted call-center users.
|
*/
import router from '@adonisjs/core/services/router'
import { ID_PARAM } from '#start/route_params'
import { middleware } from '#start/kernel'

const FaqController = () => import('#controllers/faq/faq_controller')
const FaqEntriesController = () => import('#controllers/faq/faq_entries_controller')
const FaqSearchController = () => import('#controllers/faq/faq_search_controller')
const LegacyImportsController = () => import('#controllers/admin/legacy_imports_controller')

router.where('topicId', ID_PARAM)

//* Citizen site
router.get('/faq', [FaqController, 'index']).as('faq.index')
router.get('/faq/topics/:topicId', [FaqController, 'topic']).as('faq.topic')
router.get('/faq/:id', [FaqController, 'show']).as('faq.show')

//* Staff
router
  .group(() => {
    router.get('/faq-entries', [FaqEntriesController, 'index']).as('faq_entries.index')
    router.get('/faq-entries/search', [FaqSearchController, 'show']).as('faq_entries.search')
    router.get('/faq-entries/export', [FaqEntriesController, 'export']).as('faq_entries.export')
    router.get('/faq-entries/create', [FaqEntriesController, 'create']).as('faq_entries.create')
    router.post('/faq-entries', [FaqEntriesController, 'store']).as('faq_entries.store')
    router.get('/faq-entries/:id', [FaqEntriesController, 'show']).as('faq_entries.show')
    router.get('/faq-entries/:id/edit', [FaqEntriesController, 'edit']).as('faq_entries.edit')
    router.put('/faq-entries/:id', [FaqEntriesController, 'update']).as('faq_entries.update')
    router
      .get('/faq-entries/:id/history', [FaqEntriesController, 'history'])
      .as('faq_entries.history')
    router
      .post('/faq-entries/:id/approval-request', [FaqEntriesController, 'requestApproval'])
      .as('faq_entries.request_approval')
    router
      .post('/faq-entries/:id/approval', [FaqEntriesController, 'approve'])
      .as('faq_entries.approve')
    router
      .post('/faq-entries/:id/return', [FaqEntriesController, 'sendBack'])
      .as('faq_entries.send_back')
    router
      .post('/faq-entries/:id/withdrawal', [FaqEntriesController, 'withdraw'])
      .as('faq_entries.withdraw')

    router.get('/legacy-imports', [LegacyImportsController, 'create']).as('legacy_imports.create')
    router
      .post('/legacy-imports/preview', [LegacyImportsController, 'preview'])
      .as('legacy_imports.preview')
    router
      .post('/legacy-imports/:id/apply', [LegacyImportsController, 'apply'])
      .where('id', ID_PARAM)
      .as('legacy_imports.apply')
  })
  .use(middleware.auth())
