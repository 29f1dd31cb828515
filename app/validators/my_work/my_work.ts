import vine from '@vinejs/vine'
import { labelled } from '#validators/form_messages'

/** A section's page (query string). */
export const myWorkPageValidator = vine.compile(
  vine.object({
    page: vine.number().withoutDecimals().min(1).max(10_000).optional(),
  })
)

/* The page number of the section's pager (#validators/form_messages). */
labelled(myWorkPageValidator, { page: 'messages.common.pagination' })
