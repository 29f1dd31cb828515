import { DateTime } from 'luxon'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import type { RawQueryBindings } from '@adonisjs/lucid/types/querybuilder'
import type { LucidModel, LucidRow, ModelAttributes } from '@adonisjs/lucid/types/model'

/** Rows per INSERT, and per UPDATE (two bindings a row and column) and DELETE, within both databases' limits. */
const INSERT_CHUNK = 500
const UPDATE_CHUNK = 200
const DELETE_CHUNK = 500

const DATE_TIME_TYPES = new Set(['date', 'datetime'])

/**
 * Writes many rows of one model in a statement or two, where Lucid's `createMany`,
 * `save()` and `delete()` send one statement a row (a roster of 500 members, a table
 * of 200 items that all move down one place). Values go through each column's
 * `prepare` (dates, JSON, encryption) and `autoCreate` / `autoUpdate` timestamps are
 * set, as `save()` does. Model hooks do not run: use it for models without hooks.
 */
export default class RowBatch {
  /** Inserts the rows, 500 to a statement. Returns nothing: read back what needs ids. */
  static async insert<Model extends LucidModel>(
    model: Model,
    rows: Array<Partial<ModelAttributes<InstanceType<Model>>>>,
    client: QueryClientContract
  ): Promise<void> {
    const prepared = rows.map((values) => {
      const row = new model()
      row.merge(values)
      RowBatch.#stamp(row, 'create')
      return RowBatch.#columns(row, Object.keys(row.$attributes))
    })
    for (let start = 0; start < prepared.length; start += INSERT_CHUNK) {
      await client
        .insertQuery()
        .table(model.table)
        .multiInsert(prepared.slice(start, start + INSERT_CHUNK))
    }
  }

  /**
   * Saves the rows that changed: one `UPDATE … SET column = CASE id WHEN … END` for every
   * 200, each row setting only what changed in it. Returns how many rows changed.
   */
  static async update<Model extends LucidModel>(
    model: Model,
    rows: Array<InstanceType<Model>>,
    client: QueryClientContract
  ): Promise<number> {
    const changed = rows.filter((row) => row.$isDirty)
    const key = RowBatch.#columnName(model, model.primaryKey)
    for (let start = 0; start < changed.length; start += UPDATE_CHUNK) {
      const chunk = changed.slice(start, start + UPDATE_CHUNK).map((row) => {
        RowBatch.#stamp(row, 'update')
        return {
          id: row.$primaryKeyValue,
          values: RowBatch.#columns(row, Object.keys(row.$dirty)),
        }
      })
      const columns = [...new Set(chunk.flatMap(({ values }) => Object.keys(values)))]
      const bindings: unknown[] = [model.table]
      const assignments = columns.map((column) => {
        const setting = chunk.filter(({ values }) => column in values)
        bindings.push(column, key)
        setting.forEach(({ id, values }) => bindings.push(id, values[column]))
        bindings.push(column)
        return `?? = CASE ?? ${setting.map(() => 'WHEN ? THEN ?').join(' ')} ELSE ?? END`
      })
      bindings.push(key, ...chunk.map(({ id }) => id))
      await client.rawQuery(
        `UPDATE ?? SET ${assignments.join(', ')} WHERE ?? IN (${chunk.map(() => '?').join(', ')})`,
        bindings as RawQueryBindings
      )
    }
    changed.forEach((row) => row.$hydrateOriginals())
    return changed.length
  }

  /** Deletes the rows, 500 to a statement. */
  static async delete<Model extends LucidModel>(
    model: Model,
    rows: Array<InstanceType<Model>>,
    client: QueryClientContract
  ): Promise<void> {
    const key = RowBatch.#columnName(model, model.primaryKey)
    for (let start = 0; start < rows.length; start += DELETE_CHUNK) {
      const chunk = rows.slice(start, start + DELETE_CHUNK)
      await client
        .from(model.table)
        .whereIn(
          key,
          chunk.map((row) => row.$primaryKeyValue as number)
        )
        .delete()
      chunk.forEach((row) => (row.$isDeleted = true))
    }
  }

  /** The attributes as the table's columns, through each column's `prepare`. */
  static #columns(row: LucidRow, attributes: string[]): Record<string, unknown> {
    const model = row.constructor as LucidModel
    const source = row.$attributes as Record<string, unknown>
    return Object.fromEntries(
      attributes.map((attribute) => {
        const column = model.$getColumn(attribute)!
        const value = source[attribute]
        return [column.columnName, column.prepare ? column.prepare(value, attribute, row) : value]
      })
    )
  }

  static #columnName(model: LucidModel, attribute: string): string {
    return model.$getColumn(attribute)!.columnName
  }

  /** Sets `autoCreate` timestamps left empty (on insert) and `autoUpdate` ones, as `save()` does. */
  static #stamp(row: LucidRow, event: 'create' | 'update') {
    const model = row.constructor as LucidModel
    const source = row as unknown as Record<string, unknown>
    model.$columnsDefinitions.forEach((column, attribute) => {
      if (!DATE_TIME_TYPES.has(column.meta?.type)) return
      const stamped =
        event === 'create'
          ? !source[attribute] && (column.meta.autoCreate || column.meta.autoUpdate)
          : column.meta.autoUpdate
      if (stamped) source[attribute] = DateTime.local()
    })
  }
}
