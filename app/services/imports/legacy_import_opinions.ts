import { DateTime } from 'luxon'
import logger from '@adonisjs/core/services/logger'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Opinion from '#models/opinion'
import OpinionDepartment from '#models/opinion_department'
import OpinionReply from '#models/opinion_reply'
import OpinionEvent from '#models/opinion_event'
import type User from '#models/user'
import OpinionSchedule from '#services/opinions/opinion_schedule'
import CallCenterRetention from '#services/opinions/call_center_retention'
import OpinionSearch from '#services/opinions/opinion_search'
import { WARD_ZONE } from '#services/ward_calendar'
import {
  LegacyImport,
  LegacyRow,
  departmentIdOf,
  problemText,
  topicIdOf,
  type ApplyOutcome,
  type CodeLookups,
  type ImportProgress,
  type ImportReport,
  type LegacyColumn,
} from '#services/imports/legacy_import'
import { autoTimestamps, preparedRow, type PreparedRow } from '#services/imports/prepared_row'
import {
  OPINION_CHANNELS,
  OPINION_KINDS,
  OPINION_STATUSES,
  REPLY_METHODS,
  type OpinionChannel,
  type OpinionKind,
  type OpinionEventKind,
  type OpinionStatus,
  type ReplyMethod,
} from '#enums/opinion'

type OpinionColumn =
  | 'legacyId'
  | 'receivedAt'
  | 'channel'
  | 'kind'
  | 'topic'
  | 'subject'
  | 'body'
  | 'submitterName'
  | 'submitterPhone'
  | 'submitterEmail'
  | 'submitterPostalCode'
  | 'submitterAddress'
  | 'leadDepartment'
  | 'status'
  | 'replyBody'
  | 'replyDate'
  | 'replyMethod'

interface CheckedOpinion {
  legacyId: string
  receivedAt: DateTime
  channel: OpinionChannel
  kind: OpinionKind
  topicId: number | null
  subject: string
  body: string
  submitterName: string | null
  submitterPhone: string | null
  submitterEmail: string | null
  submitterPostalCode: string | null
  submitterAddress: string | null
  leadDepartmentId: number
  status: OpinionStatus
  reply: { body: string; sentAt: DateTime; method: ReplyMethod } | null
}

/** The rows of a checked opinion: the opinion, its lead department, the reply sent (if any). */
interface StagedOpinion {
  opinion: PreparedRow
  /** opinion_departments row without its opinion_id. */
  assignment: PreparedRow
  /** opinion_replies row without its opinion_id. */
  reply: PreparedRow | null
  /** opinion_events rows (受付, and 回答送付 / 完了 when finished) without their opinion_id. */
  events: PreparedRow[]
}

/**
 * Opinions inserted per statement (about 35 columns each: well under the parameter limits).
 * SQLite's driver is synchronous: 500 at once held the event loop ~70 ms, 200 about 30 ms.
 */
const INSERT_CHUNK = 200

/** The old system's words (and our codes) for channels, kinds and statuses. */
const CHANNEL_WORDS: Record<string, OpinionChannel> = {
  ...Object.fromEntries(OPINION_CHANNELS.map((code) => [code, code])),
  ホームページ: 'web',
  ウェブ: 'web',
  webフォーム: 'web',
  意見入力欄: 'web',
  一般投書: 'letter',
  投書: 'letter',
  手紙: 'letter',
  区長へのはがき: 'postcard',
  はがき: 'postcard',
  メール: 'email',
  電子メール: 'email',
  ファクス: 'fax',
  ファックス: 'fax',
  窓口: 'counter',
  来庁: 'counter',
  コールセンター: 'call_center',
}
const KIND_WORDS: Record<string, OpinionKind> = {
  ...Object.fromEntries(OPINION_KINDS.map((code) => [code, code])),
  意見: 'opinion',
  要望: 'request',
  問合せ: 'inquiry',
  問い合わせ: 'inquiry',
  問合わせ: 'inquiry',
  苦情: 'complaint',
  提案: 'proposal',
}
const STATUS_WORDS: Record<string, OpinionStatus> = {
  ...Object.fromEntries(OPINION_STATUSES.map((code) => [code, code])),
  受付: 'received',
  転送済: 'forwarded',
  対応中: 'forwarded',
  回答承認待ち: 'awaiting_approval',
  回答済: 'replied',
  回答済み: 'replied',
  完了: 'closed',
}
const REPLY_METHOD_WORDS: Record<string, ReplyMethod> = {
  ...Object.fromEntries(REPLY_METHODS.map((code) => [code, code])),
  文書: 'letter',
  郵送: 'letter',
  手紙: 'letter',
  メール: 'email',
  電話: 'phone',
  ファクス: 'fax',
  ポータル: 'portal',
}

