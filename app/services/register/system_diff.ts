import type { SystemSnapshot } from '#services/register/system_snapshot'
import { jaText } from '#services/ja_text'

export interface ListChange {
  added: string[]
  removed: string[]
}

export interface SystemDifference {
  fields: Array<{ field: keyof SystemSnapshot['system']; before: unknown; after: unknown }>
  subjectGroups: ListChange
  dataItems: ListChange & { changed: string[] }
  contractors: ListChange
  subcontractors: ListChange
  media: ListChange
  /** True when nothing differs. */
  same: boolean
}

const listChange = (before: string[], after: string[]): ListChange => ({
  added: after.filter((value) => !before.includes(value)),
  removed: before.filter((value) => !after.includes(value)),
})

/**
 * What changed between two snapshots of a system: fields, data items,
 * contractors, subcontractors and media added or removed.
 */
export default class SystemDiff {
  static between(before: SystemSnapshot, after: SystemSnapshot): SystemDifference {
    // Both sides' keys: optional fields (set on one side only) count as changed.
    const fields = (
      [...new Set([...Object.keys(before.system), ...Object.keys(after.system)])] as Array<
        keyof SystemSnapshot['system']
      >
    )
      .filter((field) => field !== 'media')
      .filter(
        (field) => JSON.stringify(before.system[field]) !== JSON.stringify(after.system[field])
      )
      .map((field) => ({ field, before: before.system[field], after: after.system[field] }))

    const itemKey = (item: SystemSnapshot['dataItems'][number]) => JSON.stringify(item)
    const beforeItems = new Map(before.dataItems.map((item) => [item.name, itemKey(item)]))
    const afterItems = new Map(after.dataItems.map((item) => [item.name, itemKey(item)]))
    const contractorsOf = (snapshot: SystemSnapshot, subcontracts: boolean) => [
      ...new Set(
        snapshot.contracts
          .filter((c) => (c.subcontractOf !== null) === subcontracts)
          .map((c) => c.contractor ?? jaText('register.contracts.undecided'))
      ),
    ]

    const difference = {
      fields,
      subjectGroups: listChange(
        before.subjectGroups.map((g) => `${g.number} ${g.description}`),
        after.subjectGroups.map((g) => `${g.number} ${g.description}`)
      ),
      dataItems: {
        ...listChange([...beforeItems.keys()], [...afterItems.keys()]),
        changed: [...afterItems.keys()].filter(
          (name) => beforeItems.has(name) && beforeItems.get(name) !== afterItems.get(name)
        ),
      },
      contractors: listChange(contractorsOf(before, false), contractorsOf(after, false)),
      subcontractors: listChange(contractorsOf(before, true), contractorsOf(after, true)),
      media: listChange(before.system.media, after.system.media),
    }
    const lists = [
      difference.subjectGroups,
      difference.dataItems,
      difference.contractors,
      difference.subcontractors,
      difference.media,
    ]
    const same =
      fields.length === 0 &&
      difference.dataItems.changed.length === 0 &&
      lists.every((l) => l.added.length === 0 && l.removed.length === 0)
    return { ...difference, same }
  }
}
