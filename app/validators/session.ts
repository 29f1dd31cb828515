import vine from '@vinejs/vine'

/** Staff, contractor and citizen login form. */
export const loginValidator = vine.compile(
  vine.object({
    email: vine.string().trim().email().maxLength(254),
    password: vine.string().maxLength(200),
  })
)
