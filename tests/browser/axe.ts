import axe from 'axe-core'
import type { Page } from 'playwright'
import type { Assert } from '@japa/assert'

/**
 * Automated WCAG 2.1 A/AA checks with axe-core in Chromium.
 *
 * axe is injected with `page.evaluate(axe.source)`: evaluation through the
 * DevTools protocol is not subject to the page's Content Security Policy,
 * so the pages are audited with their real, strict CSP in force
 * (`page.addScriptTag` is refused by that CSP, and `bypassCSP` is not needed).
 */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']
const BLOCKING_IMPACTS = ['serious', 'critical']

interface Violation {
  id: string
  impact: string | null
  help: string
  targets: string[]
}

/** The page's global scope once axe is injected (the project compiles without the DOM lib). */
type AxeWindow = { axe: typeof axe }

/** Runs axe on the current document; returns the violations and the number of passed rules. */
async function audit(page: Page): Promise<{ violations: Violation[]; passes: number }> {
  await page.evaluate(axe.source)
  return page.evaluate(async (tags) => {
    const { axe: pageAxe } = globalThis as unknown as AxeWindow
    const results = await pageAxe.run({ runOnly: { type: 'tag', values: tags } })
    return {
      passes: results.passes.length,
      violations: results.violations.map((violation) => ({
        id: violation.id,
        impact: violation.impact ?? null,
        help: violation.help,
        targets: violation.nodes.map((node) => node.target.join(' ')),
      })),
    }
  }, WCAG_TAGS)
}

/** Fails with the rule ids and element targets of every serious or critical violation. */
export async function assertAccessible(page: Page, assert: Assert) {
  const { violations, passes } = await audit(page)
  assert.isAbove(passes, 0, 'axe-core did not run any rule')
  const blocking = violations.filter((violation) =>
    BLOCKING_IMPACTS.includes(violation.impact ?? '')
  )
  if (blocking.length > 0) {
    const report = blocking
      .map(
        (v) =>
          `  [${v.impact}] ${v.id}: ${v.help}\n${v.targets.map((t) => `      ${t}`).join('\n')}`
      )
      .join('\n')
    assert.fail(`${blocking.length} serious/critical axe violation(s) on ${page.url()}:\n${report}`)
  }
}
