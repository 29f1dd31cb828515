import { DateTime } from 'luxon'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import OpinionEvent, { type DetailChange, type FieldChange } from '#models/opinion_event'
import type Opinion from '#models/opinion'
import type { HandlingKind, OpinionEventKind, OpinionPersonalField } from '#enums/opinion'

export interface HistoryEntry {
  kind: OpinionEventKind
  userId?: number | null
  departmentId?: number | null
  body?: string | null
  handlingKind?: HandlingKind | null
  occurredAt?: DateTime
  correctsEventId?: number | null
  changes?: DetailChange[] | null
  /** Contact before and after: encrypted with the opinion's key (see OpinionEvent). */
  personalChanges?: FieldChange<OpinionPersonalField>[] | null
}

/**
 * Appends to an opinion's processing history (処理履歴). Every step of the
 * workflow goes through here, inside the step's transaction.
 */
export default class OpinionHistory {
  static async record(
    trx: TransactionClientContract,
    opinion: Opinion,
    entry: HistoryEntry
  ): Promise<OpinionEvent> {
    return OpinionEvent.create(
      {
        opinionId: opinion.id,
        kind: entry.kind,
        userId: entry.userId ?? null,
        departmentId: entry.departmentId ?? null,
        body: entry.body ?? null,
        handlingKind: entry.handlingKind ?? null,
        occurredAt: entry.occurredAt ?? DateTime.now(),
        correctsEventId: entry.correctsEventId ?? null,
        changes: entry.changes?.length ? entry.changes : null,
        personalChanges: entry.personalChanges?.length ? entry.personalChanges : null,
        retentionMonth: opinion.retentionMonth,
      },
      { client: trx }
    )
  }
}
