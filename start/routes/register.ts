/*
|--------------------------------------------------------------------------
| The register: systems, data items, contracts, subcontracts, special terms
|--------------------------------------------------------------------------
*/
import router from '@adonisjs/core/services/router'
import { ID_PARAM } from '#start/route_params'
import { middleware } from '#start/kernel'

const SystemsController = () => import('#controllers/register/systems_controller')
const DataItemsController = () => import('#controllers/register/data_items_controller')
const DataItemsBulkController = () => import('#controllers/register/data_items_bulk_controller')
const ContractsController = () => import('#controllers/register/contracts_controller')
const SpecialTermsController = () => import('#controllers/register/special_terms_controller')
const RegisterExportsController = () => import('#controllers/register/register_exports_controller')

router.where('systemId', ID_PARAM)

router
  .group(() => {
    router.get('/systems', [SystemsController, 'index']).as('systems.index')
    router.get('/systems/export.csv', [RegisterExportsController, 'systems']).as('systems.export')
    router
      .get('/systems/items.csv', [RegisterExportsController, 'dataItems'])
      .as('data_items.export')
    router.get('/systems/create', [SystemsController, 'create']).as('systems.create')
    router.post('/systems', [SystemsController, 'store']).as('systems.store')
    router.get('/systems/:id', [SystemsController, 'show']).as('systems.show')
    router.get('/systems/:id/edit', [SystemsController, 'edit']).as('systems.edit')
    router.put('/systems/:id', [SystemsController, 'update']).as('systems.update')
    router.get('/systems/:id/history', [SystemsController, 'history']).as('systems.history')

    //* 記録項目の一括編集 (before /items/:id, which would take "bulk" for an id)
    router
      .get('/systems/:systemId/items/bulk', [DataItemsBulkController, 'edit'])
      .as('data_items.bulk')
    router
      .put('/systems/:systemId/items/bulk', [DataItemsBulkController, 'update'])
      .as('data_items.bulk_update')
    router
      .post('/systems/:systemId/items/bulk/preview', [DataItemsBulkController, 'preview'])
      .as('data_items.bulk_preview')
    router
      .get('/systems/:systemId/items/create', [DataItemsController, 'create'])
      .as('data_items.create')
    router.post('/systems/:systemId/items', [DataItemsController, 'store']).as('data_items.store')
    router
      .get('/systems/:systemId/items/:id/edit', [DataItemsController, 'edit'])
      .as('data_items.edit')
    router
      .put('/systems/:systemId/items/:id', [DataItemsController, 'update'])
      .as('data_items.update')
    router
      .delete('/systems/:systemId/items/:id', [DataItemsController, 'destroy'])
      .as('data_items.destroy')

    router.get('/contracts', [ContractsController, 'index']).as('contracts.index')
    router
      .get('/systems/:systemId/contracts/create', [ContractsController, 'create'])
      .as('contracts.create')
    router
      .post('/systems/:systemId/contracts', [ContractsController, 'store'])
      .as('contracts.store')
    router.get('/contracts/:id', [ContractsController, 'show']).as('contracts.show')
    router.get('/contracts/:id/edit', [ContractsController, 'edit']).as('contracts.edit')
    router.put('/contracts/:id', [ContractsController, 'update']).as('contracts.update')
    router.post('/contracts/:id/approve', [ContractsController, 'approve']).as('contracts.approve')
    router.post('/contracts/:id/end', [ContractsController, 'end']).as('contracts.end')

    router.get('/special-terms', [SpecialTermsController, 'index']).as('special_terms.index')
    router
      .get('/special-terms/create', [SpecialTermsController, 'create'])
      .as('special_terms.create')
    router.post('/special-terms', [SpecialTermsController, 'store']).as('special_terms.store')
    router
      .post('/special-terms/preview', [SpecialTermsController, 'preview'])
      .as('special_terms.preview')
    router.get('/special-terms/:id', [SpecialTermsController, 'show']).as('special_terms.show')
    router
      .get('/special-terms/:id/new-version', [SpecialTermsController, 'createVersion'])
      .as('special_terms.versions.create')
    router
      .post('/special-terms/:id/versions', [SpecialTermsController, 'storeVersion'])
      .as('special_terms.versions.store')
    router
      .post('/special-terms/:id/preview', [SpecialTermsController, 'preview'])
      .as('special_terms.versions.preview')
  })
  .use(middleware.auth())

//* 個人情報ファイル簿: published, no login
router.get('/file-register', [RegisterExportsController, 'fileRegister']).as('file_register.index')
router
  .get('/file-register.csv', [RegisterExportsController, 'fileRegisterCsv'])
  .as('file_register.export')
