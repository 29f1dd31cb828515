import { randomUUID } from 'node:crypto'
import { open } from 'node:fs/promises'
import { extname } from 'node:path'

/** 10 MB */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024

/**
 * Characters removed from file names: C0/C1 controls, DEL, `"`, the
 * bidirectional marks, embeddings, overrides and isolates (U+061C, U+200E,
 * U+200F, U+202A–U+202E, U+2066–U+2069), zero-width and line/paragraph
 * separators, word joiner family and BOM, interlinear annotation marks,
 * and lone surrogates (not text).
 */
const INVISIBLE_IN_NAMES =
  /[\p{Cc}"\u061c\u200b\u200c\u200e\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]|\p{Cs}/gu

/** `%PDF-` */
const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d]

/** What the checker reads of a multipart file (bodyparser's MultipartFile has it all). */
export interface UploadedFile {
  clientName: string
  size: number
  tmpPath?: string
  errors: Array<{ type: string }>
}

export type UploadCheck = { ok: true; originalName: string } | { ok: false; message: string }

/**
 * Checks uploaded PDFs before anything is stored: the name must end in
 * .pdf, the first bytes must be `%PDF-` (a renamed executable or HTML page
 * is refused) and the size at most 10 MB. Messages are i18n keys.
 */
export default class UploadChecker {
  /** Checks a PDF upload; a missing file fails unless `optional`. */
  static async checkPdf(
    file: UploadedFile | null | undefined,
    { optional = false } = {}
  ): Promise<UploadCheck | null> {
    if (!file || !file.tmpPath) {
      return optional ? null : { ok: false, message: 'portal.errors.file_required' }
    }
    if (file.size > MAX_UPLOAD_BYTES || file.errors.some((error) => error.type === 'size')) {
      return { ok: false, message: 'portal.errors.file_too_large' }
    }
    // The name the user gave (bodyparser's own `extname` may come from the content instead).
    if (
      extname(file.clientName).toLowerCase() !== '.pdf' ||
      !(await UploadChecker.startsWith(file.tmpPath, PDF_MAGIC))
    ) {
      return { ok: false, message: 'portal.errors.file_type' }
    }
    return { ok: true, originalName: UploadChecker.safeName(file.clientName) }
  }

  /** Compares a file's first bytes with a signature. */
  static async startsWith(path: string, magic: number[]): Promise<boolean> {
    const handle = await open(path, 'r')
    try {
      const head = Buffer.alloc(magic.length)
      const { bytesRead } = await handle.read(head, 0, magic.length, 0)
      return bytesRead === magic.length && magic.every((byte, index) => head[index] === byte)
    } finally {
      await handle.close()
    }
  }

  /** A random storage key under a folder, e.g. `deletion-certificates/<uuid>.pdf`. */
  static randomKey(folder: string): string {
    return `${folder}/${randomUUID()}.pdf`
  }

  /**
   * The name shown and offered on download: no path parts, no control
   * characters (C0, DEL, C1), no bidirectional controls (a right-to-left
   * override makes `report\u202Efdp.exe` read as `reportexe.pdf`), no
   * invisible separators or BOM; at most 255 characters, else `fallback`.
   */
  static safeName(clientName: string, fallback = 'document.pdf'): string {
    const base = clientName
      .split(/[\\/]/)
      .pop()!
      .replace(INVISIBLE_IN_NAMES, '')
      .normalize('NFC')
      .trim()
    return [...(base || fallback)].slice(-255).join('')
  }

  /** Content-Disposition for a download: ASCII fallback plus the UTF-8 name. */
  static disposition(originalName: string): string {
    const fallback = originalName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')
    return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(originalName)}`
  }
}
