import vine from '@vinejs/vine'
import { newPassword } from '#validators/password'
import { labelled } from '#validators/form_messages'

/** Citizen self-registration (ID = email address). */
export const citizenRegistrationValidator = vine.compile(
  vine.object({
    fullName: vine.string().trim().minLength(1).maxLength(100),
    email: vine.string().trim().email().maxLength(254),
    phone: vine
      .string()
      .trim()
      .regex(/^[0-9０-９\-－ー()（） +]{10,20}$/)
      .optional(),
    password: newPassword().confirmed(),
  })
)

/** Asking for a new verification mail. */
export const citizenResendValidator = vine.compile(
  vine.object({
    email: vine.string().trim().email().maxLength(254),
  })
)

/** 「パスワードを忘れた方」: the address to send the reset link to. */
export const citizenPasswordForgotValidator = vine.compile(
  vine.object({
    email: vine.string().trim().email().maxLength(254),
  })
)

/** The new password set from a reset link (same policy as registration). */
export const citizenPasswordResetValidator = vine.compile(
  vine.object({
    password: newPassword().confirmed(),
  })
)

/* The forms' labels (#validators/form_messages). */
labelled(citizenRegistrationValidator, {
  fullName: 'messages.citizen.full_name',
  email: 'messages.auth.email',
  phone: 'messages.citizen.phone',
  password: 'messages.auth.password',
})
labelled(citizenResendValidator, { email: 'messages.auth.email' })
labelled(citizenPasswordForgotValidator, { email: 'messages.auth.email' })
labelled(citizenPasswordResetValidator, { password: 'citizen.password_reset.new_password' })
