import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import { errors as vineErrors } from '@vinejs/vine'
import type PersonalDataSystem from '#models/personal_data_system'
import SystemPolicy from '#policies/register/system_policy'
import SystemQueries from '#services/register/system_queries'
import SaveDataItems, {
  DataItemTableRefusal,
  problemMessage,
  type RowProblem,
} from '#actions/register/save_data_items'
import {
  dataItemPasteValidator,
  dataItemRowsValidator,
  rowsAsList,
} from '#validators/register/data_items'
import {
  emptyRow,
  moveRow,
  normaliseRows,
  parsePastedList,
  rowCells,
  rowsFromItems,
  withPastedItems,
  type ItemRowCells,
} from '#services/register/data_item_list'

/** Empty rows offered below the items (more with 「空の行を追加」 or the script's button). */
const EMPTY_ROWS = 5
const ADDED_ROWS = 10

interface PageState {
  rows: ItemRowCells[]
  version: number | string
  problems?: RowProblem[]
  generalErrors?: string[]
  notice?: string
  paste?: string
  pasteMode?: string
}

/**
 * 記録項目の一括編集: the whole table of a system's data items in one form.
 * Saving records one register version. Previews (paste a list, add rows, move
 * a row without the script) and refused saves render the table again from
 * what was sent, without a redirect: a table of hundreds of rows does not fit
 * in a flash message of the cookie session (4 KB), so nothing typed is lost.
 */
