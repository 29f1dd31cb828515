import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

/** Requests waiting for their turn, oldest first. */
const waiting: Array<() => void> = []
let pumping = false

/** Lets the oldest waiting request start; the next one starts on the next turn of the loop. */
function pump() {
  waiting.shift()?.()
  if (waiting.length > 0) setImmediate(pump)
  else pumping = false
}

/** Resolves on a later turn of the event loop, one caller per turn, first come first served. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve)
    if (!pumping) {
      pumping = true
      setImmediate(pump)
    }
  })
}

/**
 * Starts one request per turn of the event loop, in the order they arrived. Node accepts a new
 * connection once per turn, and a turn runs every request that is ready until it waits for I/O:
 * on SQLite (synchronous queries) that is the whole page. Under load a turn grew to seconds, so
 * a new connection waited many of them: with 50 connections on the opinion list, a dozen got no
 * answer within 10 s while the others got one every 2 s. One start per turn keeps turns short
 * and serves connections in turn.
 */
export default class RequestTurnMiddleware {
  async handle(_ctx: HttpContext, next: NextFn) {
    await nextTurn()
    return next()
  }
}
