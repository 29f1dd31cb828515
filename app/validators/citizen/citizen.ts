import vine from '@vinejs/vine'
import { newPassword } from '#validators/password'

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
