import db from '@adonisjs/lucid/services/db'
import type { DepartmentLevel } from '#enums/department_level'

/** A department as the directory knows it: enough to name it, place it in the tree and offer it. */
export interface DirectoryEntry {
  id: number
  parentId: number | null
  code: string
  name: string
  level: DepartmentLevel
  sortOrder: number
}

/** What placing a department in the tree needs (a DirectoryEntry, or a whole Department). */
interface TreeNode {
  id: number
  parentId: number | null
  code: string
  sortOrder: number
}

/** The organisation as a tree: each department after its parent, with its depth (部 0, 課 1, 係 2). */
export type DepartmentTree<Node extends TreeNode> = Array<{ department: Node; depth: number }>
export type DirectoryTree = DepartmentTree<DirectoryEntry>

/**
 * Departments in the organisation's tree order: each after its parent, siblings by sort order
 * then code; a department whose parent is not among them is left out.
 */
export function inTreeOrder<Node extends TreeNode>(departments: Node[]): DepartmentTree<Node> {
  const bySortThenCode = (a: Node, b: Node) =>
    a.sortOrder - b.sortOrder || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)
  const childrenOf = new Map<number | null, Node[]>()
  for (const department of departments) {
    const siblings = childrenOf.get(department.parentId) ?? []
    siblings.push(department)
    childrenOf.set(department.parentId, siblings)
  }
  const rows: DepartmentTree<Node> = []
  const visit = (parentId: number | null, depth: number) => {
    for (const department of (childrenOf.get(parentId) ?? []).sort(bySortThenCode)) {
      rows.push({ department, depth })
      visit(department.id, depth + 1)
    }
  }
  visit(null, 0)
  return rows
}

/** The directory read for a request's account, kept as long as that account instance. */
const perAccount = new WeakMap<object, Promise<DepartmentDirectory>>()

/**
 * Every department (a ward has a few hundred), read once per request: the scope of a
 * department's staff (their 課 and what is below it), the departments a form offers and the
 * names a page shows come from this one read, where an opinion's page made four (issue 19).
 * The request's logged-in account carries the read (`load(user)`); without one (jobs,
 * commands, tests) each `load` reads afresh. A request that changes the organisation
 * redirects, and the next request reads it again.
 */
export default class DepartmentDirectory {
  readonly #byId: Map<number, DirectoryEntry>
  readonly #childrenOf = new Map<number, number[]>()

  private constructor(
    /** Every department, in the organisation's order (sort order, then id). */
    readonly entries: DirectoryEntry[]
  ) {
    this.#byId = new Map(entries.map((entry) => [entry.id, entry]))
    for (const entry of entries) {
      if (entry.parentId === null) continue
      const siblings = this.#childrenOf.get(entry.parentId) ?? []
      siblings.push(entry.id)
      this.#childrenOf.set(entry.parentId, siblings)
    }
  }

  /**
   * The directory as `account` sees it in this request: read at its first use, then shared by
   * every later `load` with the same account instance (auth loads a fresh one per request, so
   * the next request reads the organisation again). Without an account, a fresh read.
   */
  static load(account?: object | null): Promise<DepartmentDirectory> {
    if (!account) return this.#read()
    let directory = perAccount.get(account)
    if (!directory) {
      directory = this.#read()
      perAccount.set(account, directory)
    }
    return directory
  }

  /** The organisation as a tree (`tree()`), from the read `load(account)` shares. */
  static async treeFor(account?: object | null): Promise<DirectoryTree> {
    const directory = await DepartmentDirectory.load(account)
    return directory.tree()
  }

  static async #read(): Promise<DepartmentDirectory> {
    const rows = await db
      .from('departments')
      .select('id', 'parent_id', 'code', 'name', 'level', 'sort_order')
      .orderBy('sort_order')
      .orderBy('id')
    return new DepartmentDirectory(
      rows.map((row) => ({
        id: Number(row.id),
        parentId: row.parent_id === null ? null : Number(row.parent_id),
        code: row.code,
        name: row.name,
        level: row.level,
        sortOrder: Number(row.sort_order),
      }))
    )
  }

  find(id: number | null | undefined): DirectoryEntry | null {
    return id === null || id === undefined ? null : (this.#byId.get(id) ?? null)
  }

  /** The department's own id and the ids of every unit below it (a 課 sees its 係; a 部 its 課 and their 係). */
  subtreeIds(rootId: number): number[] {
    const ids = [rootId]
    for (let index = 0; index < ids.length; index++) {
      ids.push(...(this.#childrenOf.get(ids[index]) ?? []))
    }
    return ids
  }

  /** The department's id and those of the units above it (係 → 課 → 部). */
  chainIds(departmentId: number): number[] {
    const ids: number[] = []
    for (let id: number | null | undefined = departmentId; id && !ids.includes(id);) {
      ids.push(id)
      id = this.#byId.get(id)?.parentId
    }
    return ids
  }

  /** Every department after its parent, siblings by sort order then code. */
  tree(): DirectoryTree {
    return inTreeOrder(this.entries)
  }

  /** The 課 and 係 (not the 部) in the organisation's order: where an opinion may be sent, and list filters. */
  units(): Array<{ id: number; name: string }> {
    return this.entries
      .filter((entry) => entry.level !== 'bu')
      .map((entry) => ({ id: entry.id, name: entry.name }))
  }
}
