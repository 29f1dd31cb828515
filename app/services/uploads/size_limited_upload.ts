import { createWriteStream } from 'node:fs'
import { unlink } from 'node:fs/promises'
import { pipeline } from 'node:stream/promises'
import type { HttpContext } from '@adonisjs/core/http'
import type { MultipartFile } from '@adonisjs/core/bodyparser'
import DomainError from '#exceptions/domain_error'
import { cleanInput } from '#middleware/input_hygiene_middleware'
import uploadTempFiles from '#services/uploads/upload_temp_files'

/** Multipart errors that mean the upload was larger than allowed. */
const TOO_LARGE_CODES = new Set(['E_REQUEST_ENTITY_TOO_LARGE', 'E_STREAM_VALIDATION_FAILURE'])

/**
 * A form with one file read from a multipart body the body parser left alone
 * (config/bodyparser.ts processManually): the file's size is checked while it streams, so an
 * upload over the limit comes back on the form as `tooLargeMessage` under the file input, with
 * the fields sent before the file kept, instead of the body parser's bare 413.
 */
export default class SizeLimitedUpload {
  static async read(
    request: HttpContext['request'],
    options: { field: string; maxBytes: number; tooLargeMessage: string; brokenMessage: string }
  ): Promise<MultipartFile | null> {
    if (request.is(['multipart/form-data']) && request.multipart?.state === 'idle') {
      request.multipart.onFile(
        options.field,
        { size: options.maxBytes },
        async (part, reporter) => {
          const tmpPath = uploadTempFiles.path()
          try {
            part.pause()
            part.on('data', reporter)
            await pipeline(part, createWriteStream(tmpPath))
            return { tmpPath }
          } catch (error) {
            await unlink(tmpPath).catch(() => {})
            request.multipart.abort(error)
          }
        }
      )
      try {
        await request.multipart.process()
      } catch (error) {
        SizeLimitedUpload.#cleanFields(request)
        const tooLarge = TOO_LARGE_CODES.has((error as { code?: string }).code ?? '')
        throw new DomainError(tooLarge ? options.tooLargeMessage : options.brokenMessage, {
          field: options.field,
          status: tooLarge ? 413 : 400,
        })
      }
    }
    SizeLimitedUpload.#cleanFields(request)
    // A file input left empty sends a part without a file name: no file.
    return request.file(options.field) ?? null
  }

  /**
   * The fields read from the multipart body, as InputHygieneMiddleware makes every body (it
   * ran before they were read): control characters removed, and kept for the form sent back.
   */
  static #cleanFields(request: HttpContext['request']) {
    const fields = Object.freeze(cleanInput(request.body())) as Record<string, any>
    request.updateBody({ ...fields })
    request.original = () => fields
  }
}
