import router from '@adonisjs/core/services/router'
import type { MakeUrlOptions } from '@adonisjs/core/types/http'

/** A route's pattern cut at its params: `/opinions/:id/edit` is ['/opinions/', '/edit'] and ['id']. */
interface SplitPattern {
  texts: string[]
  params: string[]
}

const STATIC_SEGMENT = /^[\w~-]*$/
const PARAM_SEGMENT = /^:([A-Za-z_]\w*)$/

/** Patterns by route identifier; null where AdonisJS builds the URL (see `splitPattern`). */
const patterns = new Map<string, SplitPattern | null>()

/**
 * The pattern of the route, cut at its params, when it has only plain segments and required
 * params. Null for an unknown route (AdonisJS raises its error) and for optional, wildcard or
 * suffixed params, which AdonisJS's builder handles.
 */
function splitPattern(identifier: string): SplitPattern | null {
  const route = router.find(identifier)
  if (!route) return null
  const texts = ['']
  const params: string[] = []
  for (const segment of route.pattern.split('/').slice(1)) {
    const param = PARAM_SEGMENT.exec(segment)?.[1]
    if (param) {
      texts[texts.length - 1] += '/'
      params.push(param)
      texts.push('')
    } else if (STATIC_SEGMENT.test(segment)) {
      texts[texts.length - 1] += `/${segment}`
    } else {
      return null
    }
  }
  return { texts, params }
}

/**
 * `router.makeUrl`, with the route's pattern looked up and parsed once. AdonisJS finds the route
 * by scanning every route and parses its pattern again at each call: the opinion list links its
 * 50 rows, and the menu a dozen items, on every page. Params given as an array, options, and
 * anything the plain pattern cannot take (a missing value: AdonisJS's error) go to `makeUrl`.
 */
export function routeUrl(
  identifier: string,
  params?: unknown[] | Record<string, unknown>,
  options?: MakeUrlOptions
): string {
  let pattern = patterns.get(identifier)
  if (pattern === undefined) {
    pattern = splitPattern(identifier)
    patterns.set(identifier, pattern)
  }
  if (!pattern || options !== undefined || Array.isArray(params)) {
    return router.makeUrl(identifier, params, options)
  }
  let url = pattern.texts[0]
  for (let index = 0; index < pattern.params.length; index++) {
    const value = params?.[pattern.params[index]]
    if (value === undefined || value === null) return router.makeUrl(identifier, params, options)
    url += `${value}${pattern.texts[index + 1]}`
  }
  return url
}
