import type FaqScope from '#builders/faq_scope'
import type { CsvColumn, CsvRow } from '#services/csv/csv_export'
import FaqLinks from '#services/faq/faq_links'

/** 状態 as the legacy import reads it (an external format, like the headers): not UI text. */
const STATUS_LABELS = {
  draft: '下書き',
  awaiting_approval: '承認待ち',
  published: '公開',
  withdrawn: '公開停止',
} as const

/**
 * FAQ CSV (FAQデータのCSV出力): the working copy of each entry with its
 * status and the published version's number. The headers are the ones the
 * legacy import reads, so an export can be imported elsewhere.
 */
export default class FaqCsv {
  static readonly columns: CsvColumn[] = [
    { key: 'id', header: '台帳ID' },
    { key: 'legacyId', header: '旧ID' },
    { key: 'topicCode', header: '分野コード' },
    { key: 'topicName', header: '分野名' },
    { key: 'departmentCode', header: '所属コード' },
    { key: 'departmentName', header: '所属名' },
    { key: 'question', header: '質問' },
    { key: 'answer', header: '回答' },
    { key: 'keywords', header: 'キーワード' },
    { key: 'relatedLinks', header: '関連リンク' },
    { key: 'internalNotes', header: '内部メモ' },
    { key: 'visibleToCallCenter', header: 'コールセンター公開' },
    { key: 'status', header: '状態' },
    { key: 'publishedVersion', header: '公開中の版' },
    { key: 'updatedAt', header: '更新日時' },
  ]

  /** Every row of the entries the user manages. */
  static async all(scope: FaqScope): Promise<CsvRow[]> {
    const rows: CsvRow[] = []
    for await (const row of FaqCsv.rows(scope)) rows.push(row)
    return rows
  }

  /** Rows of the entries the user manages in id order, read in pages so a large export does not load everything at once. */
  static async *rows(scope: FaqScope): AsyncGenerator<CsvRow> {
    let afterId = 0
    while (true) {
      const query = scope.managedEntries().where('faq_entries.id', '>', afterId)
      const page = await query
        .preload('topic')
        .preload('department')
        .preload('publishedVersion')
        .orderBy('faq_entries.id')
        .limit(500)
      if (page.length === 0) return
      for (const entry of page) {
        yield {
          id: entry.id,
          legacyId: entry.legacyId ?? '',
          topicCode: entry.topic?.code ?? '',
          topicName: entry.topic?.name ?? '',
          departmentCode: entry.department.code,
          departmentName: entry.department.name,
          question: entry.question,
          answer: entry.answer,
          keywords: entry.keywords,
          relatedLinks: FaqLinks.format(entry.relatedLinks),
          internalNotes: entry.internalNotes ?? '',
          visibleToCallCenter: entry.visibleToCallCenter ? 1 : 0,
          status: STATUS_LABELS[entry.status],
          publishedVersion: entry.publishedVersion?.version ?? '',
          updatedAt: entry.updatedAt,
        }
      }
      afterId = page[page.length - 1].id
    }
  }
}
