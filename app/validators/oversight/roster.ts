import vine from '@vinejs/vine'
import { ROSTER_MEMBER_KINDS } from '#models/roster_member'
import { rowsOf } from '#validators/list_input'
import { choice, labelled } from '#validators/form_messages'

/**
 * 取扱責任者及び取扱者名簿: a new version, as many members as the contractor
 * has. Blank rows are dropped by the action, which also asks for at least
 * one 取扱責任者 and one 取扱者.
 */
export const rosterValidator = vine.compile(
  vine.object({
    members: rowsOf(
      vine.object({
        memberKind: vine.enum(ROSTER_MEMBER_KINDS),
        fullName: vine.string().trim().maxLength(100).optional(),
        role: vine.string().trim().maxLength(100).optional(),
        trainedOn: vine.date({ formats: ['YYYY-MM-DD'] }).optional(),
      })
    ),
    notes: vine.string().trim().maxLength(2000).optional(),
  })
)

/* The form's labels (#validators/form_messages): the table's columns. */
labelled(rosterValidator, {
  'members': 'portal.rosters.title',
  'members.*.memberKind': choice('portal.rosters.kind'),
  'members.*.fullName': 'portal.rosters.full_name',
  'members.*.role': 'portal.rosters.role',
  'members.*.trainedOn': 'portal.rosters.trained_on',
  'notes': 'portal.notes',
})
