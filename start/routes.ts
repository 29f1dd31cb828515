/*
|--------------------------------------------------------------------------
| Routes file
|--------------------------------------------------------------------------
|
| Every route is named `resource.action`. Staff and contractor pages sit
| behind the "web" guard, the citizen portal behind the "citizen" guard.
|
*/
import router from '@adonisjs/core/services/router'
import { ID_PARAM } from '#start/route_params'
import { middleware } from '#start/kernel'
import { loginThrottle, passwordResetEmailThrottle, passwordResetIpThrottle } from '#start/limiter'
import '#start/routes/contractors'
import '#start/routes/register'
import '#start/routes/council'
import '#start/routes/oversight'
import '#start/routes/oversight_audits'
import '#start/routes/incidents'
import '#start/routes/contractor_portal'
import '#start/routes/training'
import '#start/routes/faq'
import '#start/routes/opinions'
import '#start/routes/canned_texts'
import '#start/routes/opinion_statistics'
import '#start/routes/tasks'
import '#start/routes/my_work'

const HomeController = () => import('#controllers/home_controller')
const AssetsController = () => import('#controllers/assets_controller')
const SessionController = () => import('#controllers/session_controller')
const DashboardController = () => import('#controllers/dashboard_controller')
const DepartmentsController = () => import('#controllers/register/departments_controller')
const AuditLogsController = () => import('#controllers/admin/audit_logs_controller')
const AdminUsersController = () => import('#controllers/admin/users_controller')
const AdminDepartmentsController = () => import('#controllers/admin/departments_controller')
const FailedJobsController = () => import('#controllers/admin/failed_jobs_controller')
const DepartmentApproversController = () =>
  import('#controllers/admin/department_approvers_controller')
const CitizenSessionController = () => import('#controllers/citizen/session_controller')
const CitizenRegistrationController = () => import('#controllers/citizen/registration_controller')
const CitizenPortalController = () => import('#controllers/citizen/portal_controller')
const CitizenVerificationController = () => import('#controllers/citizen/verification_controller')
const CitizenPasswordResetController = () =>
  import('#controllers/citizen/password_reset_controller')

router.where('id', ID_PARAM)

//* Public
router.get('/', [HomeController, 'show']).as('home')
router
  .get('/assets/design-tokens.css', [AssetsController, 'designTokens'])
  .as('assets.design_tokens')

//* Staff and contractor login
router
  .group(() => {
    router.get('/login', [SessionController, 'create']).as('session.create')
    router.post('/login', [SessionController, 'store']).as('session.store') // throttled on failures only (LoginThrottle)
  })
  .use(middleware.guest({ guard: 'web' }))
router.post('/logout', [SessionController, 'destroy']).as('session.destroy').use(middleware.auth())

//* Staff and contractor pages
router
  .group(() => {
    router.get('/dashboard', [DashboardController, 'show']).as('dashboard.show')
    router.get('/departments', [DepartmentsController, 'index']).as('departments.index')
    router.get('/departments/:id', [DepartmentsController, 'show']).as('departments.show')
    router.get('/audit-logs', [AuditLogsController, 'index']).as('audit_logs.index')
  })
  .use(middleware.auth())

//* Administration
router
  .group(() => {
    router.get('/users', [AdminUsersController, 'index']).as('users.index')
    router.get('/users/create', [AdminUsersController, 'create']).as('users.create')
    router.post('/users', [AdminUsersController, 'store']).as('users.store')
    router.get('/users/:id/edit', [AdminUsersController, 'edit']).as('users.edit')
    router.put('/users/:id', [AdminUsersController, 'update']).as('users.update')
    router
      .get('/departments/create', [AdminDepartmentsController, 'create'])
      .as('departments.create')
    router.post('/departments', [AdminDepartmentsController, 'store']).as('departments.store')
    router.get('/departments/:id/edit', [AdminDepartmentsController, 'edit']).as('departments.edit')
    router.put('/departments/:id', [AdminDepartmentsController, 'update']).as('departments.update')
    router
      .get('/departments/:id/approvers', [DepartmentApproversController, 'show'])
      .as('departments.approvers')
    router
      .post('/departments/:id/approvers', [DepartmentApproversController, 'store'])
      .as('departments.approvers.store')
    router
      .delete('/departments/:id/approvers/:approverId', [DepartmentApproversController, 'destroy'])
      .where('approverId', ID_PARAM)
      .as('departments.approvers.destroy')
    router
      .post('/departments/:id/absences', [DepartmentApproversController, 'storeAbsence'])
      .as('departments.absences.store')
    router
      .delete('/departments/:id/absences/:absenceId', [
        DepartmentApproversController,
        'destroyAbsence',
      ])
      .where('absenceId', ID_PARAM)
      .as('departments.absences.destroy')
    router.get('/failed-jobs', [FailedJobsController, 'index']).as('failed_jobs.index')
    router.post('/failed-jobs/:id/retry', [FailedJobsController, 'retry']).as('failed_jobs.retry')
  })
  .prefix('/admin')
  .as('admin')
  .use([middleware.auth(), middleware.role({ roles: ['admin'] })])

//* Citizen portal
router
  .group(() => {
    router.get('/login', [CitizenSessionController, 'create']).as('session.create')
    router.post('/login', [CitizenSessionController, 'store']).as('session.store') // throttled on failures only (LoginThrottle)
    router.get('/register', [CitizenRegistrationController, 'create']).as('registration.create')
    router
      .post('/register', [CitizenRegistrationController, 'store'])
      .as('registration.store')
      .use(loginThrottle)
    router.get('/register/sent', [CitizenRegistrationController, 'sent']).as('registration.sent')
    router.get('/verify/:id', [CitizenVerificationController, 'verify']).as('verification.verify')
    router
      .get('/verification/resend', [CitizenVerificationController, 'create'])
      .as('verification.create')
    router
      .post('/verification/resend', [CitizenVerificationController, 'store'])
      .as('verification.store')
      .use(loginThrottle)
    router
      .get('/password/forgot', [CitizenPasswordResetController, 'create'])
      .as('password_reset.create')
    router
      .post('/password/forgot', [CitizenPasswordResetController, 'store'])
      .as('password_reset.store')
      .use([passwordResetIpThrottle, passwordResetEmailThrottle])
    router
      .get('/password/reset/:id', [CitizenPasswordResetController, 'edit'])
      .as('password_reset.edit')
    router
      .post('/password/reset/:id', [CitizenPasswordResetController, 'update'])
      .as('password_reset.update')
  })
  .prefix('/citizen')
  .as('citizen')
  .use(middleware.guest({ guard: 'citizen' }))

router
  .group(() => {
    router.get('/', [CitizenPortalController, 'show']).as('portal.show')
    router.post('/logout', [CitizenSessionController, 'destroy']).as('session.destroy')
  })
  .prefix('/citizen')
  .as('citizen')
  .use(middleware.citizenAuth())
