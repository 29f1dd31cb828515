import { Readable } from 'node:stream'
import { inject } from '@adonisjs/core'
import { Disk } from '@adonisjs/drive'
import type { Response } from '@adonisjs/core/http'
import type { MultipartFile } from '@adonisjs/core/bodyparser'
import StreamedBuffers from '#services/streamed_buffers'
import UploadChecker from '#services/uploads/upload_checker'

export interface StoredFile {
  storageKey: string
  originalName: string
  size: number | null
  contentType: string
}

/**
 * The files of the oversight domain (deletion certificates, periodic
 * reports, audit attachments) on the private disk (the default `fs` disk of
 * config/drive.ts, `serveFiles: false`): streamed, never served publicly,
 * always as a download under the name the user gave.
 */
@inject()
export default class StoredFiles {
  constructor(private disk: Disk) {}

  /** Streams a stored file with headers that keep it private and out of the browser's sniffing. */
  async send(response: Response, file: StoredFile) {
    const stream = await this.disk.getStream(file.storageKey)
    response.header('content-type', file.contentType)
    response.header('content-length', String(file.size))
    response.header('x-content-type-options', 'nosniff')
    response.header('cache-control', 'private, no-store')
    response.header('content-disposition', UploadChecker.disposition(file.originalName))
    // A big file (a CSV of every opinion) is read a new buffer at a time: freed as it goes.
    return response.stream(Readable.from(StreamedBuffers.released(stream), { objectMode: false }))
  }

  /**
   * Moves an upload to the private disk under `key`, then runs `save` (the
   * transaction that records it); the file is deleted again when `save` fails.
   */
  async store<T>(file: MultipartFile, key: string, save: () => Promise<T>): Promise<T> {
    await this.disk.moveFromFs(file.tmpPath!, key)
    file.markAsMoved(key, key)
    try {
      return await save()
    } catch (error) {
      await this.disk.delete(key)
      throw error
    }
  }

  async delete(storageKey: string) {
    await this.disk.delete(storageKey)
  }
}
