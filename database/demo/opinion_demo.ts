import { DateTime } from 'luxon'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Opinion from '#models/opinion'
import OpinionDepartment from '#models/opinion_department'
import OpinionReply from '#models/opinion_reply'
import Topic from '#models/topic'
import User from '#models/user'
import OpinionHistory from '#services/opinions/opinion_history'
import OpinionSchedule from '#services/opinions/opinion_schedule'
import OpinionSearch from '#services/opinions/opinion_search'
import WardCalendar, { WARD_ZONE } from '#services/ward_calendar'
import type {
  OpinionChannel,
  OpinionKind,
  OpinionStatus,
  ReplyMethod,
  ReplyStatus,
} from '#enums/opinion'

interface DemoOpinion {
  channel: OpinionChannel
  kind: OpinionKind
  topic: string
  subject: string
  body: string
  /** Open days before today that it was received (0 = today 9:30). */
  openDaysAgo: number
  /** Received at this hour instead of 9:30 (after-hours calls). */
  hour?: number
  citizen?: boolean
  anonymous?: boolean
  replyMethod?: ReplyMethod | null
  submitter?: Partial<
    Pick<Opinion, 'submitterName' | 'submitterPhone' | 'submitterAddress' | 'submitterPostalCode'>
  >
  departments?: string[]
  status: OpinionStatus
  handling?: { department: string; kind: 'reply' | 'explanation' | 'action'; note: string }
  reply?: { body: string; status: ReplyStatus }
}

/** Fictitious submissions in every state, dated relative to today so that due states vary. */
const OPINIONS: DemoOpinion[] = [
  {
    channel: 'web',
    kind: 'inquiry',
    topic: 'safety',
    citizen: true,
    replyMethod: 'portal',
    openDaysAgo: 9,
    subject: '地域の防災訓練の日程について',
    body: '今年度の地域防災訓練はいつ、どこで行われますか。子ども連れでも参加できますか。',
    departments: ['kikikanri'],
    status: 'replied',
    handling: {
      department: 'kikikanri',
      kind: 'reply',
      note: '訓練日程を確認し回答案を作成した。',
    },
    reply: {
      body: '今年度の総合防災訓練は3月第1日曜日に区立第一小学校で行います。お子様連れでもご参加いただけます。',
      status: 'sent',
    },
  },
  {
    channel: 'web',
    kind: 'request',
    topic: 'traffic',
    citizen: true,
    replyMethod: 'portal',
    openDaysAgo: 6,
    subject: '駅前の駐輪場の増設を',
    body: '朝は駐輪場がすぐに満車になり、歩道に自転車があふれています。駐輪場の増設をお願いします。',
    departments: ['kocho', 'kotsu'],
    status: 'awaiting_approval',
    reply: {
      body: 'ご要望ありがとうございます。駅前駐輪場の利用状況を調査し、増設を検討します。',
      status: 'awaiting_approval',
    },
  },
  {
    channel: 'letter',
    kind: 'opinion',
    topic: 'waste',
    openDaysAgo: 17,
    replyMethod: 'letter',
    submitter: {
      submitterName: '投書 太郎',
      submitterPostalCode: '160-0000',
      submitterAddress: '東京都新宿区（デモ）1-1-1',
    },
    subject: 'ごみ収集の時間について',
    body: '可燃ごみの収集が遅く、カラスに荒らされます。収集時間を早めてください。',
    departments: ['kocho'],
    status: 'forwarded',
  },
  {
    channel: 'postcard',
    kind: 'proposal',
    topic: 'culture',
    openDaysAgo: 0,
    replyMethod: 'letter',
    submitter: { submitterName: 'はがき 花子', submitterAddress: '東京都新宿区（デモ）2-2-2' },
    subject: '区民ホールの夜間開放',
    body: '区民ホールを夜間も練習に使えるようにしてほしい。',
    status: 'received',
  },
  {
    channel: 'call_center',
    kind: 'inquiry',
    topic: 'safety',
    openDaysAgo: 1,
    hour: 20,
    replyMethod: 'phone',
    submitter: { submitterName: '電話 次郎', submitterPhone: '090-0000-0000' },
    subject: '避難所の場所（時間外受付）',
    body: '自宅から一番近い避難所を知りたい。担当課から日中に電話がほしい。',
    departments: ['kikikanri'],
    status: 'forwarded',
  },
  {
    channel: 'web',
    kind: 'opinion',
    topic: 'environment',
    anonymous: true,
    openDaysAgo: 3,
    subject: '公園のベンチ',
    body: '中央公園のベンチが古くなっています。',
    status: 'received',
  },
  {
    channel: 'email',
    kind: 'inquiry',
    topic: 'family_register',
    openDaysAgo: 12,
    replyMethod: null,
    subject: '住民票の写しの請求方法',
    body: '郵送で住民票の写しを請求する方法を教えてください。',
    departments: ['kusei-joho'],
    status: 'closed',
    handling: {
      department: 'kusei-joho',
      kind: 'explanation',
      note: 'FAQ（郵送請求）の案内で解決した。',
    },
  },
  {
    channel: 'fax',
    kind: 'complaint',
    topic: 'administration',
    openDaysAgo: 4,
    replyMethod: 'fax',
    submitter: { submitterName: 'FAX 三郎', submitterPhone: '03-0000-1111' },
    subject: '窓口の待ち時間',
    body: '区役所の窓口で1時間以上待たされた。改善を求めます。',
    departments: ['kocho'],
    status: 'forwarded',
    handling: {
      department: 'kocho',
      kind: 'action',
      note: '窓口の混雑状況を確認し、番号案内表示を増やした。',
    },
  },
]

