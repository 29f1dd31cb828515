import logger from '@adonisjs/core/services/logger'
import Contractor from '#models/contractor'
import Department from '#models/department'
import DocumentTemplate from '#models/document_template'
import { TEMPLATE_KINDS, type TemplateKind } from '#enums/document_template'
import type CouncilImport from '#models/council_import'
import { compareRows, type ComparedRow } from '#services/council/compare/compare'
import { documentRows } from '#services/council/compare/document_rows'
import CouncilDocumentReader from '#services/council/import/draft_builder'
import { draftDocumentFor } from '#services/council/import/draft_document'
import { lineUsage, type SourceLine } from '#services/council/import/line_usage'
import { formValues, type ReviewFormValues } from '#services/council/import/draft_corrections'

/** A line of the source as the review shows it. */
export interface ReviewLine extends SourceLine {
  /** Not used by any field and not a heading or page number: highlighted. */
  unused: boolean
  /** Unused, and checked by the officer as deliberately left out (not counted). */
  leftOut: boolean
}

export interface ImportReviewData {
  lines: ReviewLine[]
  /** The numbers of the highlighted lines not checked as left out (links at the top of the source). */
  unusedLines: number[]
  /** The numbers of the unused lines checked as deliberately left out. */
  leftOutLines: number[]
  /** この内容で作成すると、原文 total 行のうち identical 行が一致します. */
  preview: { identical: number; total: number; differences: ComparedRow[] } | null
  /** The draft's fields as the form shows them. */
  form: ReviewFormValues
  /** The register's department the draft matched (its name), or null (created). */
  department: { id: number; name: string } | null
  /** The matched contractors by id (their names). */
  contractors: Map<number, string>
  /** Whether the document could be built from the draft (else the preview is missing). */
  failed: boolean
  /** The rows of each template (key and the office's label), for 見出しを変更 and 位置. */
  templateRows: Record<TemplateKind, Array<{ key: string; label: string }>>
}

/**
 * The review of an import (取込みの確認): the draft's document rows (what the item would print),
 * which source lines they use (the others are highlighted, so nothing is silently dropped) and
 * the preview score against the source. A draft the document cannot be built from still gets
 * its review, with every line shown and no score.
 */
export default class ImportReview {
  /** Everything the review page shows for an import. */
  static async of(record: CouncilImport): Promise<ImportReviewData> {
    const draft = record.draft
    const leftOut = new Set(draft.leftOutLines ?? [])
    let lines: ReviewLine[]
    let preview: ImportReviewData['preview'] = null
    let failed = false
    try {
      const rows = documentRows(await draftDocumentFor(draft))
      lines = lineUsage(record.sourceText, rows).lines.map((line) => {
        const unused = !line.used && !line.structural && line.text.trim() !== ''
        return { ...line, unused, leftOut: unused && leftOut.has(line.number) }
      })
      const reference = CouncilDocumentReader.sourceRows(
        record.sourceText,
        record.sourceKind,
        rows.filter((row) => row.kind === 'row').map((row) => row.label)
      )
      const comparison = compareRows(reference, rows)
      preview = {
        identical: comparison.identical,
        total: comparison.total,
        differences: comparison.rows.filter((row) => !row.identical),
      }
    } catch (error) {
      logger.error({ err: error, importId: record.id }, 'the review of an import failed')
      failed = true
      lines = record.sourceText.split('\n').map((text, index) => ({
        number: index + 1,
        text,
        used: false,
        structural: false,
        unused: false,
        leftOut: false,
      }))
    }

    const contractorIds = draft.annexes.flatMap((annex) =>
      annex.kind === 'contract' && annex.contract.contractor?.id
        ? [annex.contract.contractor.id]
        : []
    )
    const contractors = contractorIds.length
      ? await Contractor.query().whereIn('id', contractorIds)
      : []
    const department = draft.department.id ? await Department.find(draft.department.id) : null
    const templates = await DocumentTemplate.allByKind()
    return {
      lines,
      unusedLines: lines.filter((line) => line.unused && !line.leftOut).map((line) => line.number),
      leftOutLines: lines.filter((line) => line.leftOut).map((line) => line.number),
      preview,
      form: formValues(draft),
      department: department ? { id: department.id, name: department.name } : null,
      contractors: new Map(contractors.map((contractor) => [contractor.id, contractor.name])),
      failed,
      templateRows: Object.fromEntries(
        TEMPLATE_KINDS.map((kind) => [
          kind,
          templates[kind].rows.map((row) => ({ key: row.key, label: row.label })),
        ])
      ) as ImportReviewData['templateRows'],
    }
  }
}
