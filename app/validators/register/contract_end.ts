import vine from '@vinejs/vine'
import { CONTRACT_END_REASONS } from '#enums/clause_rules'
import { choice, labelled } from '#validators/form_messages'

/** The end of a contract's work: a period not renewed, or a termination, and its last day. */
export const contractEndValidator = vine.compile(
  vine.object({
    endReason: vine.enum(CONTRACT_END_REASONS),
    endedOn: vine.date({ formats: ['YYYY-MM-DD'] }),
  })
)

/* The form's labels (#validators/form_messages). */
labelled(contractEndValidator, {
  endReason: choice('register.contracts.end.reason'),
  endedOn: 'register.contracts.end.ended_on',
})
