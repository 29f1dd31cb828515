import type { LucidModel, ModelAttributes } from '@adonisjs/lucid/types/model'

/** A database row by column name, ready for a bulk insert. */
export type PreparedRow = Record<string, string | number | boolean | null>

/**
 * The row `Model.create(attributes)` would insert, without inserting it: the model's
 * before-create and before-save hooks run (blind indexes…) and every column is prepared as
 * the model prepares it (encryption, retention keys, JSON, dates in the connection's format).
 * The automatic timestamps are left out: `autoTimestamps` gives them at insert time.
 */
export async function preparedRow<Model extends LucidModel>(
  model: Model,
  attributes: Partial<ModelAttributes<InstanceType<Model>>>
): Promise<PreparedRow> {
  const row = new model()
  row.merge(attributes)
  await model.$hooks.runner('before:create').run(row)
  await model.$hooks.runner('before:save').run(row)
  const prepared: PreparedRow = {}
  for (const [key, value] of Object.entries(row.$attributes)) {
    const column = model.$getColumn(key)
    if (!column) continue
    prepared[column.columnName] = column.prepare ? column.prepare(value, key, row) : value
  }
  return prepared
}

/** The model's created_at / updated_at (autoCreate, autoUpdate columns) set to `stamp`. */
export function autoTimestamps(model: LucidModel, stamp: string): PreparedRow {
  const stamps: PreparedRow = {}
  for (const column of model.$columnsDefinitions.values()) {
    if (column.meta?.autoCreate || column.meta?.autoUpdate) stamps[column.columnName] = stamp
  }
  return stamps
}
