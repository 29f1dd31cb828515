import { readdirSync } from 'node:fs'
import app from '@adonisjs/core/services/app'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import StaticMiddleware from '@adonisjs/static/static_middleware'

let entries: Set<string> | null = null

/** The names at the top of public/ (css, js …): read once in production, on each request otherwise. */
function publicEntries(): Set<string> {
  if (entries && app.inProduction) return entries
  entries = new Set(readdirSync(app.publicPath()))
  return entries
}

/**
 * The file server, made once: the container's binding builds a new one (and its serve-static
 * handler) each time it is asked, which was on every request.
 */
let files: Promise<StaticMiddleware> | null = null

/**
 * The files of public/, served by @adonisjs/static, which is asked only for paths under one
 * of public/'s own entries (/css/app.css, /js/…). Asked for every request, the file server
 * looks on disk for /opinions, fails, and runs the page inside its callbacks: about a tenth
 * of what a page costs before its own work (issue 19).
 */
export default class PublicFilesMiddleware {
  handle(ctx: HttpContext, next: NextFn) {
    const path = ctx.request.url()
    const end = path.indexOf('/', 1)
    const firstSegment = path.slice(1, end === -1 ? undefined : end)
    if (!publicEntries().has(firstSegment)) return next()
    files ??= app.container.make(StaticMiddleware)
    return files.then((server) => server.handle(ctx, next))
  }
}
