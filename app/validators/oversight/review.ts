import vine from '@vinejs/vine'
import { labelled } from '#validators/form_messages'

/** The ward sends a submission (消去証明書, 定期報告) back with a reason (差戻し). */
export const submissionRejectionValidator = vine.compile(
  vine.object({
    rejectionReason: vine.string().trim().minLength(1).maxLength(2000),
  })
)

/* The form's labels (#validators/form_messages). */
labelled(submissionRejectionValidator, {
  rejectionReason: 'portal.certificates.rejection_reason',
})
