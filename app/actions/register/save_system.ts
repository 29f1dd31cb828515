import { inject } from '@adonisjs/core'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { Infer } from '@vinejs/vine/types'
import PersonalDataSystem from '#models/personal_data_system'
import SubjectGroup from '#models/subject_group'
import SystemSnapshots from '#services/register/system_snapshot'
import AuditLogger from '#services/audit_logger'
import type User from '#models/user'
import type { systemValidator } from '#validators/register/register'
import { jaText } from '#services/ja_text'
import RowBatch from '#services/row_batch'

export type SystemInput = Infer<typeof systemValidator>

const toDate = (value: Date | undefined) => (value ? DateTime.fromJSDate(value) : null)

/**
 * Creates or updates a registered system with its numbered subject groups,
 * and records the result as a new version.
 */
@inject()
export default class SaveSystem {
  constructor(private auditLog: AuditLogger) {}

  async handle(
    system: PersonalDataSystem,
    input: SystemInput,
    user: User
  ): Promise<PersonalDataSystem> {
    const isNew = !system.$isPersisted
    return db.transaction(async (trx) => {
      system.useTransaction(trx)
      system.merge({
        departmentId: input.departmentId,
        name: input.name,
        businessName: input.businessName ?? null,
        purpose: input.purpose,
        subjectsSummary: input.subjectsSummary ?? null,
        description: input.description ?? null,
        recordingComputer: input.recordingComputer ?? null,
        media: input.media ?? [],
        lifecycle: input.lifecycle,
        startedOn: toDate(input.startedOn),
        retiredOn: toDate(input.retiredOn),
        changeReason: input.changeReason ?? null,
        changeContent: input.changeContent ?? null,
        developmentMeasures: input.developmentMeasures ?? null,
        changeSchedule: input.changeSchedule ?? null,
        collectionMethod: input.collectionMethod ?? null,
        regularRecipients: input.regularRecipients ?? null,
        fileType: input.fileType,
        publishedInFileRegister: input.publishedInFileRegister ?? false,
        otherLawProcedures: input.otherLawProcedures ?? null,
      })
      const changedFields = Object.keys(system.$dirty)
      await system.save()

      const groupsChanged = await this.#syncSubjectGroups(system.id, input.subjectGroups ?? [], trx)
      if (groupsChanged) changedFields.push('subjectGroups')

      if (isNew || changedFields.length > 0) {
        await SystemSnapshots.record(
          system.id,
          isNew
            ? jaText('register.changes.system_created')
            : jaText('register.changes.system_changed', { fields: changedFields.join(', ') }),
          user.id,
          trx
        )
      }
      await this.auditLog.record(
        { action: isNew ? 'system.create' : 'system.update', subject: system, changedFields },
        trx
      )
      return system
    })
  }

  /** Numbered groups ①②③ from one line each; returns true when anything changed. */
  async #syncSubjectGroups(systemId: number, descriptions: string[], trx: any): Promise<boolean> {
    const existing = await SubjectGroup.query({ client: trx })
      .where('systemId', systemId)
      .orderBy('number')
    const added: Array<Partial<SubjectGroup>> = []
    for (const [index, description] of descriptions.entries()) {
      const number = index + 1
      const group = existing.find((candidate) => candidate.number === number)
      if (group) group.description = description
      else added.push({ systemId, number, description })
    }
    const updated = await RowBatch.update(SubjectGroup, existing, trx)
    await RowBatch.insert(SubjectGroup, added, trx)
    const changed = existing.length !== descriptions.length || updated > 0 || added.length > 0
    await SubjectGroup.query({ client: trx })
      .where('systemId', systemId)
      .where('number', '>', descriptions.length)
      .delete()
    return changed
  }
}
