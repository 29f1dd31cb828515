import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type { Infer } from '@vinejs/vine/types'
import type CannedText from '#models/canned_text'
import type User from '#models/user'
import AuditLogger from '#services/audit_logger'
import type { cannedTextValidator } from '#validators/opinions/canned_text'

export type CannedTextInput = Infer<typeof cannedTextValidator>

/** Creates or changes a 定型文 (the caller has checked the department). */
@inject()
export default class SaveCannedText {
  constructor(private auditLog: AuditLogger) {}

  async handle(text: CannedText, input: CannedTextInput, user: User): Promise<CannedText> {
    const isNew = !text.$isPersisted
    text.merge({
      departmentId: input.departmentId,
      title: input.title,
      body: input.body.replace(/\r\n?/g, '\n'),
    })
    const changedFields = Object.keys(text.$dirty)
    if (!isNew && changedFields.length === 0) return text
    text.updatedByUserId = user.id
    await db.transaction(async (trx) => {
      text.useTransaction(trx)
      await text.save()
      await this.auditLog.record(
        {
          action: isNew ? 'canned_text.create' : 'canned_text.update',
          subject: text,
          changedFields,
        },
        trx
      )
    })
    return text
  }

  /** Deletes a 定型文; replies it was inserted into keep their text. */
  async remove(text: CannedText): Promise<void> {
    await db.transaction(async (trx) => {
      text.useTransaction(trx)
      await text.delete()
      await this.auditLog.record(
        {
          action: 'canned_text.delete',
          subject: { type: 'CannedText', id: text.id },
          details: { departmentId: text.departmentId },
        },
        trx
      )
    })
  }
}
