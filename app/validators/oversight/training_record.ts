import vine from '@vinejs/vine'
import { labelled } from '#validators/form_messages'

/** A contractor's record of staff training. */
export const trainingRecordValidator = vine.compile(
  vine.object({
    trainedOn: vine.date({ formats: ['YYYY-MM-DD'] }).beforeOrEqual('today'),
    content: vine.string().trim().minLength(1).maxLength(2000),
    attendees: vine.number().withoutDecimals().min(1).max(100000),
  })
)

/* The form's labels (#validators/form_messages). */
labelled(trainingRecordValidator, {
  trainedOn: 'portal.training.trained_on',
  content: 'portal.training.content',
  attendees: 'portal.training.attendees',
})
