import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import { Worker } from 'node:worker_threads'
import type { TDocumentDefinitions } from 'pdfmake/interfaces.js'

/**
 * Renders pdfmake document definitions to PDF buffers with Noto Sans JP
 * (@expo-google-fonts/noto-sans-jp TTF, see /work/shared/STACK.md §5).
 *
 * pdfmake lays out and subsets the 5.5 MB font synchronously. Measured on the 2-core dev box
 * (council documents of tests/fixtures, 4–8 pages, 90–135 KB): on the main thread the first render
 * blocks the event loop for ~620–670 ms (loading pdfmake, parsing the fonts), later ones for
 * 80–350 ms each. So rendering runs in one reused worker thread that loads pdfmake once; with it the
 * event loop's longest stall during a render is ~10–18 ms, at about the same render time.
 *
 * The worker is started with `eval: true` from source generated out of the functions below
 * (`Function.prototype.toString()` returns the transpiled JavaScript under ts-node as well as in
 * the compiled build), and it loads pdfmake through an absolute path resolved here with
 * createRequire. So it needs no TypeScript loader and no extra file in build/ (tsc does not copy
 * .js files, and adonisrc metaFiles do not list one). `execArgv: []` keeps the parent's
 * `--import=ts-node-maintained/register/esm` out of the worker.
 *
 * Definitions that contain functions (footer/header callbacks, custom layouts …) cannot be
 * posted to a worker; they are rendered on the main thread instead, with the same configuration.
 *
 * Fonts: family 'NotoSansJP' (normal 400, bold 700). Table layouts: 'council' (thin black rules).
 * URL access is refused; local file access is allowed only inside the font package directory.
 */

const require = createRequire(import.meta.url)

/** Directory of @expo-google-fonts/noto-sans-jp (has 400Regular/ and 700Bold/). */
export const FONT_DIR = dirname(require.resolve('@expo-google-fonts/noto-sans-jp/package.json'))

const PDFMAKE_PATH = require.resolve('pdfmake')

/** A render may take this long before the worker is considered stuck and restarted. */
const RENDER_TIMEOUT_MS = 60_000

interface RendererConfig {
  pdfmakePath: string
  fontDir: string
}

type RenderFn = (definition: TDocumentDefinitions) => Promise<Buffer>

type WorkerReply =
  | { id: number; ok: true; pdf: Uint8Array }
  | { id: number; ok: false; error: { message: string; stack?: string } }

/**
 * Configures pdfmake and returns a render function. Runs in the worker (as source text) and on
 * the main thread, so it may only use its parameters: no imports, no outer variables.
 */
function createRenderer(load: (id: string) => any, config: RendererConfig): RenderFn {
  const path = load('node:path')
  const fs = load('node:fs')
  const pdfmake = load(config.pdfmakePath)
  const fontRoot = path.resolve(config.fontDir) + path.sep
  const normal = path.join(fontRoot, '400Regular', 'NotoSansJP_400Regular.ttf')
  const bold = path.join(fontRoot, '700Bold', 'NotoSansJP_700Bold.ttf')

  // The fonts (2 × 5.5 MB) are read once into pdfmake's virtual file system, which it looks in
  // first, instead of from disk for every document.
  for (const file of [normal, bold]) pdfmake.virtualfs.writeFileSync(file, fs.readFileSync(file))
  pdfmake.setFonts({ NotoSansJP: { normal, bold, italics: normal, bolditalics: bold } })
  pdfmake.setUrlAccessPolicy(() => false)
  pdfmake.setLocalAccessPolicy(
    (file: string) => typeof file === 'string' && path.resolve(file).startsWith(fontRoot)
  )
  pdfmake.addTableLayouts({
    council: {
      hLineWidth: () => 0.6,
      vLineWidth: () => 0.6,
      hLineColor: () => '#000000',
      vLineColor: () => '#000000',
      paddingLeft: () => 5,
      paddingRight: () => 5,
      paddingTop: () => 3,
      paddingBottom: () => 3,
    },
  })

  return async (definition) => {
    const pdf: Buffer = await pdfmake.createPdf(definition).getBuffer()
    return pdf
  }
}

/** Worker entry (as source text): renders each posted definition and replies with the bytes. */
function workerMain(
  threads: typeof import('node:worker_threads'),
  load: (id: string) => any,
  makeRenderer: typeof createRenderer,
  config: RendererConfig
) {
  const port = threads.parentPort!
  const render = makeRenderer(load, config)
  port.on('message', async (message: { id: number; definition: TDocumentDefinitions }) => {
    try {
      const pdf = await render(message.definition)
      port.postMessage({ id: message.id, ok: true, pdf })
    } catch (error: any) {
      port.postMessage({
        id: message.id,
        ok: false,
        error: { message: String(error?.message ?? error), stack: error?.stack },
      })
    }
  })
}

interface Pending {
  resolve: (pdf: Buffer) => void
  reject: (error: Error) => void
  timer: NodeJS.Timeout
}

export default class PdfRenderer {
  /** 'worker' (default) renders off the main thread; 'inline' renders on it. */
  static mode: 'worker' | 'inline' = 'worker'

