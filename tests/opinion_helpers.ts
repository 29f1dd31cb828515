import { DateTime } from 'luxon'
import Opinion from '#models/opinion'
import OpinionDepartment from '#models/opinion_department'
import type Department from '#models/department'
import { UserFactory } from '#database/factories/user_factory'
import { CitizenFactory } from '#database/factories/citizen_factory'
import { departmentTree } from '#tests/helpers'
import OpinionSchedule from '#services/opinions/opinion_schedule'
import OpinionSearch from '#services/opinions/opinion_search'
import type { OpinionChannel } from '#enums/opinion'

/**
 * The opinion office (an operator), 広聴担当課 with staff and supervisor,
 * 危機管理課 with staff and supervisor, a contractor user and a verified citizen.
 */
export async function opinionScene() {
  const tree = await departmentTree()
  const operator = await UserFactory.apply('operator').merge({ departmentId: tree.kocho.id }).create()
  const kochoStaff = await UserFactory.merge({ departmentId: tree.kocho.id }).create()
  const kochoSupervisor = await UserFactory.apply('supervisor').merge({ departmentId: tree.kocho.id }).create()
  const kikiStaff = await UserFactory.merge({ departmentId: tree.kikikanri.id }).create()
  const kikiSupervisor = await UserFactory.apply('supervisor').merge({ departmentId: tree.kikikanri.id }).create()
  const contractor = await UserFactory.apply('contractor').create()
  const citizen = await CitizenFactory.merge({ emailVerifiedAt: DateTime.now(), fullName: '区民 花子', phone: '03-5555-0001' }).create()
  const otherCitizen = await CitizenFactory.merge({ emailVerifiedAt: DateTime.now() }).create()
  return { tree, operator, kochoStaff, kochoSupervisor, kikiStaff, kikiSupervisor, contractor, citizen, otherCitizen }
}

/** An opinion inserted directly (not through intake), optionally forwarded with a lead department. */
export async function makeOpinion(
  attributes: Partial<Opinion> & { receivedAt?: DateTime; channel?: OpinionChannel } = {},
  departments: Department[] = []
) {
  const receivedAt = attributes.receivedAt ?? DateTime.now()
  const replyWanted = attributes.replyWanted ?? true
  const schedule = OpinionSchedule.forReceipt(receivedAt, {
    channel: attributes.channel ?? 'letter',
    replyOwed: replyWanted,
    collectedByCallCenter: attributes.collectedByCallCenter ?? false,
  })
  const opinion = await Opinion.create({
    channel: 'letter',
    kind: 'opinion',
    subject: '区政への意見',
    body: '公園の清掃をお願いします。',
    status: departments.length ? 'forwarded' : 'received',
    anonymous: false,
    replyMethod: replyWanted ? 'letter' : null,
    submitterName: '申出 太郎',
    submitterAddress: '東京都新宿区1-1-1',
    fiscalYear: schedule.fiscalYear,
    receivedMonth: schedule.receivedMonth,
    dueOn: schedule.dueOn,
    personalDataExpiresOn: schedule.personalDataExpiresOn,
    collectedByCallCenter: false,
    ...attributes,
    replyWanted,
    receivedAt,
    leadDepartmentId: departments[0]?.id ?? null,
  })
  for (const [index, department] of departments.entries()) {
    await OpinionDepartment.create({
      opinionId: opinion.id,
      departmentId: department.id,
      fiscalYear: opinion.fiscalYear,
      isLead: index === 0,
      handlingStatus: 'pending',
      forwardedAt: receivedAt,
      notifiedAt: DateTime.now(),
    })
  }
  await OpinionSearch.reindex(opinion.id)
  return opinion
}
