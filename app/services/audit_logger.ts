import { createHash } from 'node:crypto'
import { DateTime } from 'luxon'
import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { LucidRow } from '@adonisjs/lucid/types/model'
import { AuditKey } from '#services/audit_key'

export const GENESIS_HASH = '0'.repeat(64)

/** Arbitrary constant for PostgreSQL's advisory lock on the chain head. */
const CHAIN_LOCK_KEY = 4_242_001

export interface AuditActor {
  type: 'user' | 'citizen' | 'system' | 'anonymous'
  id: number | null
  label: string | null
}

export interface AuditEntry {
  action: string
  /** The record concerned: a Lucid model, or its type and id. */
  subject?: LucidRow | { type: string; id: string | number } | null
  /** Names of the fields that changed, never their values. */
  changedFields?: string[]
  /** Non-personal context (counts, statuses, ids). */
  details?: Record<string, string | number | boolean | null | Array<string | number>>
  /** Overrides the logger's actor (a failed login: the account that was tried). */
  actor?: AuditActor
}

const SYSTEM_ACTOR: AuditActor = { type: 'system', id: null, label: 'system' }

export type ChainFields = {
  occurredAt: string
  actorType: string
  actorId: number | null
  actorLabel: string | null
  action: string
  subjectType: string | null
  subjectId: string | null
  changedFields: string | null
  details: string | null
  requestId: string | null
  ip: string | null
}

/**
 * The append-only audit log: who did what to which record, when, from where.
 * Each entry carries the hash of the previous one, so a changed or removed
 * entry breaks the chain (`node ace audit:verify`). The hash is an HMAC keyed
 * with AUDIT_LOG_KEY, which is not in the database: whoever edits a row cannot
 * recompute the chain to hide it.
 */
export default class AuditLogger {
  /** Changes made by the ward's own processes: jobs, commands, the scheduler. */
  static readonly system = new AuditLogger()

  /**
   * The request's logger (`ctx.auditLog`, set by container_bindings_middleware): whoever is logged
   * in when an entry is recorded (a login changes it during the request), the request's id and
   * address. Passed explicitly rather than read from AsyncLocalStorage, whose promise hooks cost
   * every request 7–10 % of its CPU on Node 20 (issue 19).
   */
  static forRequest(ctx: HttpContext): AuditLogger {
    return new AuditLogger(ctx)
  }

  readonly #ctx: HttpContext | null

  /** Without a request: the system's (as the container makes it for a job's action). */
  constructor(ctx: HttpContext | null = null) {
    this.#ctx = ctx
  }

  /** Who the entries recorded now are attributed to, unless an entry names its own actor. */
  get actor(): AuditActor {
    return this.#ctx ? AuditLogger.#actorOf(this.#ctx) : SYSTEM_ACTOR
  }

  /** Appends an entry (inside `trx` when given, so it commits with the change). */
  async record(entry: AuditEntry, trx?: TransactionClientContract): Promise<void> {
    const key = AuditKey.fromEnvironment()
    const actor = entry.actor ?? this.actor
    const fields: ChainFields = {
      occurredAt: DateTime.utc().toISO()!,
      actorType: actor.type,
      actorId: actor.id,
      actorLabel: actor.label,
      action: entry.action,
      subjectType: AuditLogger.#subjectType(entry.subject),
      subjectId: AuditLogger.#subjectId(entry.subject),
      changedFields: entry.changedFields?.length ? [...entry.changedFields].sort().join(',') : null,
      details: entry.details ? JSON.stringify(entry.details) : null,
      requestId: this.#ctx?.request.id() ?? null,
      ip: this.#ctx?.request.ip() ?? null,
    }

    const append = async (client: TransactionClientContract) => {
      if (client.dialect.name === 'postgres') {
        await client.rawQuery('SELECT pg_advisory_xact_lock(?)', [CHAIN_LOCK_KEY])
      }
      const head = await client.from('audit_logs').select('hash').orderBy('id', 'desc').first()
      const prevHash: string = head?.hash ?? GENESIS_HASH
      await client.table('audit_logs').insert({
        ...AuditLogger.#toColumns(fields),
        prev_hash: prevHash,
        hash: AuditLogger.hashOf(prevHash, fields, key),
      })
    }

    if (trx) return append(trx)
    await db.transaction(append)
  }

  /** Field names whose value differs between a model's original and dirty state. */
  static changedFieldsOf(model: LucidRow): string[] {
    return Object.keys(model.$dirty)
  }

  /** The keyed hash (HMAC-SHA-256 with AUDIT_LOG_KEY) that chains an entry to its predecessor. */
  static hashOf(
    prevHash: string,
    fields: ChainFields,
    key: AuditKey = AuditKey.fromEnvironment()
  ): string {
    return key.chainMac(`${prevHash}\n${AuditLogger.#canonical(fields)}`)
  }

  /**
   * The unkeyed SHA-256 of entries written before the chain was keyed
   * (keyExistingChain records where they end in a signed boundary checkpoint).
   */
  static legacyHashOf(prevHash: string, fields: ChainFields): string {
    return createHash('sha256')
      .update(prevHash)
      .update('\n')
      .update(AuditLogger.#canonical(fields))
      .digest('hex')
  }

  static #canonical(fields: ChainFields): string {
    return JSON.stringify([
      fields.occurredAt,
      fields.actorType,
      fields.actorId,
      fields.actorLabel,
      fields.action,
      fields.subjectType,
      fields.subjectId,
      fields.changedFields,
      fields.details,
      fields.requestId,
      fields.ip,
    ])
  }

  /** Re-reads a stored row into the hashed fields. */
  static fieldsOfRow(row: Record<string, any>): ChainFields {
    return {
      occurredAt: row.occurred_at,
      actorType: row.actor_type,
      actorId: row.actor_id === null ? null : Number(row.actor_id),
      actorLabel: row.actor_label,
      action: row.action,
      subjectType: row.subject_type,
      subjectId: row.subject_id,
      changedFields: row.changed_fields,
      details: row.details,
      requestId: row.request_id,
      ip: row.ip,
    }
  }

  static #toColumns(fields: ChainFields) {
    return {
      occurred_at: fields.occurredAt,
      actor_type: fields.actorType,
      actor_id: fields.actorId,
      actor_label: fields.actorLabel,
      action: fields.action,
      subject_type: fields.subjectType,
      subject_id: fields.subjectId,
      changed_fields: fields.changedFields,
      details: fields.details,
      request_id: fields.requestId,
      ip: fields.ip,
    }
  }

  static #actorOf(ctx: HttpContext): AuditActor {
    const user = ctx.auth?.use('web').user
    if (user) return { type: 'user', id: user.id, label: user.email }
    const citizen = ctx.auth?.use('citizen').user
    // A citizen's label is never their name or email: those are personal data.
    if (citizen) return { type: 'citizen', id: citizen.id, label: `citizen#${citizen.id}` }
    return { type: 'anonymous', id: null, label: null }
  }

  static #subjectType(subject: AuditEntry['subject']): string | null {
    if (!subject) return null
    if ('type' in subject && 'id' in subject && !('$attributes' in subject)) return subject.type
    return (subject as LucidRow).constructor.name
  }

  static #subjectId(subject: AuditEntry['subject']): string | null {
    if (!subject) return null
    if ('type' in subject && 'id' in subject && !('$attributes' in subject))
      return String(subject.id)
    return String((subject as LucidRow).$primaryKeyValue)
  }
}
