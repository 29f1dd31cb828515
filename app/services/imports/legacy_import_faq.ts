import { DateTime } from 'luxon'
import i18nManager from '@adonisjs/i18n/services/main'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import FaqEntry, { type FaqLink, type FaqStatus } from '#models/faq_entry'
import FaqVersion from '#models/faq_version'
import FaqLinks from '#services/faq/faq_links'
import FaqSearch from '#services/faq/faq_search'
import {
  LegacyImport,
  LegacyRow,
  departmentIdOf,
  parseFlag,
  problemText,
  topicIdOf,
  type CodeLookups,
  type LegacyColumn,
} from '#services/imports/legacy_import'
import { autoTimestamps, preparedRow, type PreparedRow } from '#services/imports/prepared_row'

type FaqColumn =
  | 'legacyId'
  | 'topic'
  | 'department'
  | 'question'
  | 'answer'
  | 'keywords'
  | 'relatedLinks'
  | 'internalNotes'
  | 'visibleToCallCenter'
  | 'status'

interface CheckedFaq {
  legacyId: string
  topicId: number
  departmentId: number
  question: string
  answer: string
  keywords: string
  relatedLinks: FaqLink[]
  internalNotes: string | null
  visibleToCallCenter: boolean
  status: Exclude<FaqStatus, 'awaiting_approval'>
}

/** The rows of a checked entry: the entry, and its approved version 1 when published. */
interface StagedFaq {
  entry: PreparedRow
  version: PreparedRow | null
}

/** Entries inserted per statement. */
const INSERT_CHUNK = 500

/** 状態 of the old system (and of our own export) → status here. A pending approval comes across as a draft. */
const STATUS_WORDS: Record<string, CheckedFaq['status']> = {
  published: 'published',
  公開: 'published',
  公開中: 'published',
  draft: 'draft',
  下書き: 'draft',
  作成中: 'draft',
  awaiting_approval: 'draft',
  承認待ち: 'draft',
  withdrawn: 'withdrawn',
  公開停止: 'withdrawn',
  非公開: 'withdrawn',
}

/** Headers of the legacy FAQ CSV; the names of our own export are accepted too. */
export const FAQ_IMPORT_COLUMNS: LegacyColumn<FaqColumn>[] = [
  { key: 'legacyId', headers: ['旧ID', 'legacy_id', 'FAQ番号'], required: true },
  { key: 'topic', headers: ['分野コード', '分野', 'topic'], required: true },
  { key: 'department', headers: ['所属コード', '担当課コード', 'department_code'], required: true },
  { key: 'question', headers: ['質問', 'question'], required: true },
  { key: 'answer', headers: ['回答', 'answer'], required: true },
  { key: 'keywords', headers: ['キーワード', 'keywords'], required: false },
  { key: 'relatedLinks', headers: ['関連リンク', 'related_links'], required: false },
  { key: 'internalNotes', headers: ['内部メモ', 'internal_notes'], required: false },
  {
    key: 'visibleToCallCenter',
    headers: ['コールセンター公開', 'visible_to_call_center'],
    required: false,
  },
  { key: 'status', headers: ['状態', 'status'], required: false },
]

/**
 * The old FAQ system's entries. Published ones arrive with an approved
 * version 1 (approved in the old system), so they are online at once;
 * drafts and withdrawn entries arrive as such.
 */
export default class LegacyFaqImport extends LegacyImport<FaqColumn, CheckedFaq, StagedFaq> {
  readonly kind = 'faq' as const
  readonly table = 'faq_entries'
  readonly columns = FAQ_IMPORT_COLUMNS

  /** `now` stamps the approval of the entries that come across published. */
  constructor(private now: () => DateTime = () => DateTime.now()) {
    super()
  }

