/*
|--------------------------------------------------------------------------
| Oversight: on-site audits (立入調査) of contracts and subcontracts
|--------------------------------------------------------------------------
*/
import router from '@adonisjs/core/services/router'
import { ID_PARAM } from '#start/route_params'
import { middleware } from '#start/kernel'

const OversightAuditsController = () => import('#controllers/oversight/oversight_audits_controller')

router
  .group(() => {
    router
      .get('/oversight-audits', [OversightAuditsController, 'index'])
      .as('oversight_audits.index')
    router
      .get('/contracts/:contractId/oversight-audits/create', [OversightAuditsController, 'create'])
      .where('contractId', ID_PARAM)
      .as('oversight_audits.create')
    router
      .post('/contracts/:contractId/oversight-audits', [OversightAuditsController, 'store'])
      .where('contractId', ID_PARAM)
      .as('oversight_audits.store')
    router
      .get('/oversight-audits/:id', [OversightAuditsController, 'show'])
      .as('oversight_audits.show')
    router
      .get('/oversight-audits/:id/edit', [OversightAuditsController, 'edit'])
      .as('oversight_audits.edit')
    router
      .put('/oversight-audits/:id', [OversightAuditsController, 'update'])
      .as('oversight_audits.update')
    router
      .post('/oversight-audits/:id/rows', [OversightAuditsController, 'addRows'])
      .as('oversight_audits.add_rows')
    router
      .get('/oversight-audits/:id/checklist', [OversightAuditsController, 'checklist'])
      .as('oversight_audits.checklist')
    router
      .put('/oversight-audits/:id/checklist/:section', [OversightAuditsController, 'saveSection'])
      .where('section', /^[a-z_]{1,40}$/)
      .as('oversight_audits.save_section')
    router
      .get('/oversight-audits/:id/report.pdf', [OversightAuditsController, 'report'])
      .as('oversight_audits.report')
    router
      .post('/oversight-audits/:id/attachments', [OversightAuditsController, 'attach'])
      .as('oversight_audits.attach')
    router
      .get('/oversight-audits/:id/attachments/:attachmentId', [
        OversightAuditsController,
        'download',
      ])
      .where('attachmentId', ID_PARAM)
      .as('oversight_audits.download')
    router
      .delete('/oversight-audits/:id/attachments/:attachmentId', [
        OversightAuditsController,
        'detach',
      ])
      .where('attachmentId', ID_PARAM)
      .as('oversight_audits.detach')
  })
  .use(middleware.auth())
