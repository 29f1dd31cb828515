import { randomUUID } from 'node:crypto'
import { setImmediate } from 'node:timers/promises'
import { inject } from '@adonisjs/core'
import { Disk } from '@adonisjs/drive'
import fieldEncryption from '#services/field_encryption'

/**
 * Bytes encrypted in one piece: a 20 MB file at once kept the event loop busy for ~200 ms;
 * a piece takes a few milliseconds, and other requests get their turn between pieces.
 */
const PIECE_BYTES = 512 * 1024

/**
 * The uploaded legacy file between the upload and its check: it holds citizens' personal
 * data, so it is kept encrypted (field encryption, piece by piece, one piece a line) on the
 * default drive disk, and only until the check job has read it.
 */
@inject()
export default class LegacyUploads {
  constructor(private disk: Disk) {}

  /** Stores the file encrypted under a new key (tasks/<uuid>.bin); returns the key. */
  async put(bytes: Buffer): Promise<string> {
    const pieces: string[] = []
    for (let start = 0; start < bytes.length; start += PIECE_BYTES) {
      if (start > 0) await setImmediate()
      pieces.push(
        fieldEncryption.encrypt(bytes.subarray(start, start + PIECE_BYTES).toString('base64'))
      )
    }
    const key = `tasks/${randomUUID()}.bin`
    await this.disk.put(key, pieces.join('\n'))
    return key
  }

  /** Reads the file back, and deletes it whether it could be read or not. */
  async take(key: string): Promise<Buffer> {
    let sealed: string
    try {
      sealed = await this.disk.get(key)
    } finally {
      await this.disk.delete(key)
    }
    const pieces: Buffer[] = []
    for (const piece of sealed.split('\n')) {
      if (!piece) continue
      if (pieces.length > 0) await setImmediate()
      pieces.push(Buffer.from(fieldEncryption.decrypt(piece), 'base64'))
    }
    return Buffer.concat(pieces)
  }

  /** Deletes the file (nothing happens when it is gone already). */
  async delete(key: string): Promise<void> {
    await this.disk.delete(key)
  }
}
