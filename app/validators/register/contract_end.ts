import vine from '@vinejs/vine'
import { CONTRACT_END_REASONS } from '#enums/clause_rules'

/** The end of a contract's work: a period not renewed, or a termination, and its last day. */
export const contractEndValidator = vine.compile(
  vine.object({
    endReason: vine.enum(CONTRACT_END_REASONS),
    endedOn: vine.date({ formats: ['YYYY-MM-DD'] }),
  })
)
