import { Preloader } from '@adonisjs/lucid/orm'
import type { LucidModel, LucidRow } from '@adonisjs/lucid/types/model'
import type {
  BelongsToRelationContract,
  RelationshipsContract,
} from '@adonisjs/lucid/types/relations'

type BelongsTo = BelongsToRelationContract<LucidModel, LucidModel>

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

/** A row and the name of one of its belongsTo relations. */
export type BelongsToLink = [row: LucidRow | null | undefined, relation: string]

/**
 * Sets belongsTo relations of several rows, of one model or of several, with one read per
 * related table: an FAQ entry's author and its published version's approver are one user, a
 * page's council items and its systems share their departments, where a preload per list or per
 * relation reads the same rows again. Rows without a key get null, as Lucid's preload does.
 * `known`: related rows the caller has already read (they are not read again).
 */
export async function preloadTogether(
  links: BelongsToLink[],
  known: Array<LucidRow | null | undefined> = []
): Promise<void> {
  // One read per related table and key it is matched on (nearly always its id).
  const byRelated = new Map<string, Array<{ row: LucidRow; relation: BelongsTo }>>()
  for (const [row, name] of links) {
    if (!row) continue
    const relation = (row.constructor as LucidModel).$getRelation(name) as BelongsTo
    if (relation.type !== 'belongsTo') throw new Error(`${name} is not a belongsTo relation`)
    relation.boot()
    const group = `${relation.relatedModel().table}:${relation.localKey}`
    const members = byRelated.get(group) ?? []
    members.push({ row, relation })
    byRelated.set(group, members)
  }
  for (const wanted of byRelated.values()) {
    const { localKey, localKeyColumnName } = wanted[0].relation
    const related = wanted[0].relation.relatedModel()
    const byKey = new Map(
      known
        .filter((row): row is LucidRow => row?.constructor === related)
        .map((row) => [row.$getAttribute(localKey), row])
    )
    const keys = [
      ...new Set(
        wanted
          .map(({ row, relation }) => row.$getAttribute(relation.foreignKey))
          .filter((key) => key !== null && key !== undefined && !byKey.has(key))
      ),
    ]
    const found = keys.length ? await related.query().whereIn(localKeyColumnName, keys) : []
    for (const row of found) byKey.set(row.$getAttribute(localKey), row)
    for (const { row, relation } of wanted) {
      relation.setRelated(
        row as never,
        (byKey.get(row.$getAttribute(relation.foreignKey)) ?? null) as never
      )
    }
  }
}
