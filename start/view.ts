/*
|--------------------------------------------------------------------------
| Edge globals
|--------------------------------------------------------------------------
*/
import edge from 'edge.js'
import { DateTime } from 'luxon'
import WardCalendar from '#services/ward_calendar'
import { formList, formRows } from '#validators/list_input'
import MainMenu, { type MenuInput } from '#services/main_menu'
import { keepCompiledTemplates } from '#services/edge_template_cache'
import { shareComponentState } from '#services/edge_component_state'
import { routeUrl } from '#services/route_urls'

/** With the template cache on (production), partials and the components list are kept too. */
keepCompiledTemplates(edge)
/** Components inherit the page's shared state instead of copying it (fewer slow GC pauses). */
shareComponentState()

/** AdonisJS's `route()`, with each route's pattern looked up once (50 links a list page). */
edge.global('route', routeUrl)

type DateInput = DateTime | Date | string | null | undefined

/** 令和7年4月1日: dates as staff read them (a DateTime, a Date or a yyyy-MM-dd ward date). */
edge.global('eraDate', (value: DateInput) => (value ? WardCalendar.formatEra(value) : ''))

/** 令和7年4月1日 9:05 */
edge.global('eraDateTime', (value: DateInput) =>
  value ? WardCalendar.formatEraDateTime(value) : ''
)

/** 2025-04-01: dates as machines read them (datetime attributes, CSV). */
edge.global('isoDate', (value: DateInput) => (value ? WardCalendar.formatIso(value) : ''))

/** 2025-04-01T09:05:00.000+09:00: a moment as machines read it (datetime attributes). */
edge.global('isoMoment', (value: DateInput) => (value ? WardCalendar.formatIsoMoment(value) : ''))

/**
 * A list field's flashed or saved values as an array, whatever was posted
 * (one value, an object keyed by index): see #validators/list_input.
 */
edge.global('formList', formList)

/** A table form's flashed or saved rows as an array of objects. */
edge.global('formRows', formRows)

/** 「12 KB」 under a megabyte, 「3.4 MB」 above: a file's size as people read it. */
edge.global('fileSize', (bytes: number | null | undefined) => {
  const size = Number(bytes ?? 0)
  if (size >= 1048576) {
    return `${(size / 1048576).toLocaleString('en-US', { maximumFractionDigits: 1 })} MB`
  }
  return `${Math.max(1, Math.ceil(size / 1024)).toLocaleString('en-US')} KB`
})

/** The layout's main menu for the person logged in (see #services/main_menu). */
edge.global('mainMenu', (input: MenuInput) => MainMenu.build(input))

const escapeAttribute = (value: string) =>
  value.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;')

/**
 * A table row's cells, each given its column's header as `data-label` (tables that stack into
 * labelled boxes on phones: @table.data({ stack: true })). Cells of nested tables are left
 * alone; a colspan moves on by its width; a cell that has a data-label keeps it.
 */
edge.global('labelCells', (rowHtml: string, labels: string[]) => {
  let depth = 0
  let column = 0
  return rowHtml.replace(/<(\/?)(table|td|th)\b([^>]*)>/gi, (tag, closing, name, attributes) => {
    if (name.toLowerCase() === 'table') {
      depth += closing ? -1 : 1
      return tag
    }
    if (closing || depth > 0) return tag
    const label = labels[column]
    column += Number(/colspan="(\d+)"/i.exec(attributes)?.[1] ?? 1)
    if (!label || /\sdata-label=/i.test(attributes)) return tag
    return `<${name}${attributes} data-label="${escapeAttribute(label)}">`
  })
})
