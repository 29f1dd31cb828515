import { Preloader } from '@adonisjs/lucid/orm'
import type { RelationshipsContract } from '@adonisjs/lucid/types/relations'
import type { LucidRow } from '@adonisjs/lucid/types/model'

/** Installed once per process (the tests boot the app, which installs it, and call it again). */
let installed = false

/** What Lucid 21's Preloader keeps per relation name (private in its types). */
type PreloadsOf = Record<string, { relation: RelationshipsContract }>

/**
 * Lucid 21 reads a belongsTo relation even when the row has no key: one row's `load('reviewedBy')`
 * sends `select * from users where id is null limit 1`, and preloading it on rows that all lack the
 * key sends `where 1 = 0`. Both answer nothing, at the cost of a round trip: a contract whose
 * contractor is not chosen yet, a report nobody has checked, an account without a 所属, the parent
 * of a contract that has none. Here such a relation is set to null without a query, for every
 * `load` and `preload` of the app. A key that was not selected (undefined) still reaches Lucid,
 * which reports it as missing.
 */
export function skipBelongsToReadsWithoutKeys() {
  if (installed) return
  installed = true
  const prototype = Preloader.prototype as unknown as {
    preloads: PreloadsOf
    processRelation(name: string, parent: LucidRow, client: unknown): Promise<void>
    processRelationForMany(name: string, parents: LucidRow[], client: unknown): Promise<void>
  }
  const keyOf = (relation: RelationshipsContract) =>
    relation.type === 'belongsTo' ? relation.foreignKey : null

  const processRelation = prototype.processRelation
  prototype.processRelation = function (name, parent, client) {
    const { relation } = this.preloads[name]
    const key = keyOf(relation)
    if (key !== null && parent.$getAttribute(key) === null) {
      relation.setRelated(parent as never, null as never)
      return Promise.resolve()
    }
    return processRelation.call(this, name, parent, client)
  }

  const processRelationForMany = prototype.processRelationForMany
  prototype.processRelationForMany = function (name, parents, client) {
    const { relation } = this.preloads[name]
    const key = keyOf(relation)
    if (key !== null && parents.every((parent) => parent.$getAttribute(key) === null)) {
      relation.setRelatedForMany(parents as never, [] as never)
      return Promise.resolve()
    }
    return processRelationForMany.call(this, name, parents, client)
  }
}
