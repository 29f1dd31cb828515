/*
|--------------------------------------------------------------------------
| Contractor routes (委託先)
|--------------------------------------------------------------------------
|
| Ward staff browse contractors, the privacy office registers and edits
| them, a contractor user reaches only its own (ContractorPolicy).
|
*/
import router from '@adonisjs/core/services/router'
import { ID_PARAM } from '#start/route_params'
import { middleware } from '#start/kernel'

const ContractorsController = () => import('#controllers/register/contractors_controller')

router
  .group(() => {
    router.get('/', [ContractorsController, 'index']).as('index')
    router.get('/create', [ContractorsController, 'create']).as('create')
    router.post('/', [ContractorsController, 'store']).as('store')
    router.get('/:id', [ContractorsController, 'show']).as('show')
    router.get('/:id/edit', [ContractorsController, 'edit']).as('edit')
    router.put('/:id', [ContractorsController, 'update']).as('update')
  })
  .prefix('/contractors')
  .as('contractors')
  .where('id', ID_PARAM)
  .use(middleware.auth())
