import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import User from '#models/user'
import fieldEncryption from '#services/field_encryption'

export const BACKGROUND_TASK_KINDS = ['legacy_import', 'opinion_export'] as const
export type BackgroundTaskKind = (typeof BACKGROUND_TASK_KINDS)[number]

export const BACKGROUND_TASK_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const
export type BackgroundTaskStatus = (typeof BACKGROUND_TASK_STATUSES)[number]

/** How long a task, its result and its file are kept for the user who started it. */
export const TASK_RETENTION_DAYS = 7

/** JSON parameters in a text column (filters, encoding, mode: never personal data). */
const paramsColumn = {
  prepare: (value: unknown) => JSON.stringify(value ?? {}),
  consume: (value: string | null) => (value ? JSON.parse(value) : {}),
}

/** The result as encrypted JSON (an import report may quote the file's cells); null = none yet. */
const encryptedResultColumn = {
  prepare: (value: unknown) =>
    value === null || value === undefined ? null : fieldEncryption.encrypt(JSON.stringify(value)),
  consume: (value: string | null) => {
    if (value === null) return null
    const plain = fieldEncryption.decryptOrNull(value)
    return plain === null ? null : JSON.parse(plain)
  },
}

/**
 * An import or export a user started (取込み・書出し): a queued job reports its phase and rows
 * done of total here, the task page shows them live, and the result (report or file) stays
 * for the user who started it for TASK_RETENTION_DAYS.
 */
export default class BackgroundTask extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare userId: number

  @column()
  declare kind: BackgroundTaskKind

  @column()
  declare status: BackgroundTaskStatus

  /** What the job is doing now (tasks.phases.<phase>): reading, checking, applying, writing. */
  @column()
  declare phase: string | null

  /** Rows of the current phase; null while not known yet. */
  @column()
  declare total: number | null

  @column()
  declare done: number

  @column(paramsColumn)
  declare params: Record<string, any>

  @column({ columnName: 'result_encrypted', serializeAs: null, ...encryptedResultColumn })
  declare result: Record<string, any> | null

  /** The produced file on the drive disk (exports); deleted with the task. */
  @column({ serializeAs: null })
  declare filePath: string | null

  @column()
  declare fileName: string | null

  @column({ consume: (value) => (value === null ? null : Number(value)) })
  declare fileSize: number | null

  /** What went wrong: the key of the message the user reads (tasks.errors.*). */
  @column()
  declare error: string | null

  @column.dateTime()
  declare startedAt: DateTime | null

  @column.dateTime()
  declare phaseStartedAt: DateTime | null

  @column.dateTime()
  declare finishedAt: DateTime | null

  @column.dateTime()
  declare expiresAt: DateTime

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @belongsTo(() => User)
  declare user: BelongsTo<typeof User>

  get finished(): boolean {
    return this.status === 'succeeded' || this.status === 'failed'
  }

  /** Whole percent of the current phase, null while the total is unknown. */
  get percent(): number | null {
    if (!this.total) return null
    return Math.min(100, Math.floor((this.done / this.total) * 100))
  }

  /**
   * Seconds left in the current phase at its pace so far; null until there is a pace
   * (a few rows done) or when finished.
   */
  secondsLeft(now: DateTime = DateTime.now()): number | null {
    if (this.finished || !this.total || !this.phaseStartedAt || this.done < 1) return null
    const elapsed = now.diff(this.phaseStartedAt, 'seconds').seconds
    if (elapsed < 1) return null
    const left = ((this.total - this.done) * elapsed) / this.done
    return Math.max(0, Math.ceil(left))
  }
}
