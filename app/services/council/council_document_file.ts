import { createHash } from 'node:crypto'
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import app from '@adonisjs/core/services/app'
import logger from '@adonisjs/core/services/logger'
import { cuid } from '@adonisjs/core/helpers'
import PdfRenderer from '#services/pdf_renderer'
import CouncilDocument from '#services/council/council_document_pdf'
import type { CouncilDocumentData } from '#services/council/council_document_data'

/** How long a cached document is kept after it was last made. */
const KEEP_MS = 7 * 24 * 3600 * 1000

/**
 * The council document as a PDF file, made once per content: the file is named by a hash of
 * the document's data and of the layout code, so it is reused while neither changes (a
 * document holds no citizen's data: the register's wording and staff contacts). Making one
 * takes 1–2 s; a caller may wait a little and otherwise show that it is being made, while it
 * goes on being made in the background. The folder is shared by every app instance that
 * serves the same disk (tmp/council-pdf).
 */
export default class CouncilDocumentFile {
  static dir = app.tmpPath('council-pdf')

  /** Documents being made by this process, by key: a second request waits for the same one. */
  static readonly #making = new Map<string, Promise<Buffer>>()

  /** The layout code's own hash: a new release makes new files. */
  static readonly #layout = createHash('sha256')
    .update(CouncilDocument.definition.toString())
    .update(PdfRenderer.render.toString())
    .digest('hex')
    .slice(0, 16)

  static keyOf(data: CouncilDocumentData): string {
    return createHash('sha256')
      .update(CouncilDocumentFile.#layout)
      .update(JSON.stringify(data))
      .digest('hex')
  }

  /**
   * The PDF of the data, from the file made before when there is one; otherwise made now. Null
   * when it is still being made after `waitMs` (it goes on, and the next request finds it).
   */
  static async pdf(data: CouncilDocumentData, waitMs = Infinity): Promise<Buffer | null> {
    const key = CouncilDocumentFile.keyOf(data)
    const path = join(CouncilDocumentFile.dir, `${key}.pdf`)
    const cached = await readFile(path).catch(() => null)
    if (cached) return cached
    let making = CouncilDocumentFile.#making.get(key)
    if (!making) {
      making = CouncilDocumentFile.#make(data, path).finally(() =>
        CouncilDocumentFile.#making.delete(key)
      )
      CouncilDocumentFile.#making.set(key, making)
      // A request that stops waiting must not leave a rejection unhandled.
      making.catch((error) => logger.error({ err: error }, 'making a council document failed'))
    }
    if (waitMs === Infinity) return making
    let timer: NodeJS.Timeout | undefined
    const late = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), waitMs)
    })
    try {
      return await Promise.race([making, late])
    } finally {
      clearTimeout(timer)
    }
  }

  static async #make(data: CouncilDocumentData, path: string): Promise<Buffer> {
    const pdf = await PdfRenderer.render(CouncilDocument.definition(data))
    await mkdir(CouncilDocumentFile.dir, { recursive: true, mode: 0o700 })
    // Written whole under another name, then renamed: another instance never reads half a file.
    const partial = `${path}.${cuid()}.part`
    await writeFile(partial, pdf)
    await rename(partial, path)
    await CouncilDocumentFile.#prune()
    return pdf
  }

  /** Files not made again for a week go. */
  static async #prune() {
    const names = await readdir(CouncilDocumentFile.dir).catch(() => [] as string[])
    const now = Date.now()
    for (const name of names) {
      const file = join(CouncilDocumentFile.dir, name)
      const info = await stat(file).catch(() => null)
      if (info && now - info.mtimeMs > KEEP_MS) await unlink(file).catch(() => {})
    }
  }
}