export default class DataItemsBulkController {
  async edit({ params, view, bouncer, i18n }: HttpContext) {
    const system = await this.#editableSystem(params.systemId, bouncer)
    await system.load('dataItems')
    const rows = rowsFromItems(system.dataItems)
    return this.#render(view, i18n, system, {
      rows: [...rows, ...blankRows(rows.length ? EMPTY_ROWS : ADDED_ROWS)],
      version: system.version,
    })
  }

  async update({
    params,
    request,
    response,
    view,
    bouncer,
    auth,
    session,
    i18n,
    auditLog,
  }: HttpContext) {
    const system = await this.#editableSystem(params.systemId, bouncer)
    const body = request.all()
    const list = rowsAsList(body.rows)
    if (list === null) return this.#refuseShape(response, view, system, i18n, body)
    const rows = list.map(rowCells)
    if (cellOf(body.paste).trim()) {
      // A list pasted but not loaded into the table: saving would drop it without a word.
      response.status(422)
      return this.#render(view, i18n, system, {
        rows,
        version: cellOf(body.version),
        paste: cellOf(body.paste),
        pasteMode: cellOf(body.pasteMode),
        generalErrors: [i18n.t('data_items.bulk.paste_pending')],
      })
    }

    let input
    try {
      // Messages in the request's locale, with the table's own (#validators/form_messages).
      input = await request.validateUsing(dataItemRowsValidator, {
        data: { rows: list, version: body.version },
      })
    } catch (error) {
      if (!(error instanceof vineErrors.E_VALIDATION_ERROR)) throw error
      const { problems, generalErrors } = fieldProblems(error.messages)
      response.status(422)
      return this.#render(view, i18n, system, {
        rows,
        version: cellOf(body.version),
        problems,
        generalErrors,
      })
    }

    let result
    try {
      result = await new SaveDataItems(auditLog).handle(
        system.id,
        input,
        auth.use('web').getUserOrFail()
      )
    } catch (error) {
      if (!(error instanceof DataItemTableRefusal) || request.accepts(['html', 'json']) !== 'html')
        throw error
      // A row whose item was deleted elsewhere comes back without its id: saving again adds it anew.
      const gone = new Set(
        error.rowProblems
          .filter((problem) => problem.key === 'data_items.bulk.unknown_item')
          .map((problem) => problem.row)
      )
      response.status(422)
      return this.#render(view, i18n, system, {
        rows: rows.map((row, index) => (gone.has(index) ? { ...row, id: '' } : row)),
        version: error.currentVersion,
        problems: error.rowProblems,
      })
    }
    session.flash(
      'success',
      result.saved
        ? i18n.t('data_items.bulk.saved', { total: result.total, version: result.version })
        : i18n.t('data_items.bulk.unchanged')
    )
    return response.redirect().toPath(`${router.makeUrl('systems.show', { id: system.id })}#items`)
  }

  /** Paste a list, add rows or move a row: the table comes back changed, nothing is saved. */
  async preview({ params, request, response, view, bouncer, i18n }: HttpContext) {
    const system = await this.#editableSystem(params.systemId, bouncer)
    const body = request.all()
    const list = rowsAsList(body.rows)
    if (list === null) return this.#refuseShape(response, view, system, i18n, body)
    let rows = list.map(rowCells)
    const op = cellOf(body.op)
    const state: PageState = {
      rows,
      version: cellOf(body.version),
      paste: cellOf(body.paste),
      pasteMode: cellOf(body.pasteMode),
    }

    if (op === 'paste') {
      let paste
      try {
        paste = await request.validateUsing(dataItemPasteValidator, {
          data: {
            paste: body.paste,
            pasteMode: body.pasteMode,
          },
        })
      } catch (error) {
        if (!(error instanceof vineErrors.E_VALIDATION_ERROR)) throw error
        response.status(422)
        return this.#render(view, i18n, system, {
          ...state,
          generalErrors: error.messages.map((m: { message: string }) => m.message),
        })
      }
      const pasted = parsePastedList(paste.paste ?? '')
      if (pasted.items.length === 0) {
        response.status(422)
        return this.#render(view, i18n, system, {
          ...state,
          generalErrors: [i18n.t('data_items.bulk.paste_empty')],
        })
      }
      rows = withPastedItems(rows, pasted.items, paste.pasteMode ?? 'append')
      return this.#render(view, i18n, system, {
        ...state,
        rows: [...rows, ...blankRows(EMPTY_ROWS)],
        paste: '',
        notice: i18n.t('data_items.bulk.pasted', {
          headings: pasted.headings,
          items: pasted.items.length,
        }),
      })
    }

    const move = op.match(/^(up|down):(\d{1,5})$/)
    if (move) {
      return this.#render(view, i18n, system, {
        ...state,
        rows: moveRow(rows, Number(move[2]), move[1] as 'up' | 'down'),
        notice: i18n.t('data_items.bulk.moved'),
      })
    }
    // 「空の行を追加」 (and any other button): the rows as typed, tidied, with more empty rows.
    return this.#render(view, i18n, system, {
      ...state,
      rows: [...normaliseRows(rows), ...blankRows(ADDED_ROWS)],
      notice: i18n.t('data_items.bulk.added'),
    })
  }

  /** `rows` was one plain value or an object of other keys: nothing to show as typed, so the stored table and the message. */
  async #refuseShape(
    response: HttpContext['response'],
    view: HttpContext['view'],
    system: PersonalDataSystem,
    i18n: HttpContext['i18n'],
    body: Record<string, unknown>
  ) {
    response.status(422)
    await system.load('dataItems')
    return this.#render(view, i18n, system, {
      rows: [...rowsFromItems(system.dataItems), ...blankRows(EMPTY_ROWS)],
      version: cellOf(body.version) || system.version,
      paste: cellOf(body.paste),
      generalErrors: [i18n.t('data_items.bulk.rows_shape')],
    })
  }

  async #render(
    view: HttpContext['view'],
    i18n: HttpContext['i18n'],
    system: PersonalDataSystem,
    state: PageState
  ) {
    // The edit page and a refused shape read the items for their rows already; the rest not.
    if (!('dataItems' in system.$preloaded)) await system.load('dataItems')
    const rowMessages = new Map<number, string[]>()
    const errorList: Array<{ row: number | null; message: string }> = (
      state.generalErrors ?? []
    ).map((message) => ({ row: null, message }))
    for (const problem of state.problems ?? []) {
      errorList.push({ row: problem.row, message: problemMessage(i18n, problem) })
      // Beside the row, the message without its 「N行目：」.
      if (problem.row !== null)
        rowMessages.set(problem.row, [
          ...(rowMessages.get(problem.row) ?? []),
          problemMessage(i18n, { ...problem, row: null }),
        ])
    }
    return view.render('pages/register/data_items/bulk', {
      system,
      rows: state.rows,
      items: new Map(system.dataItems.map((item) => [String(item.id), item])),
      version: state.version,
      rowMessages,
      errorList,
      notice: state.notice ?? null,
      paste: state.paste ?? '',
      pasteMode: state.pasteMode === 'replace' ? 'replace' : 'append',
      blankRow: emptyRow(),
    })
  }

  async #editableSystem(systemId: number, bouncer: HttpContext['bouncer']) {
    const system = await SystemQueries.withSubjectGroups(systemId)
    await bouncer.with(SystemPolicy).authorize('update', system)
    return system
  }
}

function blankRows(count: number): ItemRowCells[] {
  return Array.from({ length: count }, emptyRow)
}

function cellOf(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : ''
}

/** Validation messages by row (rows.3.name → row 3); anything else is about the whole table. */
function fieldProblems(messages: Array<{ field: string; message: string }>) {
  const problems: RowProblem[] = []
  const generalErrors: string[] = []
  for (const { field, message } of messages) {
    const match = field.match(/^rows\.(\d+)(?:\.(\w+))?/)
    if (match) problems.push({ row: Number(match[1]), field: match[2], key: '', message })
    else generalErrors.push(message)
  }
  return { problems, generalErrors }
}
