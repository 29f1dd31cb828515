import { createRequire } from 'node:module'
import type { HttpContext } from '@adonisjs/core/http'

const require = createRequire(import.meta.url)
const designTokensCss = require.resolve('@digital-go-jp/design-tokens/dist/tokens.css')

export default class AssetsController {
  /** Serves the Digital Agency design tokens straight from the npm package. */
  async designTokens({ response }: HttpContext) {
    response.header('content-type', 'text/css; charset=utf-8')
    response.header('cache-control', 'public, max-age=86400')
    return response.download(designTokensCss)
  }
}
