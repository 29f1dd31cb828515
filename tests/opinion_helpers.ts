import { DateTime } from 'luxon'
import type Opinion from '#models/opinion'
import type Department from '#models/department'
import { UserFactory } from '#database/factories/user_factory'
import { CitizenFactory } from '#database/factories/citizen_factory'
import { OpinionFactory } from '#database/factories/opinion_factory'
import { OpinionDepartmentFactory } from '#database/factories/opinion_department_factory'
import { departmentTree } from '#tests/helpers'
import OpinionSearch from '#services/opinions/opinion_search'
import type { OpinionChannel } from '#enums/opinion'

/**
 * The opinion office (an operator), 広聴担当課 with staff and supervisor,
 * 危機管理課 with staff and supervisor, a contractor user and a verified citizen.
 */
export async function opinionScene() {
  const tree = await departmentTree()
  const operator = await UserFactory.apply('operator')
    .merge({ departmentId: tree.kocho.id })
    .create()
  const kochoStaff = await UserFactory.merge({ departmentId: tree.kocho.id }).create()
  const kochoSupervisor = await UserFactory.apply('supervisor')
    .merge({ departmentId: tree.kocho.id })
    .create()
  const kikiStaff = await UserFactory.merge({ departmentId: tree.kikikanri.id }).create()
  const kikiSupervisor = await UserFactory.apply('supervisor')
    .merge({ departmentId: tree.kikikanri.id })
    .create()
  const contractor = await UserFactory.apply('contractor').create()
  const citizen = await CitizenFactory.merge({
    emailVerifiedAt: DateTime.now(),
    fullName: '区民 花子',
    phone: '03-5555-0001',
  }).create()
  const otherCitizen = await CitizenFactory.merge({ emailVerifiedAt: DateTime.now() }).create()
  return {
    tree,
    operator,
    kochoStaff,
    kochoSupervisor,
    kikiStaff,
    kikiSupervisor,
    contractor,
    citizen,
    otherCitizen,
  }
}

/**
 * An opinion inserted directly (not through intake: OpinionFactory), optionally
 * forwarded with a lead department (the first one); the department alerts
 * count as sent. Indexed for the full-text search.
 */
export async function makeOpinion(
  attributes: Partial<Opinion> & { receivedAt?: DateTime; channel?: OpinionChannel } = {},
  departments: Department[] = []
) {
  const noReply = attributes.replyWanted === false && !('replyMethod' in attributes)
  const opinion = await OpinionFactory.apply(...(noReply ? (['noReply'] as const) : []))
    .merge({
      status: departments.length ? 'forwarded' : 'received',
      ...attributes,
      leadDepartmentId: departments[0]?.id ?? null,
    })
    .create()
  for (const [index, department] of departments.entries()) {
    await OpinionDepartmentFactory.apply('notified')
      .merge({
        opinionId: opinion.id,
        departmentId: department.id,
        isLead: index === 0,
        forwardedAt: opinion.receivedAt,
      })
      .create()
  }
  await OpinionSearch.reindex(opinion.id)
  return opinion
}
