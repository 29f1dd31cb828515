import { DateTime } from 'luxon'
import type Opinion from '#models/opinion'
import Topic from '#models/topic'
import { OpinionFactory } from '#database/factories/opinion_factory'
import { OpinionDepartmentFactory } from '#database/factories/opinion_department_factory'
import { departmentTree } from '#tests/helpers'
import type { OpinionChannel, OpinionStatus } from '#enums/opinion'

const ZONE = 'Asia/Tokyo'
const at = (iso: string) => DateTime.fromISO(iso, { zone: ZONE })

interface OpinionSpec {
  channel: OpinionChannel
  receivedAt: string
  status: OpinionStatus
  dueOn?: string | null
  repliedAt?: string | null
  replyOpenDays?: number | null
  leadDepartmentId?: number | null
  forwardedTo?: number[]
  topicId?: number | null
  subject?: string
  body?: string
}

/** An opinion inserted directly (no workflow: OpinionFactory), with its forwarding rows. */
export async function makeOpinion(spec: OpinionSpec): Promise<Opinion> {
  const received = at(spec.receivedAt)
  const opinion = await OpinionFactory.apply(spec.dueOn ? 'withoutSubmitter' : 'anonymous')
    .merge({
      channel: spec.channel,
      topicId: spec.topicId ?? null,
      subject: spec.subject ?? '公園の清掃について',
      body: spec.body ?? '公園のごみが気になります。',
      receivedAt: received,
      fiscalYear: received.month >= 4 ? received.year : received.year - 1,
      receivedMonth: received.toFormat('yyyy-MM'),
      dueOn: spec.dueOn ? DateTime.fromISO(spec.dueOn, { zone: ZONE }) : null,
      status: spec.status,
      leadDepartmentId: spec.leadDepartmentId ?? null,
      repliedAt: spec.repliedAt ? at(spec.repliedAt) : null,
      replyOpenDays: spec.replyOpenDays ?? null,
    })
    .create()
  const forwardedTo = spec.forwardedTo ?? (spec.leadDepartmentId ? [spec.leadDepartmentId] : [])
  for (const departmentId of forwardedTo) {
    await OpinionDepartmentFactory.merge({
      opinionId: opinion.id,
      departmentId,
      fiscalYear: opinion.fiscalYear,
      isLead: departmentId === spec.leadDepartmentId,
      forwardedAt: received,
      createdAt: received,
      updatedAt: received,
    }).create()
  }
  return opinion
}

/** "Today" for the overdue figures of the known data set. */
export const TODAY = at('2026-06-15T12:00:00')

/**
 * A known data set (14 opinions):
 * - FY2025, June: 11 replied with reply_open_days 1…10 and 15, all due
 *   2025-06-20. r10 replied on the due day at 23:30 (not late), r11 on
 *   6/23 (late). Channels: 6 email, 3 web, 2 postcard. r1–r8 led by
 *   広聴担当課, r9–r11 by 危機管理課; r1 was also forwarded to 危機管理課.
 *   Topics: r1–r5 防災, r6–r11 ごみ.
 * - FY2026: o1 (call center, open, due 6/1 → overdue on 6/15, led by
 *   広聴係 under 広聴担当課), o2 (letter, open, due 6/20 → not yet),
 *   o3 (FAX, anonymous, closed, nothing owed).
 *
 * Expected (operator): total 14; p90 = 10 days (nearest rank 10 of 11);
 * average 70/11 = 6.4; owed 13, overdue 2 (r11 and o1).
 */
export async function knownOpinions() {
  const tree = await departmentTree()
  const safety = await Topic.findByOrFail('code', 'safety')
  const waste = await Topic.findByOrFail('code', 'waste')
  const replied: OpinionChannel[] = [
    'email',
    'email',
    'email',
    'email',
    'email',
    'email',
    'web',
    'web',
    'web',
    'postcard',
    'postcard',
  ]
  const days = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 15]
  const opinions: Opinion[] = []
  for (let index = 0; index < 11; index++) {
    const n = index + 1
    const repliedAt =
      n <= 9
        ? `2025-06-${10 + n}T10:00:00`
        : n === 10
          ? '2025-06-20T23:30:00'
          : '2025-06-23T10:00:00'
    const lead = n <= 8 ? tree.kocho.id : tree.kikikanri.id
    opinions.push(
      await makeOpinion({
        channel: replied[index],
        receivedAt: `2025-06-0${Math.min(n, 9)}T09:00:00`,
        status: n % 2 ? 'closed' : 'replied',
        dueOn: '2025-06-20',
        repliedAt,
        replyOpenDays: days[index],
        leadDepartmentId: lead,
        forwardedTo: n === 1 ? [tree.kocho.id, tree.kikikanri.id] : [lead],
        topicId: n <= 5 ? safety.id : waste.id,
      })
    )
  }
  opinions.push(
    await makeOpinion({
      channel: 'call_center',
      receivedAt: '2026-05-10T20:00:00',
      status: 'forwarded',
      dueOn: '2026-06-01',
      leadDepartmentId: tree.kochoKakari.id,
    }),
    await makeOpinion({
      channel: 'letter',
      receivedAt: '2026-06-05T10:00:00',
      status: 'forwarded',
      dueOn: '2026-06-20',
      leadDepartmentId: tree.kikikanri.id,
    }),
    await makeOpinion({ channel: 'fax', receivedAt: '2026-04-02T10:00:00', status: 'closed' })
  )
  return { tree, opinions, safety, waste }
}
