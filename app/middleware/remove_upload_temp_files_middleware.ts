import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import uploadTempFiles from '#services/uploads/upload_temp_files'

/**
 * Runs before the body parser: whatever happens to the request (success,
 * validation error, failed import, exception), the uploaded files' temporary
 * copies are deleted once it is handled (try/finally).
 */
export default class RemoveUploadTempFilesMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    try {
      return await next()
    } finally {
      await uploadTempFiles.removeAll(ctx.request)
    }
  }
}