const DATE_FORMATS = [
  'yyyy-MM-dd',
  'yyyy/M/d',
  'yyyy-MM-dd HH:mm',
  'yyyy/M/d H:mm',
  'yyyy-MM-dd HH:mm:ss',
  'yyyy/M/d H:mm:ss',
  "yyyy-MM-dd'T'HH:mm",
  "yyyy-MM-dd'T'HH:mm:ss",
]
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const PHONE = /^[0-9０-９()（）+\-－‐ー ]{6,20}$/

export const OPINION_IMPORT_COLUMNS: LegacyColumn<OpinionColumn>[] = [
  { key: 'legacyId', headers: ['旧ID', 'legacy_id', '受付番号'], required: true },
  { key: 'receivedAt', headers: ['受付日', '受付日時', 'received_at'], required: true },
  { key: 'channel', headers: ['受付方法', '媒体', 'channel'], required: true },
  { key: 'kind', headers: ['種別', 'kind'], required: true },
  { key: 'topic', headers: ['分野コード', '分野', 'topic'], required: false },
  { key: 'subject', headers: ['件名', 'subject'], required: true },
  { key: 'body', headers: ['内容', '本文', 'body'], required: true },
  { key: 'submitterName', headers: ['氏名', 'name'], required: false },
  { key: 'submitterPhone', headers: ['電話番号', 'phone'], required: false },
  { key: 'submitterEmail', headers: ['メールアドレス', 'email'], required: false },
  { key: 'submitterPostalCode', headers: ['郵便番号', 'postal_code'], required: false },
  { key: 'submitterAddress', headers: ['住所', 'address'], required: false },
  {
    key: 'leadDepartment',
    headers: ['主管課コード', '担当課コード', '所属コード', 'lead_department_code'],
    required: true,
  },
  { key: 'status', headers: ['状態', 'status'], required: true },
  { key: 'replyBody', headers: ['回答内容', '回答', 'reply'], required: false },
  { key: 'replyDate', headers: ['回答日', 'replied_on'], required: false },
  { key: 'replyMethod', headers: ['回答方法', 'reply_method'], required: false },
]

/**
 * The old opinion database. Each record becomes the Opinion row the model
 * would insert (prepared through it while checking: submitter data encrypted
 * by its column types, blind indexes by its hook), bulk-inserted at the
 * import with the schedule a new receipt would get, its lead
 * department, and the reply that was sent, if any. Dates without a time
 * are taken as 9:00 in the ward (within opening hours, so no hand-over).
 * Personal data the old call center collected gets the call center's
 * one-year retention from its own receipt date, like a new call; what is
 * already past it is deleted right after the import.
 */
export default class LegacyOpinionImport extends LegacyImport<
  OpinionColumn,
  CheckedOpinion,
  StagedOpinion
