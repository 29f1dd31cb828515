import vine from '@vinejs/vine'
import { ERASURE_METHODS } from '#models/deletion_certificate'
import { choice, labelled } from '#validators/form_messages'

/** 消去証明書: the facts beside the uploaded PDF (checked by UploadChecker). */
export const certificateValidator = vine.compile(
  vine.object({
    method: vine.enum(ERASURE_METHODS),
    media: vine
      .string()
      .trim()
      .minLength(1)
      .maxLength(5000)
      .transform((value) =>
        value
          .split(/\r?\n/)
          .map((line) => line.trim())
          .filter(Boolean)
      ),
    erasedOn: vine.date({ formats: ['YYYY-MM-DD'] }),
    notes: vine.string().trim().maxLength(2000).optional(),
  })
)

/* The form's labels (#validators/form_messages). */
labelled(certificateValidator, {
  method: choice('portal.certificates.method'),
  media: 'portal.certificates.media',
  erasedOn: 'portal.certificates.erased_on',
  notes: 'portal.notes',
})
