/*
|--------------------------------------------------------------------------
| Contractor portal: handler rosters, deletion certificates, periodic reports
|--------------------------------------------------------------------------
|
| Contractor users submit; ward staff of the department and privacy
| officers read the same pages and acknowledge, verify or reject. Uploaded
| files are only ever streamed through the download actions.
|
*/
import router from '@adonisjs/core/services/router'
import { ID_PARAM } from '#start/route_params'
import { middleware } from '#start/kernel'

const ContractorPortalController = () =>
  import('#controllers/oversight/contractor_portal_controller')
const RostersController = () => import('#controllers/oversight/rosters_controller')
const CertificatesController = () => import('#controllers/oversight/certificates_controller')
const PeriodicReportsController = () => import('#controllers/oversight/periodic_reports_controller')

router.where('contractId', ID_PARAM)

router
  .group(() => {
    router.get('/portal', [ContractorPortalController, 'index']).as('portal.index')
    router.get('/portal/contracts/:id', [ContractorPortalController, 'show']).as('portal.show')

    router.get('/contracts/:contractId/rosters', [RostersController, 'index']).as('rosters.index')
    router
      .get('/contracts/:contractId/rosters/create', [RostersController, 'create'])
      .as('rosters.create')
    router.post('/contracts/:contractId/rosters', [RostersController, 'store']).as('rosters.store')
    router
      .post('/contracts/:contractId/rosters/rows', [RostersController, 'addRows'])
      .as('rosters.add_rows')
    router.get('/rosters/:id', [RostersController, 'show']).as('rosters.show')
    router
      .post('/rosters/:id/acknowledge', [RostersController, 'acknowledge'])
      .as('rosters.acknowledge')

    router
      .get('/contracts/:contractId/certificates', [CertificatesController, 'index'])
      .as('certificates.index')
    router
      .get('/contracts/:contractId/certificates/create', [CertificatesController, 'create'])
      .as('certificates.create')
    router
      .post('/contracts/:contractId/certificates', [CertificatesController, 'store'])
      .as('certificates.store')
    router.get('/certificates/:id', [CertificatesController, 'show']).as('certificates.show')
    router
      .get('/certificates/:id/file', [CertificatesController, 'download'])
      .as('certificates.download')
    router
      .post('/certificates/:id/verify', [CertificatesController, 'verify'])
      .as('certificates.verify')
    router
      .post('/certificates/:id/reject', [CertificatesController, 'reject'])
      .as('certificates.reject')

    router
      .get('/contracts/:contractId/periodic-reports', [PeriodicReportsController, 'index'])
      .as('periodic_reports.index')
    router
      .get('/contracts/:contractId/periodic-reports/create', [PeriodicReportsController, 'create'])
      .as('periodic_reports.create')
    router
      .post('/contracts/:contractId/periodic-reports', [PeriodicReportsController, 'store'])
      .as('periodic_reports.store')
    router
      .get('/periodic-reports/:id', [PeriodicReportsController, 'show'])
      .as('periodic_reports.show')
    router
      .get('/periodic-reports/:id/file', [PeriodicReportsController, 'download'])
      .as('periodic_reports.download')
    router
      .post('/periodic-reports/:id/verify', [PeriodicReportsController, 'verify'])
      .as('periodic_reports.verify')
    router
      .post('/periodic-reports/:id/reject', [PeriodicReportsController, 'reject'])
      .as('periodic_reports.reject')
  })
  .use(middleware.auth())
