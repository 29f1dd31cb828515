import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { readFile, unlink } from 'node:fs/promises'
import { inject } from '@adonisjs/core'
import { Disk } from '@adonisjs/drive'

/** `DCF1`: the format of a stored file (AES-256-GCM, IV, tag, ciphertext). */
const MAGIC = Buffer.from('DCF1')
const IV_BYTES = 12
const TAG_BYTES = 16
const KEY_BYTES = 32

/**
 * Files that hold personal data kept for a while (letters, FAX images, photos of an
 * opinion), encrypted at rest on the private drive disk. Each file has its own random data
 * key, which the caller keeps in the database with field encryption: a key rotation then
 * re-encrypts the small data key instead of the file, and a file whose data key is gone
 * (purged, or shredded with its retention month) can never be read again.
 */
@inject()
export default class EncryptedFiles {
  constructor(private disk: Disk) {}

  /**
   * Encrypts an uploaded file (at most a few MB, read at once) under `key`; the temporary
   * file is removed. Returns the data key (base64), to be stored encrypted.
   */
  async putFromFs(tmpPath: string, key: string): Promise<string> {
    const plain = await readFile(tmpPath)
    const dataKey = randomBytes(KEY_BYTES)
    const iv = randomBytes(IV_BYTES)
    const cipher = createCipheriv('aes-256-gcm', dataKey, iv)
    const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()])
    await this.disk.put(key, Buffer.concat([MAGIC, iv, cipher.getAuthTag(), ciphertext]))
    await unlink(tmpPath).catch(() => {})
    return dataKey.toString('base64')
  }

  /** The file's bytes; throws when it was altered or the data key is not its own. */
  async read(key: string, dataKey: string): Promise<Buffer> {
    const sealed = Buffer.from(await this.disk.getBytes(key))
    if (!sealed.subarray(0, MAGIC.length).equals(MAGIC)) {
      throw new Error(`Stored file ${key} is not an encrypted file`)
    }
    const ivEnd = MAGIC.length + IV_BYTES
    const tagEnd = ivEnd + TAG_BYTES
    const decipher = createDecipheriv(
      'aes-256-gcm',
      Buffer.from(dataKey, 'base64'),
      sealed.subarray(MAGIC.length, ivEnd)
    )
    decipher.setAuthTag(sealed.subarray(ivEnd, tagEnd))
    return Buffer.concat([decipher.update(sealed.subarray(tagEnd)), decipher.final()])
  }

  /** Deletes a stored file (nothing happens when it is gone already). */
  async delete(key: string): Promise<void> {
    await this.disk.delete(key)
  }
}