/** The open day `count` open days before today, at the given hour. */
function openDaysBefore(count: number, hour: number): DateTime {
  let day = DateTime.now().setZone(WARD_ZONE).startOf('day')
  for (let index = 0; index < count;) {
    day = day.minus({ days: 1 })
    if (WardCalendar.isOpenDay(day)) index++
  }
  return day.set({ hour, minute: hour === 20 ? 0 : 30 })
}

/**
 * Demo 区民の声: eight fictitious submissions across channels and states
 * (replied in the portal, a reply awaiting 課長 approval, overdue, after-hours
 * call, anonymous, closed), two of them by the demo citizen.
 */
export async function loadOpinionDemo(
  trx: TransactionClientContract,
  departmentIds: Map<string, number>,
  citizenId: number
) {
  const rows = await Topic.query({ client: trx })
  const topics = new Map(rows.map((topic) => [topic.code, topic.id]))
  const staff = await User.query({ client: trx })
    .where('email', 'staff@demo.daicho.jp')
    .firstOrFail()
  const supervisor = await User.query({ client: trx })
    .where('email', 'supervisor@demo.daicho.jp')
    .firstOrFail()
  const operator = await User.query({ client: trx })
    .where('email', 'operator@demo.daicho.jp')
    .firstOrFail()
  const ids: number[] = []
  for (const demo of OPINIONS) {
    const receivedAt = openDaysBefore(demo.openDaysAgo, demo.hour ?? 9)
    const replyWanted = !demo.anonymous && Boolean(demo.replyMethod)
    const collectedByCallCenter = demo.channel === 'call_center'
    const schedule = OpinionSchedule.forReceipt(receivedAt, {
      channel: demo.channel,
      replyOwed: replyWanted,
      collectedByCallCenter,
    })
    const departments = (demo.departments ?? []).map((code) => departmentIds.get(code)!)
    const opinion = await Opinion.create(
      {
        channel: demo.channel,
        kind: demo.kind,
        topicId: topics.get(demo.topic) ?? null,
        subject: demo.subject,
        body: demo.body,
        receivedAt,
        ...schedule,
        collectedByCallCenter,
        // The call center records the caller's consent and the uses it explained.
        personalDataConsent: collectedByCallCenter ? true : null,
        consentPurposes: collectedByCallCenter ? ['reply', 'handover'] : [],
        status: demo.status,
        anonymous: demo.anonymous === true,
        replyWanted,
        replyMethod: replyWanted ? demo.replyMethod! : null,
        citizenId: demo.citizen ? citizenId : null,
        submitterName: demo.citizen ? '新宿 区民' : (demo.submitter?.submitterName ?? null),
        submitterPhone: demo.citizen ? '03-0000-0000' : (demo.submitter?.submitterPhone ?? null),
        submitterEmail: demo.citizen ? 'citizen@demo.daicho.jp' : null,
        submitterAddress: demo.submitter?.submitterAddress ?? null,
        submitterPostalCode: demo.submitter?.submitterPostalCode ?? null,
        leadDepartmentId: departments[0] ?? null,
        createdByUserId: demo.channel === 'web' ? null : operator.id,
        closedAt: demo.status === 'closed' ? receivedAt.plus({ days: 2 }) : null,
      },
      { client: trx }
    )
    ids.push(opinion.id)
    await OpinionHistory.record(trx, opinion, {
      kind: 'received',
      occurredAt: receivedAt,
      userId: opinion.createdByUserId,
    })
    if (schedule.handoverAt)
      await OpinionHistory.record(trx, opinion, {
        kind: 'handed_over',
        occurredAt: schedule.handoverAt,
        body: WardCalendar.formatEraDateTime(schedule.handoverAt),
      })
    for (const [index, departmentId] of departments.entries()) {
      await OpinionDepartment.create(
        {
          opinionId: opinion.id,
          departmentId,
          fiscalYear: opinion.fiscalYear,
          isLead: index === 0,
          handlingStatus:
            demo.handling && departmentIds.get(demo.handling.department) === departmentId
              ? 'handled'
              : 'pending',
          forwardedAt: receivedAt.plus({ minutes: 30 }),
          forwardedByUserId: operator.id,
          notifiedAt: receivedAt.plus({ minutes: 30 }),
        },
        { client: trx }
      )
      await OpinionHistory.record(trx, opinion, {
        kind: 'forwarded',
        departmentId,
        userId: operator.id,
        occurredAt: receivedAt.plus({ minutes: 30 }),
      })
    }
    if (demo.handling) {
      await OpinionHistory.record(trx, opinion, {
        kind: 'handled',
        handlingKind: demo.handling.kind,
        departmentId: departmentIds.get(demo.handling.department),
        userId: staff.id,
        body: demo.handling.note,
        occurredAt: receivedAt.plus({ days: 1 }),
      })
    }
    if (demo.reply) {
      const sent = demo.reply.status === 'sent'
      const sentAt = receivedAt.plus({ days: 5 })
      await OpinionReply.create(
        {
          opinionId: opinion.id,
          departmentId: departments[0],
          body: demo.reply.body,
          method: demo.replyMethod!,
          status: demo.reply.status,
          draftedByUserId: staff.id,
          requestedAt: receivedAt.plus({ days: 3 }),
          approvedByUserId: sent ? supervisor.id : null,
          approvedAt: sent ? receivedAt.plus({ days: 4 }) : null,
          sentAt: sent ? sentAt : null,
          sentByUserId: sent ? staff.id : null,
        },
        { client: trx }
      )
      await OpinionHistory.record(trx, opinion, {
        kind: 'reply_drafted',
        departmentId: departments[0],
        userId: staff.id,
        occurredAt: receivedAt.plus({ days: 2 }),
      })
      await OpinionHistory.record(trx, opinion, {
        kind: 'reply_requested',
        departmentId: departments[0],
        userId: staff.id,
        occurredAt: receivedAt.plus({ days: 3 }),
      })
      if (sent) {
        await OpinionHistory.record(trx, opinion, {
          kind: 'reply_approved',
          departmentId: departments[0],
          userId: supervisor.id,
          occurredAt: receivedAt.plus({ days: 4 }),
        })
        await OpinionHistory.record(trx, opinion, {
          kind: 'reply_sent',
          departmentId: departments[0],
          userId: staff.id,
          body: demo.replyMethod!,
          occurredAt: sentAt,
        })
        opinion.useTransaction(trx)
        opinion.merge({
          repliedAt: sentAt,
          replyOpenDays: OpinionSchedule.replyOpenDays(receivedAt, sentAt),
        })
        await opinion.save()
      }
    }
    if (demo.status === 'closed')
      await OpinionHistory.record(trx, opinion, {
        kind: 'closed',
        userId: operator.id,
        occurredAt: receivedAt.plus({ days: 2 }),
      })
  }
  await OpinionSearch.reindexMany(ids, trx)
}
