import type Contract from '#models/contract'
import SpecialTermClause from '#models/special_term_clause'
import { printedItems } from '#services/register/special_terms_text'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { jaText } from '#services/ja_text'

/** Where a checklist line comes from: a special-terms clause or one of the four measure lists. */
export const CHECKLIST_SOURCES = [
  'clause',
  'ward_operational',
  'ward_system',
  'contractor_operational',
  'contractor_system',
] as const
export type ChecklistSource = (typeof CHECKLIST_SOURCES)[number]

/** 適合 / 不適合 / 該当なし */
export const AUDIT_ANSWERS = ['compliant', 'non_compliant', 'not_applicable'] as const
export type AuditAnswer = (typeof AUDIT_ANSWERS)[number]

/** The Japanese label of a checklist source (the wording of the pages, oversight_audits.sources). */
export const sourceLabel = (source: ChecklistSource) => jaText(`oversight_audits.sources.${source}`)

/** The Japanese label of an answer, 未回答 when none (oversight_audits.answers). */
export const answerLabel = (answer: AuditAnswer | null) =>
  jaText(`oversight_audits.answers.${answer ?? 'none'}`)

export interface ChecklistClause {
  number: number
  /** Optional: a clause without a heading gives a line without one. */
  heading: string | null
  body: string
  items?: string[] | null
}

export interface ChecklistMeasures {
  wardMeasuresOperational: string[]
  wardMeasuresSystem: string[]
  contractorMeasuresOperational: string[]
  contractorMeasuresSystem: string[]
}

/** A line as generated; its text is copied, so later library or contract changes leave it alone. */
export interface ChecklistLineDraft {
  position: number
  source: ChecklistSource
  /** Clause number, or the measure's place (1-based) in its list. */
  number: number
  heading: string | null
  text: string
}

/** Answered lines of a checklist or of one of its sections (回答済み / 全項目). */
export interface ChecklistTally {
  answered: number
  total: number
}

/** A section of the checklist: the lines of one source. */
export interface ChecklistSection extends ChecklistTally {
  source: ChecklistSource
}

const MEASURE_LISTS: ReadonlyArray<readonly [ChecklistSource, keyof ChecklistMeasures]> = [
  ['ward_operational', 'wardMeasuresOperational'],
  ['ward_system', 'wardMeasuresSystem'],
  ['contractor_operational', 'contractorMeasuresOperational'],
  ['contractor_system', 'contractorMeasuresSystem'],
]

/**
 * The checklist of an on-site audit: one line per clause of the contract's
 * special-terms set (in clause order), then one per measure line, ward
 * measures before contractor measures, operational before system.
 */
export default class AuditChecklist {
  /** Builds the lines from clauses and measures (pure; blank measure lines are skipped). */
  static generate(clauses: ChecklistClause[], measures: ChecklistMeasures): ChecklistLineDraft[] {
    const lines: ChecklistLineDraft[] = []
    const push = (line: Omit<ChecklistLineDraft, 'position'>) =>
      lines.push({ position: lines.length + 1, ...line })

    for (const clause of [...clauses].sort((a, b) => a.number - b.number)) {
      // As printed in the clause: markers as written, （n） for an item entered without one.
      const items = printedItems(clause.items ?? [])
      push({
        source: 'clause',
        number: clause.number,
        heading: (clause.heading ?? '').trim().replace(/^[（(]|[）)]$/g, '') || null,
        text: [clause.body.trim(), ...items].join('\n'),
      })
    }
    for (const [source, key] of MEASURE_LISTS) {
      const entries = (measures[key] ?? []).map((entry) => entry.trim()).filter(Boolean)
      entries.forEach((text, index) => push({ source, number: index + 1, heading: null, text }))
    }
    return lines
  }

  /** The lines for a contract as it stands now (its attached special-terms version and measures). */
  static async forContract(
    contract: Contract,
    client?: TransactionClientContract
  ): Promise<ChecklistLineDraft[]> {
    const clauses = contract.specialTermSetId
      ? await SpecialTermClause.query({ client })
          .where('setId', contract.specialTermSetId)
          .orderBy('number')
      : []
    return AuditChecklist.generate(clauses, contract)
  }

  /**
   * Answered / total lines, overall and per section (the sources in checklist
   * order; a source without lines has no section).
   */
  static progress(
    lines: ReadonlyArray<{ source: ChecklistSource; answer: AuditAnswer | null }>
  ): ChecklistTally & { sections: ChecklistSection[] } {
    const sections = CHECKLIST_SOURCES.map((source) => {
      const own = lines.filter((line) => line.source === source)
      return {
        source,
        answered: own.filter((line) => line.answer !== null).length,
        total: own.length,
      }
    }).filter((section) => section.total > 0)
    return {
      answered: lines.filter((line) => line.answer !== null).length,
      total: lines.length,
      sections,
    }
  }

  /** 特記事項 2（秘密の保持） / 受託事業者に行わせる情報保護対策（運用上） 1 */
  static referenceOf(line: {
    source: ChecklistSource
    number: number
    heading: string | null
  }): string {
    const base = `${sourceLabel(line.source)} ${line.number}`
    return line.heading ? `${base}（${line.heading}）` : base
  }
}
