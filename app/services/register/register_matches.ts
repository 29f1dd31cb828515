import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import Department from '#models/department'
import Contractor from '#models/contractor'
import SpecialTermSet from '#models/special_term_set'
import CorporateNumber from '#services/register/corporate_number'
import { printedItems } from '#services/register/special_terms_text'
import type { DraftClause, DraftTermSet } from '#services/council/import/import_draft'

/** Text compared as the eye reads it: NFKC (full-width letters, digits and brackets as ASCII), no whitespace. */
export function comparable(text: string | null | undefined): string {
  return (text ?? '').normalize('NFKC').replace(/\s+/gu, '')
}

/** A company name compared: 株式会社 / （株） / (株) / ㈱ alike (有限会社 likewise). */
export function comparableCompany(name: string): string {
  return comparable(name)
    .replace(/\(株\)/g, '株式会社')
    .replace(/\(有\)/g, '有限会社')
}

/** 法人番号 as 13 ASCII digits (full-width digits, spaces and hyphens allowed); null otherwise. */
export function corporateDigits(value: string | null | undefined): string | null {
  const digits = CorporateNumber.normalize(value ?? '')
  return CorporateNumber.hasThirteenDigits(digits) ? digits : null
}

/** A clause as compared: its printed number, heading (without parentheses), body and items. */
function clauseKey(clause: {
  number: number
  numberLabel: string | null
  heading: string
  body: string
  items: string[]
}): string {
  return JSON.stringify([
    comparable(clause.numberLabel?.trim() || String(clause.number)),
    comparable(clause.heading).replace(/^\((.*)\)$/u, '$1'),
    comparable(clause.body),
    printedItems(clause.items ?? []).map(comparable),
  ])
}

const clausesKey = (clauses: Parameters<typeof clauseKey>[0][]) =>
  JSON.stringify(clauses.map(clauseKey))

/**
 * The register's departments, contractors and special-terms sets, read once, to match the
 * names and clauses a council document writes (取込み): a department by its name, or its
 * parent's name followed by its own (区長室区政情報課); a contractor by 法人番号, else by
 * name (株式会社 and （株） alike); a special-terms set by the text of its clauses. Width
 * (NFKC) and whitespace never matter.
 */
export default class RegisterMatches {
  readonly #departments = new Map<
    string,
    Array<{ id: number; name: string; parentName: string | null; rank: number }>
  >()
  readonly #contractorsByNumber = new Map<string, { id: number; name: string }>()
  readonly #contractorsByName = new Map<
    string,
    Array<{ id: number; name: string; corporateNumber: string | null }>
  >()
  readonly #termSets = new Map<string, NonNullable<DraftTermSet['match']>>()

  private constructor() {}

  static async load(client?: QueryClientContract): Promise<RegisterMatches> {
    const options = client ? { client } : undefined
    const matches = new RegisterMatches()
    const departments = await Department.query(options).orderBy('sortOrder').orderBy('id')
    const byId = new Map(departments.map((department) => [department.id, department]))
    for (const department of departments) {
      // Its name, then with its parent's name in front, then its grandparent's: a longer path is surer.
      let path = department.name
      let parent = department.parentId ? byId.get(department.parentId) : undefined
      for (let rank = 0; ; rank++) {
        const key = comparable(path)
        const list = matches.#departments.get(key) ?? []
        list.push({
          id: department.id,
          name: department.name,
          parentName: department.parentId ? (byId.get(department.parentId)?.name ?? null) : null,
          rank,
        })
        matches.#departments.set(key, list)
        if (!parent) break
        path = parent.name + path
        parent = parent.parentId ? byId.get(parent.parentId) : undefined
      }
    }

    const contractors = await Contractor.query(options).orderBy('id')
    for (const contractor of contractors) {
      const entry = { id: contractor.id, name: contractor.name }
      const number = corporateDigits(contractor.corporateNumber)
      if (number && !matches.#contractorsByNumber.has(number)) {
        matches.#contractorsByNumber.set(number, entry)
      }
      const key = comparableCompany(contractor.name)
      const list = matches.#contractorsByName.get(key) ?? []
      list.push({ ...entry, corporateNumber: number })
      matches.#contractorsByName.set(key, list)
    }

    // Oldest first, so that the newest version with the same clauses is the one kept.
    const sets = await SpecialTermSet.query(options)
      .preload('clauses')
      .orderBy('version')
      .orderBy('id')
    for (const set of sets) {
      matches.#termSets.set(clausesKey(set.clauses), {
        setId: set.id,
        code: set.code,
        version: set.version,
        name: set.name,
      })
    }
    return matches
  }

  /** The department the document names; of several, the one named with the longest path. */
  department(name: string): { id: number; name: string; parentName: string | null } | null {
    const found = this.#departments.get(comparable(name))
    if (!found?.length) return null
    const best = [...found].sort((a, b) => b.rank - a.rank)[0]
    return { id: best.id, name: best.name, parentName: best.parentName }
  }

  /**
   * The contractor with the 法人番号, else the one with the name; a contractor registered
   * with another 法人番号 is another company, whatever its name.
   */
  contractor(name: string, corporateNumber?: string | null): { id: number; name: string } | null {
    const number = corporateDigits(corporateNumber)
    if (number) {
      const byNumber = this.#contractorsByNumber.get(number)
      if (byNumber) return byNumber
    }
    const candidates = (this.#contractorsByName.get(comparableCompany(name)) ?? []).filter(
      (candidate) => !number || !candidate.corporateNumber || candidate.corporateNumber === number
    )
    const found = candidates[0]
    return found ? { id: found.id, name: found.name } : null
  }

  /** The newest set version whose clauses are the same text; null = none (a new set). */
  termSet(clauses: DraftClause[]): DraftTermSet['match'] {
    if (clauses.length === 0) return null
    return this.#termSets.get(clausesKey(clauses)) ?? null
  }
}
