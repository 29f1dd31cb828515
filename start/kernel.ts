/*
|--------------------------------------------------------------------------
| HTTP kernel file
|--------------------------------------------------------------------------
*/
import router from '@adonisjs/core/services/router'
import server from '@adonisjs/core/services/server'

server.errorHandler(() => import('#exceptions/handler'))

/**
 * Server middleware run on every request, even without a matching route.
 */
server.use([
  // The request's own id, before anything logs (a client's X-Request-Id is not taken).
  () => import('#middleware/request_id_middleware'),
  // Then one request starts per turn of the event loop (new connections are not starved).
  () => import('#middleware/request_turn_middleware'),
  () => import('#middleware/container_bindings_middleware'),
  () => import('#middleware/track_responses_middleware'),
  () => import('#middleware/method_spoofing_guard_middleware'),
  () => import('#middleware/public_files_middleware'),
])

/**
 * Router middleware run on every request with a matching route.
 */
router.use([
  // First, so that uploads are removed after the request whatever happens (personal data).
  () => import('#middleware/remove_upload_temp_files_middleware'),
  () => import('@adonisjs/core/bodyparser_middleware'),
  () => import('#middleware/method_spoofing_guard_middleware'),
  () => import('@adonisjs/session/session_middleware'),
  () => import('#middleware/session_lifetime_middleware'),
  // Around shield: a page that hands out no CSRF token keeps no session for an anonymous visit.
  () => import('#middleware/unused_csrf_secret_middleware'),
  () => import('@adonisjs/shield/shield_middleware'),
  () => import('#middleware/input_hygiene_middleware'),
  () => import('@adonisjs/auth/initialize_auth_middleware'),
  () => import('#middleware/silent_auth_middleware'),
  () => import('#middleware/detect_user_locale_middleware'),
  () => import('#middleware/initialize_bouncer_middleware'),
])

/**
 * Named middleware, assigned per route or group.
 */
export const middleware = router.named({
  guest: () => import('#middleware/guest_middleware'),
  auth: () => import('#middleware/auth_middleware'),
  citizenAuth: () => import('#middleware/citizen_auth_middleware'),
  role: () => import('#middleware/role_middleware'),
})
