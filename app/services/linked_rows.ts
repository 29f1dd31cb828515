import type { LucidModel, LucidRow } from '@adonisjs/lucid/types/model'
import type { ExtractModelRelations } from '@adonisjs/lucid/types/relations'

/**
 * Loads each named belongsTo relation of `row` whose key is set, and sets the others to null
 * without a query. Lucid reads an empty key too (`select * from users where id is null`): a
 * certificate nobody has checked yet, an account without a 所属.
 */
export async function loadIfLinked<Row extends LucidRow>(
  row: Row,
  ...names: ExtractModelRelations<Row>[]
) {
  const model = row.constructor as LucidModel
  for (const name of names) {
    const relation = model.$getRelation(name as string)
    if (!relation) throw new Error(`${model.name} has no relation ${String(name)}`)
    relation.boot()
    const key = relation.type === 'belongsTo' ? relation.foreignKey : null
    if (key !== null && row.$getAttribute(key) === null) {
      row.$setRelated(name as never, null as never)
    } else {
      await row.load(name)
    }
  }
}
