import { mkdirSync } from 'node:fs'
import { unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { cuid } from '@adonisjs/core/helpers'
import app from '@adonisjs/core/services/app'
import logger from '@adonisjs/core/services/logger'
import type { Request } from '@adonisjs/core/http'

/**
 * Uploaded files (multipart) are written by the body parser to this folder
 * (config/bodyparser.ts, tmpFileName) instead of the system's /tmp, and
 * removed at the end of every request whatever happened (accepted, moved
 * to storage, refused by a validator, failed import, error page): an
 * uploaded CSV of the legacy import holds citizens' personal data in plain
 * text. See RemoveUploadTempFilesMiddleware.
 */
const uploadTempFiles = {
  /** The folder (private, mode 0700); tests point it at a folder of their own. */
  dir: app.tmpPath('uploads'),

  /** A new temporary path for one uploaded file. */
  path(): string {
    mkdirSync(uploadTempFiles.dir, { recursive: true, mode: 0o700 })
    return join(uploadTempFiles.dir, cuid())
  },

  /** The temporary paths of every file of a request (none when it had no body). */
  pathsOf(request: Request): string[] {
    let files: unknown
    try {
      files = request.allFiles()
    } catch {
      return []
    }
    const paths: string[] = []
    const walk = (value: unknown) => {
      if (!value || typeof value !== 'object') return
      if (Array.isArray(value)) return value.forEach(walk)
      const tmpPath = (value as { tmpPath?: unknown }).tmpPath
      if (typeof tmpPath === 'string') paths.push(tmpPath)
      else Object.values(value).forEach(walk)
    }
    walk(files)
    return paths
  },

  /** Deletes what is left of a request's uploads (a file moved to storage is already gone). */
  async removeAll(request: Request): Promise<number> {
    let removed = 0
    for (const path of uploadTempFiles.pathsOf(request)) {
      try {
        await unlink(path)
        removed++
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
          logger.error({ err: error }, 'could not remove an uploaded temporary file')
        }
      }
    }
    return removed
  },
}

export default uploadTempFiles
