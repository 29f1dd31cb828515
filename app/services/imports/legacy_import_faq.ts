import { DateTime } from 'luxon'
import i18nManager from '@adonisjs/i18n/services/main'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import FaqEntry, { type FaqLink, type FaqStatus } from '#models/faq_entry'
import FaqVersion from '#models/faq_version'
import type User from '#models/user'
import FaqLinks from '#services/faq/faq_links'
import FaqSearch from '#services/faq/faq_search'
import {
  LegacyImport,
  LegacyRow,
  departmentIdOf,
  loadCodeLookups,
  parseFlag,
  problemText,
  topicIdOf,
  type CodeLookups,
  type LegacyColumn,
} from '#services/imports/legacy_import'

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
export default class LegacyFaqImport extends LegacyImport<FaqColumn, CheckedFaq, CodeLookups> {
  readonly kind = 'faq' as const
  readonly table = 'faq_entries'
  readonly columns = FAQ_IMPORT_COLUMNS

  /** `now` stamps the approval of the entries that come across published. */
  constructor(private now: () => DateTime = () => DateTime.now()) {
    super()
  }

  protected context(client: TransactionClientContract): Promise<CodeLookups> {
    return loadCodeLookups(client)
  }

  protected check(row: LegacyRow<FaqColumn>, context: CodeLookups): CheckedFaq | null {
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

  protected async save(
    records: CheckedFaq[],
    _context: CodeLookups,
    user: User,
    trx: TransactionClientContract
  ) {
    const now = this.now()
    const ids: number[] = []
    for (const record of records) {
      const { status, ...content } = record
      const entry = await FaqEntry.create(
        { ...content, status, createdByUserId: user.id, updatedByUserId: user.id },
        { client: trx }
      )
      if (status === 'published') {
        const version = await FaqVersion.create(
          {
            ...entry.content(),
            faqEntryId: entry.id,
            version: 1,
            state: 'approved',
            decidedAt: now,
            decisionComment: i18nManager.locale('ja').t('faq.import.decision_comment'),
          },
          { client: trx }
        )
        entry.merge({ publishedVersionId: version.id, publishedAt: now })
        await entry.save()
      }
      ids.push(entry.id)
    }
    await FaqSearch.reindexMany(ids, trx)
    return ids.length
  }
}
