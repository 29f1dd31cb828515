import vine from '@vinejs/vine'
import { COUNCIL_OUTCOMES } from '#enums/council'

const articleLines = () =>
  vine
    .string()
    .trim()
    .maxLength(5000)
    .optional()
    .transform((value) =>
      value
        .split(/\r?\n/)
        .map((line) => line.trim().replace(/^◇\s*/, ''))
        .filter(Boolean)
    )

/** A meeting of the council. */
export const councilMeetingValidator = vine.compile(
  vine.object({
    fiscalYear: vine.number().withoutDecimals().min(1989).max(2100),
    number: vine.number().withoutDecimals().min(1).max(99),
    heldOn: vine.date({ formats: ['YYYY-MM-DD'] }).optional(),
    notes: vine.string().trim().maxLength(2000).optional(),
  })
)

/** An item (諮問・報告事項) and its annexes. */
export const councilItemValidator = vine.compile(
  vine.object({
    systemId: vine.number(),
    subject: vine.string().trim().minLength(1).maxLength(300),
    consultationArticles: articleLines(),
    reportArticles: articleLines(),
    priorReportArticles: articleLines(),
    contactSection: vine.string().trim().maxLength(100).optional(),
    contactPerson: vine.string().trim().maxLength(100).optional(),
    contactExtension: vine.string().trim().maxLength(30).optional(),
    includeSystem: vine.boolean().optional(),
    contractIds: vine.array(vine.number()).distinct().optional(),
  })
)

/** Putting a submitted item on a meeting's agenda. */
export const councilScheduleValidator = vine.compile(
  vine.object({
    meetingId: vine.number().exists({ table: 'council_meetings', column: 'id' }),
    documentNumber: vine.string().trim().minLength(1).maxLength(30),
  })
)

/** The council's decision. */
export const councilDecisionValidator = vine.compile(
  vine.object({
    outcome: vine.enum(COUNCIL_OUTCOMES),
    decidedOn: vine.date({ formats: ['YYYY-MM-DD'] }),
    conditions: vine.string().trim().maxLength(5000).optional(),
  })
)
