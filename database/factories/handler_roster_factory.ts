import { DateTime } from 'luxon'
import factory from '@adonisjs/lucid/factories'
import HandlerRoster from '#models/handler_roster'
import RosterMember from '#models/roster_member'

export const RosterMemberFactory = factory
  .define(RosterMember, ({ faker }) => ({
    kind: 'handler' as const,
    name: `担当 ${faker.person.firstName()}`,
    role: null,
    trainedOn: null,
    sortOrder: 0,
  }))
  .state('responsible', (member) => {
    member.kind = 'responsible'
  })
  .build()

/** Version 1 of a contract's roster, not yet acknowledged; merge `contractId`. `.with('members', …)` adds members. */
export const HandlerRosterFactory = factory
  .define(HandlerRoster, () => ({
    version: 1,
    submittedOn: DateTime.now().startOf('day'),
    notes: null,
    acknowledgedOn: null,
  }))
  .state('acknowledged', (roster) => {
    roster.acknowledgedOn = DateTime.now().startOf('day')
  })
  .relation('members', () => RosterMemberFactory)
  .build()