> {
  readonly kind = 'opinions' as const
  readonly table = 'opinions'
  readonly columns = OPINION_IMPORT_COLUMNS

  /** `today` decides which imported call-center data is already past its retention. */
  constructor(private today: () => DateTime = () => DateTime.now()) {
    super()
  }

  /**
   * The import; then the call-center personal data whose retention has
   * already ended is deleted at once (as the nightly run would), instead of
   * staying until 2:30. A failure there does not undo the import: the
   * nightly run deletes it.
   */
  async apply(
    task: { id: number },
    report: ImportReport,
    user: User,
    progress: ImportProgress
  ): Promise<ApplyOutcome> {
    const outcome = await super.apply(task, report, user, progress)
    if (outcome.created > 0) {
      try {
        await CallCenterRetention.purge(this.today())
      } catch (error) {
        logger.error(
          { err: error },
          'call-center retention after the legacy import failed; the nightly run deletes the data'
        )
      }
    }
    return outcome
  }

  protected checkRow(row: LegacyRow<OpinionColumn>, context: CodeLookups): CheckedOpinion | null {
    const legacyId = row.required('legacyId', '旧ID')
    row.maxLength('legacyId', legacyId, 60, '旧ID')
    const receivedAt = this.#date(row, 'receivedAt', '受付日', true)
    if (receivedAt && receivedAt > DateTime.now())
      row.problem('receivedAt', problemText('future_receipt'))
    const channel = this.#word(row, 'channel', '受付方法', CHANNEL_WORDS, true)
    const kind = this.#word(row, 'kind', '種別', KIND_WORDS, true)
    const topicText = row.get('topic')
    const topicId = topicIdOf(row, 'topic', topicText, context) ?? null
    const subject = row.required('subject', '件名')
    row.maxLength('subject', subject, 200, '件名')
    const body = row.required('body', '内容')
    row.maxLength('body', body, 20000, '内容')
    const submitterName = row.get('submitterName') || null
    row.maxLength('submitterName', submitterName ?? '', 100, '氏名')
    const submitterPhone = row.get('submitterPhone') || null
    if (submitterPhone && !PHONE.test(submitterPhone))
      row.problem('submitterPhone', problemText('phone'))
    const submitterEmail = row.get('submitterEmail') || null
    if (submitterEmail && !EMAIL.test(submitterEmail))
      row.problem('submitterEmail', problemText('email'))
    const submitterAddress = row.text('submitterAddress') || null
    row.maxLength('submitterAddress', submitterAddress ?? '', 300, '住所')
    const submitterPostalCode = row.get('submitterPostalCode') || null
    if (submitterPostalCode && !/^\d{3}-?\d{4}$/.test(submitterPostalCode.normalize('NFKC')))
      row.problem('submitterPostalCode', problemText('postal_code'))
    const leadDepartmentId = departmentIdOf(
      row,
      'leadDepartment',
      row.required('leadDepartment', '主管課コード'),
      context
    )
    const status = this.#word(row, 'status', '状態', STATUS_WORDS, true)

    const replyBody = row.text('replyBody')
    const repliedAt = this.#date(row, 'replyDate', '回答日', false)
    const replyMethod = this.#word(row, 'replyMethod', '回答方法', REPLY_METHOD_WORDS, false)
    if (replyBody && !row.get('replyDate'))
      row.problem('replyDate', problemText('reply_date_required'))
    if (!replyBody && row.get('replyDate'))
      row.problem('replyBody', problemText('reply_body_required'))
    if (receivedAt && repliedAt && repliedAt.startOf('day') < receivedAt.startOf('day'))
      row.problem('replyDate', problemText('reply_before_receipt'))
    if (replyBody && status && !['replied', 'closed'].includes(status))
      row.problem('status', problemText('reply_status'))

    if (!row.ok) return null
    return {
      legacyId,
      receivedAt: receivedAt!,
      channel: channel!,
      kind: kind!,
      topicId,
      subject,
      body,
      submitterName,
      submitterPhone,
      submitterEmail,
      submitterPostalCode,
      submitterAddress,
      leadDepartmentId: leadDepartmentId!,
      status: status!,
      reply: replyBody
        ? {
            body: replyBody,
            sentAt: repliedAt!,
            method:
              replyMethod ?? (submitterAddress ? 'letter' : submitterEmail ? 'email' : 'letter'),
          }
        : null,
    }
  }

  /**
   * The rows Opinion.create and friends would insert, as the import did record by record:
   * submitter data encrypted (with the retention key of its month for call-center data) and
   * blind-indexed by the model, the schedule a new receipt gets, the lead department, the
   * reply that was sent.
   */
  protected async stage(record: CheckedOpinion, userId: number): Promise<StagedOpinion> {
    // SQLite keeps timestamps without an offset, as the process's wall clock: store local times.
    const local = (moment: DateTime) => moment.toLocal()
    const anonymous = record.submitterName === null
    // A reply was owed when one was sent, or when a named submitter left a way to reach them.
    const replyWanted =
      record.reply !== null ||
      (!anonymous &&
        Boolean(record.submitterEmail || record.submitterAddress || record.submitterPhone))
    // As at intake: personal data taken by the call center is kept one year from its own receipt date.
    const collectedByCallCenter =
      record.channel === 'call_center' &&
      Boolean(
        record.submitterName ||
        record.submitterPhone ||
        record.submitterEmail ||
        record.submitterPostalCode ||
        record.submitterAddress
      )
    const schedule = OpinionSchedule.forReceipt(record.receivedAt, {
      channel: record.channel,
      replyOwed: replyWanted,
      collectedByCallCenter,
    })
    const receivedAt = local(record.receivedAt)
    const repliedAt = record.reply ? local(record.reply.sentAt) : null
    const finished = record.status === 'replied' || record.status === 'closed'
    const opinion = await preparedRow(Opinion, {
      legacyId: record.legacyId,
      channel: record.channel,
      kind: record.kind,
      topicId: record.topicId,
      subject: record.subject,
      body: record.body,
      receivedAt,
      ...schedule,
      handoverAt: schedule.handoverAt ? local(schedule.handoverAt) : null,
      status: record.status,
      anonymous,
      replyWanted,
      replyMethod: replyWanted ? (record.reply?.method ?? null) : null,
      leadDepartmentId: record.leadDepartmentId,
      submitterName: record.submitterName,
      submitterPhone: record.submitterPhone,
      submitterEmail: record.submitterEmail,
      submitterPostalCode: record.submitterPostalCode,
      submitterAddress: record.submitterAddress,
      collectedByCallCenter,
      repliedAt,
      replyOpenDays: record.reply
        ? OpinionSchedule.replyOpenDays(record.receivedAt, record.reply.sentAt)
        : null,
      closedAt: record.status === 'closed' ? (repliedAt ?? receivedAt) : null,
      createdByUserId: userId,
    })
    const finishedAt = finished ? (repliedAt ?? receivedAt) : null
    // The department knew of the record in the old system: no 新着 alert now, and none at
    // all for a finished record (OpinionAlerts claims these columns before mailing).
    const assignment = await preparedRow(OpinionDepartment, {
      departmentId: record.leadDepartmentId,
      fiscalYear: schedule.fiscalYear,
      isLead: true,
      handlingStatus: finished ? 'handled' : 'pending',
      forwardedAt: receivedAt,
      handledAt: finishedAt,
      notifiedAt: receivedAt,
      remindedDueAt: finishedAt,
      remindedOverdueAt: finishedAt,
    })
    const events = [
      await this.#event(
        'received',
        receivedAt,
        userId,
        `旧受付番号 ${record.legacyId}（データ移行）`
      ),
    ]
    if (repliedAt) events.push(await this.#event('reply_sent', repliedAt, userId, null))
    if (record.status === 'closed')
      events.push(await this.#event('closed', repliedAt ?? receivedAt, userId, null))
    const reply = record.reply
      ? await preparedRow(OpinionReply, {
          departmentId: record.leadDepartmentId,
          body: record.reply.body,
          method: record.reply.method,
          status: 'sent',
          sentAt: repliedAt,
        })
      : null
    return { opinion, assignment, reply, events }
  }

  /** A history entry of an imported record, as the workflow would have written it. */
  #event(kind: OpinionEventKind, occurredAt: DateTime, userId: number, body: string | null) {
    return preparedRow(OpinionEvent, { kind, occurredAt, userId, body })
  }

  /** Opinions, then their lead departments and replies: three bulk statements per chunk. */
  protected async insert(records: StagedOpinion[], trx: TransactionClientContract) {
    const format = trx.dialect.dateTimeFormat
    const now = DateTime.local().toFormat(format)
    const opinionStamps = autoTimestamps(Opinion, now)
    const assignmentStamps = autoTimestamps(OpinionDepartment, now)
    const replyStamps = autoTimestamps(OpinionReply, now)
    const eventStamps = autoTimestamps(OpinionEvent, now)
    const ids: number[] = []
    for (let start = 0; start < records.length; start += INSERT_CHUNK) {
      const chunk = records.slice(start, start + INSERT_CHUNK)
      await trx
        .table('opinions')
        .multiInsert(chunk.map(({ opinion }) => ({ ...opinion, ...opinionStamps })))
      const idOf = new Map<string, number>()
      const inserted = await trx
        .from('opinions')
        .whereIn(
          'legacy_id',
          chunk.map(({ opinion }) => opinion.legacy_id as string)
        )
        .select('id', 'legacy_id')
      for (const row of inserted) idOf.set(row.legacy_id, Number(row.id))
      const opinionIds = chunk.map(({ opinion }) => idOf.get(opinion.legacy_id as string)!)
      await trx.table('opinion_departments').multiInsert(
        chunk.map(({ assignment }, index) => ({
          ...assignment,
          ...assignmentStamps,
          opinion_id: opinionIds[index],
        }))
      )
      const replies = chunk.flatMap(({ reply }, index) =>
        reply ? [{ ...reply, ...replyStamps, opinion_id: opinionIds[index] }] : []
      )
      if (replies.length > 0) await trx.table('opinion_replies').multiInsert(replies)
      await trx
        .table('opinion_events')
        .multiInsert(
          chunk.flatMap(({ events }, index) =>
            events.map((event) => ({ ...event, ...eventStamps, opinion_id: opinionIds[index] }))
          )
        )
      ids.push(...opinionIds)
    }
    return ids
  }

  reindex(ids: number[], trx: TransactionClientContract) {
    return OpinionSearch.reindexMany(ids, trx)
  }

  /** A date (with or without time) in the ward zone; a date alone is 9:00. */
  #date(
    row: LegacyRow<OpinionColumn>,
    key: OpinionColumn,
    label: string,
    required: boolean
  ): DateTime | null {
    const text = row.get(key).normalize('NFKC')
    if (!text) {
      if (required) row.problem(key, problemText('required', { label }))
      return null
    }
    for (const format of DATE_FORMATS) {
      const parsed = DateTime.fromFormat(text, format, { zone: WARD_ZONE })
      if (parsed.isValid) return format.includes('H') ? parsed : parsed.set({ hour: 9 })
    }
    row.problem(key, problemText('bad_date', { label, text }))
    return null
  }

  /** A code or one of the old system's words for it. */
  #word<T extends string>(
    row: LegacyRow<OpinionColumn>,
    key: OpinionColumn,
    label: string,
    words: Record<string, T>,
    required: boolean
  ): T | null {
    const text = row.get(key)
    if (!text) {
      if (required) row.problem(key, problemText('required', { label }))
      return null
    }
    const value = words[text] ?? words[text.normalize('NFKC').toLowerCase()]
    if (!value) row.problem(key, problemText('unknown_word', { label, text }))
    return value ?? null
  }
}
