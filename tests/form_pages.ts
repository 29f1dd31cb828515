import router from '@adonisjs/core/services/router'
import { type Scene, tableOfParam } from '#tests/fuzz/form_fuzz'

/*
|--------------------------------------------------------------------------
| Pages and their forms, read the way the tests of issue 18 need them
|--------------------------------------------------------------------------
| The pages of the application (every GET route, its parameters taken from
| the scene's records), and from their HTML: the ids, the forms with their
| controls, the label of a control, the title and the error summary.
*/

const decodeHtml = (text: string) =>
  text
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')

/** An attribute of a start tag, decoded; '' for a bare attribute (novalidate); null when absent. */
export function attribute(tag: string, name: string): string | null {
  const match = tag.match(new RegExp(`\\s${name}(?:=("([^"]*)"|'([^']*)'))?(?=[\\s/>])`, 'i'))
  if (!match) return null
  return decodeHtml(match[2] ?? match[3] ?? '')
}

/** Text of an HTML fragment: tags dropped, entities decoded, spaces collapsed. */
export const textOf = (html: string) =>
  decodeHtml(html.replace(/<[^>]+>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim()

/** The page without its scripts and templates (text and inert markup, not the document's). */
const withoutScripts = (html: string) =>
  html.replace(/<script\b[\s\S]*?<\/script>|<template\b[\s\S]*?<\/template>/gi, '')

/** The URLs of the application's pages: GET routes with the first and last records of each table. */
export function pageUrls(scene: Scene): string[] {
  const urls: string[] = []
  for (const domainRoutes of Object.values(router.toJSON())) {
    for (const route of domainRoutes) {
      if (
        !route.methods.includes('GET') ||
        /\.(csv|pdf|json|txt)$|export|download|logout|\/files\/|preview-file|attachments\/:/.test(
          route.pattern
        )
      )
        continue
      for (const nth of [0, 1, 2, -1, -2]) {
        let url = route.pattern
        for (const [, param] of route.pattern.matchAll(/:(\w+)/g)) {
          const pool = scene.ids.get(tableOfParam(route.pattern, param) ?? '') ?? []
          url = url.replace(`:${param}`, String(pool.at(nth) ?? 1))
        }
        if (!urls.includes(url)) urls.push(url)
      }
    }
  }
  return urls
}

/** Ids used more than once on the page. */
export function duplicateIds(html: string): string[] {
  const seen = new Set<string>()
  const twice = new Set<string>()
  for (const match of withoutScripts(html).matchAll(/<[a-zA-Z][^>]*?\sid="([^"]*)"/g)) {
    if (seen.has(match[1])) twice.add(match[1])
    seen.add(match[1])
  }
  return [...twice]
}

export interface Control {
  tag: 'input' | 'select' | 'textarea'
  type: string
  name: string
  value: string
  id: string | null
  checked: boolean
  /** The values of a select's options. */
  options: string[]
}

export interface PageForm {
  method: string
  /** The path the form posts to (query string left out). */
  action: string
  /** The action as written, with its query string (`?_method=PUT`). */
  target: string
  novalidate: boolean
  controls: Control[]
}

/** The forms of a page with their controls. */
export function formsOf(html: string): PageForm[] {
  const forms: PageForm[] = []
  for (const match of withoutScripts(html).matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const [, tag, inner] = match
    const controls: Control[] = []
    for (const control of inner.matchAll(
      /<(input)\b([^>]*)>|<(select|textarea)\b([^>]*)>([\s\S]*?)<\/\3>/gi
    )) {
      const tagName = control[1] ?? control[3]
      const attributes = control[2] ?? control[4]
      const body = control[5] ?? ''
      const name = attribute(`<x${attributes}>`, 'name')
      if (!name) continue
      const lower = tagName.toLowerCase() as Control['tag']
      const options = [...body.matchAll(/<option\b([^>]*)>/gi)].map(
        (option) => attribute(`<x${option[1]}>`, 'value') ?? ''
      )
      const selected = [...body.matchAll(/<option\b([^>]*)>/gi)].find((option) =>
        /\sselected\b/i.test(option[1])
      )
      controls.push({
        tag: lower,
        type: (attribute(`<x${attributes}>`, 'type') ?? lower).toLowerCase(),
        name,
        value:
          lower === 'textarea'
            ? decodeHtml(body)
            : lower === 'select'
              ? ((selected ? attribute(`<x${selected[1]}>`, 'value') : options[0]) ?? '')
              : (attribute(`<x${attributes}>`, 'value') ?? ''),
        id: attribute(`<x${attributes}>`, 'id'),
        checked: /\schecked\b/i.test(attributes),
        options,
      })
    }
    const target = attribute(`<form${tag}>`, 'action') ?? ''
    const [path, query = ''] = target.split('?')
    const spoofed =
      controls.find((control) => control.name === '_method')?.value ??
      new URLSearchParams(query).get('_method')
    forms.push({
      method: (spoofed ?? attribute(`<form${tag}>`, 'method') ?? 'GET').toUpperCase(),
      action: path,
      target,
      novalidate: attribute(`<form${tag}>`, 'novalidate') !== null,
      controls,
    })
  }
  return forms
}

/** The start tag of the element with this id, and where it starts. */
function elementWithId(html: string, id: string): { tag: string; index: number } | null {
  const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const match = new RegExp(`<([a-zA-Z]+)\\b[^>]*?\\sid="${escaped}"[^>]*>`).exec(html)
  return match ? { tag: match[0], index: match.index } : null
}

/** The legend of the innermost fieldset around a position. */
function legendAround(html: string, index: number): string | null {
  const open: number[] = []
  for (const match of html.slice(0, index).matchAll(/<(\/?)fieldset\b/gi)) {
    if (match[1]) open.pop()
    else open.push(match.index)
  }
  const start = open.at(-1)
  if (start === undefined) return null
  const legend = html.slice(start).match(/<legend\b[^>]*>([\s\S]*?)<\/legend>/i)
  return legend ? textOf(legend[1]) : null
}

/**
 * The label a person reads for the element an error links to: its <label>,
 * its aria-label, or for a group (fieldset, a checkbox or radio) the
 * legend. The 「必須」 tag is left out.
 */
export function labelOf(html: string, id: string): string | null {
  const page = withoutScripts(html)
  const element = elementWithId(page, id)
  if (!element) return null
  const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const type = (attribute(element.tag, 'type') ?? '').toLowerCase()
  const inGroup =
    type === 'radio' ||
    (type === 'checkbox' && (attribute(element.tag, 'name') ?? '').endsWith('[]'))
  if (/^<fieldset\b/i.test(element.tag) || inGroup) {
    const legend = /^<fieldset\b/i.test(element.tag)
      ? (page.slice(element.index).match(/<legend\b[^>]*>([\s\S]*?)<\/legend>/i)?.[1] ?? null)
      : null
    if (legend !== null) return textOf(legend.replace(/<span class="required">[^<]*<\/span>/g, ''))
    const around = legendAround(page, element.index)
    if (around !== null) return around.replace(/\s*必須$/, '')
  }
  const label = page.match(
    new RegExp(`<label\\b[^>]*\\sfor="${escaped}"[^>]*>([\\s\\S]*?)<\\/label>`, 'i')
  )
  if (label) return textOf(label[1].replace(/<span class="required">[^<]*<\/span>/g, ''))
  const aria = attribute(element.tag, 'aria-label')
  if (aria) return aria
  const labelledBy = attribute(element.tag, 'aria-labelledby')
  if (labelledBy) {
    const texts = labelledBy
      .split(/\s+/)
      .map((part) => elementWithId(page, part))
      .filter((found) => found !== null)
      .map((found) => {
        const rest = page.slice(found!.index)
        const name = found!.tag.match(/^<([a-zA-Z]+)/)![1]
        const end = rest.indexOf(`</${name}>`)
        return textOf(rest.slice(0, end))
      })
    if (texts.length) return texts.join(' ')
  }
  return null
}

/** Whether an element of the page has this id. */
export const hasId = (html: string, id: string) => elementWithId(withoutScripts(html), id) !== null

/** Whether the element with this id is a select, or a group the user chooses in. */
export function isChoice(html: string, id: string): boolean {
  const element = elementWithId(withoutScripts(html), id)
  if (!element) return false
  const type = (attribute(element.tag, 'type') ?? '').toLowerCase()
  return /^<(select|fieldset)\b/i.test(element.tag) || ['checkbox', 'radio', 'file'].includes(type)
}

export interface ErrorSummary {
  role: string | null
  /** Each entry: the link target (null for text without a link) and the message. */
  entries: Array<{ href: string | null; message: string }>
}

/** The error summaries of the page. */
export function errorSummaries(html: string): ErrorSummary[] {
  const summaries: ErrorSummary[] = []
  for (const match of html.matchAll(/<div\b([^>]*\sdata-error-summary[^>]*)>([\s\S]*?)<\/ul>/g)) {
    summaries.push({
      role: attribute(`<div${match[1]}>`, 'role'),
      entries: [...match[2].matchAll(/<li>([\s\S]*?)<\/li>/g)].map((item) => ({
        href: attribute(item[1].match(/<a\b[^>]*>/)?.[0] ?? '<a>', 'href'),
        message: textOf(item[1]),
      })),
    })
  }
  return summaries
}

/** The page's <title>. */
export const titleOf = (html: string) => textOf(html.match(/<title>([\s\S]*?)<\/title>/)?.[1] ?? '')

/** Controls a test does not send (the CSRF token of the page's session is replaced by the test's). */
const SKIPPED = ['submit', 'button', 'image', 'reset', 'file']

/** A form's controls as a browser would send them with every field left empty (hidden ones kept). */
export function emptySubmission(form: PageForm): Array<[string, string]> {
  const fields: Array<[string, string]> = []
  for (const control of form.controls) {
    if (SKIPPED.includes(control.type) || control.name === '_csrf') continue
    if (['checkbox', 'radio'].includes(control.type)) continue
    fields.push([control.name, control.type === 'hidden' ? control.value : ''])
  }
  return fields
}

/** A form's controls each filled with a value it cannot take (hidden ones kept). */
export function badSubmission(form: PageForm): Array<[string, string]> {
  const fields: Array<[string, string]> = []
  // Longer than any text field takes; in a query string, longer than any search term.
  const tooLong = 'x'.repeat(form.method === 'GET' ? 300 : 20_001)
  const bad: Record<string, string> = {
    'number': 'abc',
    'date': '2025-13-45',
    'datetime-local': 'yesterday',
    'month': '2025-13',
    'email': 'not-an-address',
    'tel': 'abc',
    'select': 'not-an-option',
    'checkbox': 'not-an-option',
    'radio': 'not-an-option',
  }
  for (const control of form.controls) {
    if (SKIPPED.includes(control.type) || control.name === '_csrf') continue
    if (control.type === 'hidden') fields.push([control.name, control.value])
    else if (['checkbox', 'radio'].includes(control.type)) {
      if (!fields.some(([name]) => name === control.name)) fields.push([control.name, bad.checkbox])
    } else fields.push([control.name, bad[control.type] ?? tooLong])
  }
  return fields
}

/** URL-encoded body of ordered fields (names may repeat, as browsers send them). */
export const urlEncoded = (fields: Array<[string, string]>) =>
  fields
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
    .join('&')
