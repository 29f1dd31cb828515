import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { ResponsesInProgress } from '#services/jobs/responses_in_progress'

/** Lets in-process jobs wait for the response of the request that dispatched them. */
export default class TrackResponsesMiddleware {
  handle(ctx: HttpContext, next: NextFn) {
    ResponsesInProgress.track(ctx.response.response)
    return next()
  }
}
