import vine from '@vinejs/vine'
import { labelled } from '#validators/form_messages'

/** Staff, contractor and citizen login form. */
export const loginValidator = vine.compile(
  vine.object({
    email: vine.string().trim().email().maxLength(254),
    password: vine.string().maxLength(200),
  })
)

/* The form's labels (#validators/form_messages): staff and citizen login name them alike. */
labelled(loginValidator, { email: 'messages.auth.email', password: 'messages.auth.password' })
