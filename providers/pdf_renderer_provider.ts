import type { ApplicationService } from '@adonisjs/core/types'

/** The server starts listening after the warm-up, or after this long at most. */
const WARM_UP_WAIT_MS = 10_000

/**
 * Warms the PDF renderer in production web processes before the server listens: the worker
 * loads pdfmake and the fonts and renders a made-up council document twice, so that the first
 * document a user asks for is not the one V8 compiles pdfmake on (a cold first render took
 * 1–2.5 s; over HTTP the first request took 0.3–0.7 s after two renders, 0.8–1 s after one).
 * Tests, ace commands (other environments) and development skip it.
 */
export default class PdfRendererProvider {
  constructor(protected app: ApplicationService) {}

  async start() {
    if (this.app.getEnvironment() !== 'web' || !this.app.inProduction) return
    const { default: PdfRenderer } = await import('#services/pdf_renderer')
    const { default: CouncilDocument } = await import('#services/council/council_document_pdf')
    const { COUNCIL_DOCUMENT_SAMPLE } = await import('#services/council/council_document_sample')
    const { default: logger } = await import('@adonisjs/core/services/logger')

    const sample = CouncilDocument.definition(COUNCIL_DOCUMENT_SAMPLE)
    const started = performance.now()
    const warm = PdfRenderer.warmUp([sample, sample]).then(
      () => logger.info(`PDF renderer warmed up in ${Math.round(performance.now() - started)} ms`),
      (error) => logger.warn({ err: error }, 'warming the PDF renderer failed')
    )
    let timer: NodeJS.Timeout | undefined
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, WARM_UP_WAIT_MS)
    })
    await Promise.race([warm, late])
    clearTimeout(timer)
  }
}
