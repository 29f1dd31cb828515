/*
|--------------------------------------------------------------------------
| 区民の声: staff workflow, the citizen portal's submissions, the anonymous box
|--------------------------------------------------------------------------
*/
import router from '@adonisjs/core/services/router'
import { ID_PARAM } from '#start/route_params'
import { middleware } from '#start/kernel'
import { publicFormThrottle } from '#start/limiter'

const OpinionsController = () => import('#controllers/opinions/opinions_controller')
const OpinionStepsController = () => import('#controllers/opinions/opinion_steps_controller')
const OpinionRepliesController = () => import('#controllers/opinions/opinion_replies_controller')
const OpinionAssignmentsController = () =>
  import('#controllers/opinions/opinion_assignments_controller')
const OpinionCorrectionsController = () =>
  import('#controllers/opinions/opinion_corrections_controller')
const OpinionAttachmentsController = () =>
  import('#controllers/opinions/opinion_attachments_controller')
const CitizenOpinionsController = () => import('#controllers/citizen/opinions_controller')
const PublicOpinionsController = () => import('#controllers/citizen/public_opinions_controller')

router.where('eventId', ID_PARAM)
router.where('replyId', ID_PARAM)
router.where('attachmentId', ID_PARAM)

router
  .group(() => {
    router.get('/opinions', [OpinionsController, 'index']).as('opinions.index')
    router.get('/opinions/create', [OpinionsController, 'create']).as('opinions.create')
    router.post('/opinions', [OpinionsController, 'store']).as('opinions.store')
    router.get('/opinions/history', [OpinionsController, 'history']).as('opinions.history')
    router.get('/opinions/:id', [OpinionsController, 'show']).as('opinions.show')
    router.post('/opinions/:id/forward', [OpinionStepsController, 'forward']).as('opinions.forward')
    router
      .post('/opinions/:id/handlings', [OpinionStepsController, 'handling'])
      .as('opinions.handling')
    router
      .post('/opinions/:id/assignments', [OpinionAssignmentsController, 'update'])
      .as('opinions.assign')
    router.post('/opinions/:id/notes', [OpinionStepsController, 'note']).as('opinions.note')
    router
      .post('/opinions/:id/events/:eventId/corrections', [OpinionStepsController, 'correct'])
      .as('opinions.correct')
    router.post('/opinions/:id/close', [OpinionStepsController, 'close']).as('opinions.close')
    router
      .post('/opinions/:id/details', [OpinionCorrectionsController, 'store'])
      .as('opinions.details.correct')
    router
      .post('/opinions/:id/attachments', [OpinionAttachmentsController, 'store'])
      .as('opinions.attachments.store')
    router
      .get('/opinions/:id/attachments/:attachmentId', [OpinionAttachmentsController, 'show'])
      .as('opinions.attachments.show')
    router
      .delete('/opinions/:id/attachments/:attachmentId', [OpinionAttachmentsController, 'destroy'])
      .as('opinions.attachments.destroy')
    router
      .post('/opinions/:id/replies', [OpinionRepliesController, 'save'])
      .as('opinions.replies.save')
    router
      .post('/opinions/:id/replies/:replyId/request', [OpinionRepliesController, 'request'])
      .as('opinions.replies.request')
    router
      .post('/opinions/:id/replies/:replyId/approve', [OpinionRepliesController, 'approve'])
      .as('opinions.replies.approve')
    router
      .post('/opinions/:id/replies/:replyId/return', [OpinionRepliesController, 'sendBack'])
      .as('opinions.replies.return')
    router
      .post('/opinions/:id/replies/:replyId/send', [OpinionRepliesController, 'send'])
      .as('opinions.replies.send')
    router
      .post('/opinions/:id/replies/canned-text', [OpinionRepliesController, 'insertCannedText'])
      .as('opinions.replies.insert_canned_text')
    router
      .get('/opinions/:id/replies/:replyId/letter.pdf', [OpinionRepliesController, 'letter'])
      .as('opinions.replies.letter')
  })
  .use(middleware.auth())

router
  .group(() => {
    router.get('/opinions/create', [CitizenOpinionsController, 'create']).as('opinions.create')
    router.post('/opinions', [CitizenOpinionsController, 'store']).as('opinions.store')
    router.get('/opinions/:id', [CitizenOpinionsController, 'show']).as('opinions.show')
  })
  .prefix('/citizen')
  .as('citizen')
  .use(middleware.citizenAuth())

router.get('/voice', [PublicOpinionsController, 'create']).as('public_opinions.create')
router
  .post('/voice', [PublicOpinionsController, 'store'])
  .as('public_opinions.store')
  .use(publicFormThrottle)
router.get('/voice/thanks', [PublicOpinionsController, 'thanks']).as('public_opinions.thanks')