  protected checkRow(row: LegacyRow<FaqColumn>, context: CodeLookups): CheckedFaq | null {
    const legacyId = row.required('legacyId', '旧ID')
    row.maxLength('legacyId', legacyId, 60, '旧ID')
    const topicText = row.required('topic', '分野')
    const topicId = topicIdOf(row, 'topic', topicText, context)
    const departmentId = departmentIdOf(
      row,
      'department',
      row.required('department', '所属コード'),
      context
    )
    const question = row.required('question', '質問')
    row.maxLength('question', question, 500, '質問')
    const answer = row.required('answer', '回答')
    row.maxLength('answer', answer, 20000, '回答')
    const keywords = row.get('keywords')
    row.maxLength('keywords', keywords, 500, 'キーワード')
    const links = FaqLinks.parse(row.text('relatedLinks'))
    if (!links.ok)
      row.problem('relatedLinks', problemText('link', { line: links.line, text: links.text }))
    const flag = parseFlag(row.get('visibleToCallCenter'))
    if (flag === null) row.problem('visibleToCallCenter', problemText('call_center_flag'))
    const statusText = row.get('status')
    const status = statusText === '' ? 'published' : STATUS_WORDS[statusText]
    if (!status) row.problem('status', problemText('faq_status', { text: statusText }))

    if (!row.ok) return null
    return {
      legacyId,
      topicId: topicId!,
      departmentId: departmentId!,
      question,
      answer,
      keywords,
      relatedLinks: links.ok ? links.links : [],
      internalNotes: row.text('internalNotes') || null,
      visibleToCallCenter: flag ?? false,
      status,
    }
  }

  protected async stage(record: CheckedFaq, userId: number): Promise<StagedFaq> {
    const { status, ...content } = record
    const entry = await preparedRow(FaqEntry, {
      ...content,
      status,
      createdByUserId: userId,
      updatedByUserId: userId,
    })
    if (status !== 'published') return { entry, version: null }
    const version = await preparedRow(FaqVersion, {
      topicId: content.topicId,
      question: content.question,
      answer: content.answer,
      keywords: content.keywords,
      relatedLinks: content.relatedLinks,
      internalNotes: content.internalNotes,
      visibleToCallCenter: content.visibleToCallCenter,
      version: 1,
      state: 'approved',
      decisionComment: i18nManager.locale('ja').t('faq.import.decision_comment'),
    })
    return { entry, version }
  }

  /**
   * Entries, then the versions of the published ones (approved now), then the entries point
   * at their version: three bulk statements per chunk.
   */
  protected async insert(records: StagedFaq[], trx: TransactionClientContract) {
    const format = trx.dialect.dateTimeFormat
    const now = this.now().toFormat(format)
    const entryStamps = autoTimestamps(FaqEntry, DateTime.local().toFormat(format))
    const versionStamps = autoTimestamps(FaqVersion, DateTime.local().toFormat(format))
    const ids: number[] = []
    for (let start = 0; start < records.length; start += INSERT_CHUNK) {
      const chunk = records.slice(start, start + INSERT_CHUNK)
      await trx.table('faq_entries').multiInsert(
        chunk.map(({ entry, version }) => ({
          ...entry,
          ...entryStamps,
          published_at: version ? now : null,
        }))
      )
      const idOf = new Map<string, number>()
      const inserted = await trx
        .from('faq_entries')
        .whereIn(
          'legacy_id',
          chunk.map(({ entry }) => entry.legacy_id as string)
        )
        .select('id', 'legacy_id')
      for (const row of inserted) idOf.set(row.legacy_id, Number(row.id))
      const published = chunk.filter(({ version }) => version !== null)
      if (published.length > 0) {
        const entryIds = published.map(({ entry }) => idOf.get(entry.legacy_id as string)!)
        await trx.table('faq_versions').multiInsert(
          published.map(({ version }, index) => ({
            ...version,
            ...versionStamps,
            faq_entry_id: entryIds[index],
            decided_at: now,
          }))
        )
        await trx
          .from('faq_entries')
          .whereIn('id', entryIds)
          .update({
            published_version_id: trx.knexRawQuery(
              '(SELECT v.id FROM faq_versions v WHERE v.faq_entry_id = faq_entries.id AND v.version = 1)'
            ),
          })
      }
      ids.push(...chunk.map(({ entry }) => idOf.get(entry.legacy_id as string)!))
    }
    return ids
  }

  reindex(ids: number[], trx: TransactionClientContract) {
    return FaqSearch.reindexMany(ids, trx)
  }
}
