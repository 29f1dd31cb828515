/*
|--------------------------------------------------------------------------
| Oversight: incident reports (事故報告) of contracts
|--------------------------------------------------------------------------
*/
import router from '@adonisjs/core/services/router'
import { ID_PARAM } from '#start/route_params'
import { middleware } from '#start/kernel'

const IncidentReportsController = () => import('#controllers/oversight/incident_reports_controller')

router.where('contractId', ID_PARAM)

router
  .group(() => {
    router.get('/incidents', [IncidentReportsController, 'index']).as('incidents.index')
    router.get('/incidents/create', [IncidentReportsController, 'choose']).as('incidents.choose')
    router
      .get('/contracts/:contractId/incidents/create', [IncidentReportsController, 'create'])
      .as('incidents.create')
    router
      .post('/contracts/:contractId/incidents', [IncidentReportsController, 'store'])
      .as('incidents.store')
    router.get('/incidents/:id', [IncidentReportsController, 'show']).as('incidents.show')
    router.get('/incidents/:id/edit', [IncidentReportsController, 'edit']).as('incidents.edit')
    router.put('/incidents/:id', [IncidentReportsController, 'update']).as('incidents.update')
    router
      .post('/incidents/:id/ppc-reports', [IncidentReportsController, 'ppcReport'])
      .as('incidents.ppc_report')
    router
      .post('/incidents/:id/notification', [IncidentReportsController, 'notification'])
      .as('incidents.notification')
  })
  .use(middleware.auth())