  static #config: RendererConfig = { pdfmakePath: PDFMAKE_PATH, fontDir: FONT_DIR }
  static #inline: RenderFn | null = null
  static #worker: Worker | null = null
  static #pending = new Map<number, Pending>()
  static #nextId = 1

  /** Renders a pdfmake document definition to a PDF. */
  static async render(definition: TDocumentDefinitions): Promise<Buffer> {
    if (PdfRenderer.mode === 'inline') return PdfRenderer.renderInline(definition)
    try {
      return await PdfRenderer.renderInWorker(definition)
    } catch (error) {
      // Functions (callbacks, custom layouts) cannot be structured-cloned to the worker.
      if (error instanceof Error && error.name === 'DataCloneError') {
        return PdfRenderer.renderInline(definition)
      }
      throw error
    }
  }

  /** Renders on the current thread (blocks the event loop while pdfmake works). */
  static renderInline(definition: TDocumentDefinitions): Promise<Buffer> {
    PdfRenderer.#inline ??= createRenderer(require, PdfRenderer.#config)
    return PdfRenderer.#inline(definition)
  }

  /**
   * Readies the renderer ahead of the first request: starts the worker (loads pdfmake and
   * the fonts) and renders each definition, so that V8 has compiled pdfmake's layout code by
   * then. A cold first render of a council document took 1–2.5 s, the same document later
   * 150–300 ms; rendering a similar document once or twice first brings it to 0.4–0.6 s.
   */
  static async warmUp(definitions: TDocumentDefinitions[] = []): Promise<void> {
    if (PdfRenderer.mode === 'worker') PdfRenderer.#ensureWorker()
    for (const definition of definitions) await PdfRenderer.render(definition)
  }

  /** Stops the worker; pending renders fail. The next render starts a new worker. */
  static async shutdown(): Promise<void> {
    const worker = PdfRenderer.#worker
    if (!worker) return
    PdfRenderer.#discard(worker, new Error('PDF renderer shut down'))
    await worker.terminate()
  }

  private static renderInWorker(definition: TDocumentDefinitions): Promise<Buffer> {
    const worker = PdfRenderer.#ensureWorker()
    const id = PdfRenderer.#nextId++
    return new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => {
        PdfRenderer.#discard(
          worker,
          new Error(`PDF rendering timed out after ${RENDER_TIMEOUT_MS} ms`)
        )
        void worker.terminate()
      }, RENDER_TIMEOUT_MS)
      PdfRenderer.#pending.set(id, { resolve, reject, timer })
      try {
        // Throws DataCloneError synchronously when the definition holds functions.
        worker.postMessage({ id, definition })
      } catch (error) {
        PdfRenderer.#settle(id)
        reject(error)
        return
      }
      worker.ref() // keep the process alive while a render is in flight
    })
  }

  static #ensureWorker(): Worker {
    if (PdfRenderer.#worker) return PdfRenderer.#worker
    const source = [
      "'use strict';",
      `const createRenderer = ${createRenderer.toString()};`,
      `(${workerMain.toString()})(require('node:worker_threads'), require, createRenderer, ${JSON.stringify(PdfRenderer.#config)});`,
    ].join('\n')
    const worker = new Worker(source, {
      eval: true,
      execArgv: [],
      name: 'daicho-pdf-renderer',
      stdout: false,
      stderr: false,
    })
    worker.on('message', (reply: WorkerReply) => {
      const pending = PdfRenderer.#settle(reply.id)
      if (!pending) return
      if (reply.ok) {
        pending.resolve(Buffer.from(reply.pdf.buffer, reply.pdf.byteOffset, reply.pdf.byteLength))
      } else {
        const error = new Error(`PDF rendering failed: ${reply.error.message}`)
        if (reply.error.stack)
          error.stack = `${error.message}\n--- in PDF worker ---\n${reply.error.stack}`
        pending.reject(error)
      }
    })
    worker.on('error', (error) => PdfRenderer.#discard(worker, error))
    worker.on('exit', (code) =>
      PdfRenderer.#discard(worker, new Error(`PDF worker exited (code ${code})`))
    )
    worker.unref()
    PdfRenderer.#worker = worker
    return worker
  }

  /** Removes a pending render; lets the process exit again when nothing else is pending. */
  static #settle(id: number): Pending | undefined {
    const pending = PdfRenderer.#pending.get(id)
    if (!pending) return undefined
    clearTimeout(pending.timer)
    PdfRenderer.#pending.delete(id)
    if (PdfRenderer.#pending.size === 0) PdfRenderer.#worker?.unref()
    return pending
  }

  /** Forgets a dead or stuck worker and fails everything still waiting on it. */
  static #discard(worker: Worker, error: Error): void {
    if (PdfRenderer.#worker !== worker) return
    PdfRenderer.#worker = null
    worker.unref()
    for (const [id, pending] of PdfRenderer.#pending) {
      clearTimeout(pending.timer)
      PdfRenderer.#pending.delete(id)
      pending.reject(error)
    }
  }
}
