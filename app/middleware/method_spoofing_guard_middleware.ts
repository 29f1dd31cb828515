import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

/**
 * Forms spoof PUT/DELETE with a `_method` field (config/app.ts
 * allowMethodSpoofing). The framework upper-cases that field without
 * looking at its type, so `_method[]=PUT` or `_method[a]=b` ended every
 * request in a 500 (found by the fuzz suite, tests/functional/fuzz_forms.spec.ts).
 * A `_method` that is not a string is dropped: the request stays a POST.
 *
 * Registered twice: as server middleware for the query string (the route
 * is matched before the body is read) and after the body parser for the body.
 */
export default class MethodSpoofingGuardMiddleware {
  handle({ request }: HttpContext, next: NextFn) {
    const qs = request.qs()
    if ('_method' in qs && typeof qs._method !== 'string') {
      const { _method: droppedMethod, ...rest } = qs
      request.updateQs(rest)
    }
    const body = request.body()
    if ('_method' in body && typeof body._method !== 'string') {
      const { _method: droppedMethod, ...rest } = body
      request.updateBody(rest)
    }
    return next()
  }
}
