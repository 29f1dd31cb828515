import { readFile, rename, writeFile } from 'node:fs/promises'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import AuditLogger, { GENESIS_HASH } from '#services/audit_logger'
import { AuditKey } from '#services/audit_key'
import Clock from '#services/clock'
import { sqlNow } from '#services/column_types'

export interface AuditProblem {
  entryId: number | null
  problem: 'changed' | 'broken_link' | 'truncated' | 'bad_checkpoint'
  message: string
}

export interface AuditVerification {
  ok: boolean
  checked: number
  headId: number | null
  problems: AuditProblem[]
  /** The checkpoint recorded by this run (with `checkpoint: true` and an intact chain). */
  recorded: SignedCheckpoint | null
}

/**
 * A signed statement "the chain was intact up to entry `lastEntryId`, whose
 * hash was `lastHash`". `legacy` marks where entries hashed with plain SHA-256
 * (written before the chain was keyed) end.
 */
export interface SignedCheckpoint {
  kind: 'verified' | 'legacy'
  lastEntryId: number
  lastHash: string
  entryCount: number
  createdAt: string
  signature: string
}

/** The file written by `node ace audit:verify --export FILE`. */
export interface CheckpointFile extends SignedCheckpoint {
  format: typeof CHECKPOINT_FORMAT
}

export const CHECKPOINT_FORMAT = 'daicho-audit-checkpoint/1'

const BATCH = 2000

/**
 * Walks the whole audit chain: recomputes every keyed hash, checks that each
 * entry links to the one before it, that the signed checkpoints are genuine
 * and that the entries they name still exist (in the database and, given an
 * exported checkpoint file, outside it: so entries cut off the end after
 * that checkpoint are noticed even if the checkpoints table was cut too).
 */
export default class AuditVerifier {
  /** The text a checkpoint's signature covers. */
  static checkpointMessage(
    point: Pick<SignedCheckpoint, 'kind' | 'lastEntryId' | 'lastHash' | 'entryCount'>
  ): string {
    return JSON.stringify([
      CHECKPOINT_FORMAT,
      point.kind,
      point.lastEntryId,
      point.lastHash,
      point.entryCount,
    ])
  }

  static sign(
    point: Pick<SignedCheckpoint, 'kind' | 'lastEntryId' | 'lastHash' | 'entryCount'>,
    key: AuditKey = AuditKey.fromEnvironment()
  ): string {
    return key.sign(AuditVerifier.checkpointMessage(point))
  }

  /** Writes a signed checkpoint row; returns it. */
  static async recordCheckpoint(
    point: Pick<SignedCheckpoint, 'kind' | 'lastEntryId' | 'lastHash' | 'entryCount'>,
    key: AuditKey = AuditKey.fromEnvironment(),
    client: QueryClientContract = db.connection()
  ): Promise<SignedCheckpoint> {
    // The checkpoint's time comes from the container's Clock (a test swaps in a fixed one).
    const clock = await app.container.make(Clock)
    const signed: SignedCheckpoint = {
      ...point,
      createdAt: clock.now().toJSDate().toISOString(),
      signature: AuditVerifier.sign(point, key),
    }
    await client.table('audit_checkpoints').insert({
      kind: signed.kind,
      last_entry_id: signed.lastEntryId,
      last_hash: signed.lastHash,
      entry_count: signed.entryCount,
      signature: signed.signature,
      created_at: sqlNow(),
    })
    return signed
  }

  /**
   * The upgrade to a keyed chain (a register that ran before AUDIT_LOG_KEY was set): signs the checkpoints
   * written before checkpoints were signed, and records a signed `legacy`
   * checkpoint at the current head so the entries up to it are checked with
   * their plain SHA-256 hashes. Entries are not rehashed: that would launder
   * any tampering done before the upgrade.
   */
  static async keyExistingChain(
    client: QueryClientContract,
    key: AuditKey = AuditKey.fromEnvironment()
  ) {
    for (const row of await client.from('audit_checkpoints').whereNull('signature').orderBy('id')) {
      const signature = AuditVerifier.sign(
        {
          kind: 'verified',
          lastEntryId: Number(row.last_entry_id),
          lastHash: row.last_hash,
          entryCount: Number(row.entry_count),
        },
        key
      )
      await client
        .from('audit_checkpoints')
        .where('id', row.id)
        .update({ kind: 'verified', signature })
    }
    const head = await client.from('audit_logs').select('id', 'hash').orderBy('id', 'desc').first()
    if (!head) return null
    const [{ total }] = await client.from('audit_logs').count('* as total')
    return AuditVerifier.recordCheckpoint(
      {
        kind: 'legacy',
        lastEntryId: Number(head.id),
        lastHash: head.hash,
        entryCount: Number(total),
      },
      key,
      client
    )
  }

  /** Reads an exported checkpoint file's text; throws a readable Error if it is not one. */
  static parseCheckpointFile(text: string): CheckpointFile {
    let data: any
    try {
      data = JSON.parse(text)
    } catch {
      throw new Error('the checkpoint file is not JSON')
    }
    const valid =
      data &&
      data.format === CHECKPOINT_FORMAT &&
      (data.kind === 'verified' || data.kind === 'legacy') &&
      Number.isSafeInteger(data.lastEntryId) &&
      typeof data.lastHash === 'string' &&
      Number.isSafeInteger(data.entryCount) &&
      typeof data.signature === 'string'
    if (!valid) throw new Error(`the checkpoint file is not a ${CHECKPOINT_FORMAT} file`)
    return data as CheckpointFile
  }

  static toCheckpointFile(point: SignedCheckpoint): CheckpointFile {
    return { format: CHECKPOINT_FORMAT, ...point }
  }

  /** Reads an exported checkpoint file (Error with a readable message if it cannot be used). */
  static async readCheckpointFile(path: string): Promise<CheckpointFile> {
    let text: string
    try {
      text = await readFile(path, 'utf8')
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      throw new Error(
        `cannot use checkpoint file ${path}: ${code === 'ENOENT' ? 'file not found' : code}`
      )
    }
    try {
      return AuditVerifier.parseCheckpointFile(text)
    } catch (error) {
      throw new Error(`cannot use checkpoint file ${path}: ${(error as Error).message}`)
    }
  }

  /** Writes a signed checkpoint to a file, replacing it atomically (owner-only permissions). */
  static async writeCheckpointFile(path: string, point: SignedCheckpoint): Promise<void> {
    const temporary = `${path}.tmp-${process.pid}`
    await writeFile(
      temporary,
      JSON.stringify(AuditVerifier.toCheckpointFile(point), null, 2) + '\n',
      { mode: 0o600 }
    )
    await rename(temporary, path)
  }

  /**
   * Verifies the chain; with `checkpoint` records the verified head as a
   * signed checkpoint; with `against` also checks an exported checkpoint.
   */
  static async verify({
    checkpoint = false,
    against = null,
  }: { checkpoint?: boolean; against?: CheckpointFile | null } = {}): Promise<AuditVerification> {
    const key = AuditKey.fromEnvironment()
    const problems: AuditProblem[] = []

    // Signed checkpoints from the database; unsigned or forged ones are reported and not trusted.
    const rows = await db.from('audit_checkpoints').orderBy('id')
    const checkpoints: Array<SignedCheckpoint & { id: number }> = []
    for (const row of rows) {
      const point = {
        id: Number(row.id),
        kind: row.kind,
        lastEntryId: Number(row.last_entry_id),
        lastHash: row.last_hash,
        entryCount: Number(row.entry_count),
        createdAt: String(row.created_at),
        signature: row.signature,
      }
      if (!key.verifySignature(AuditVerifier.checkpointMessage(point), point.signature)) {
        problems.push({
          entryId: point.lastEntryId,
          problem: 'bad_checkpoint',
          message: `checkpoint ${point.id} (entry ${point.lastEntryId}) has no valid signature: it was altered or forged`,
        })
        continue
      }
      checkpoints.push(point)
    }

    const expected: Array<{ label: string; point: SignedCheckpoint }> = checkpoints.map(
      (point) => ({
        label: `checkpoint of ${point.createdAt}`,
        point,
      })
    )
    if (against) {
      if (key.verifySignature(AuditVerifier.checkpointMessage(against), against.signature)) {
        expected.push({ label: `exported checkpoint of ${against.createdAt}`, point: against })
      } else {
        problems.push({
          entryId: against.lastEntryId,
          problem: 'bad_checkpoint',
          message:
            'the checkpoint file has no valid signature: it was altered, or AUDIT_LOG_KEY is not the key that signed it',
        })
      }
    }

    // Entries up to the legacy boundary were hashed with plain SHA-256 before the chain was keyed.
    const legacyUpTo = Math.max(
      0,
      ...checkpoints.filter((p) => p.kind === 'legacy').map((p) => p.lastEntryId)
    )
    const wanted = new Set(expected.map(({ point }) => point.lastEntryId))
    const hashesById = new Map<number, string>()

    let previousHash = GENESIS_HASH
    let lastId = 0
    let checked = 0
    let keyed = 0
    let changed = 0
    while (true) {
      const entries = await db
        .from('audit_logs')
        .where('id', '>', lastId)
        .orderBy('id')
        .limit(BATCH)
      if (entries.length === 0) break
      for (const row of entries) {
        const id = Number(row.id)
        if (row.prev_hash !== previousHash) {
          problems.push({
            entryId: id,
            problem: 'broken_link',
            message: `entry ${id} does not follow the entry before it (an entry was deleted or inserted)`,
          })
        }
        const fields = AuditLogger.fieldsOfRow(row)
        if (id > legacyUpTo) keyed++
        const hash =
          id <= legacyUpTo
            ? AuditLogger.legacyHashOf(row.prev_hash, fields)
            : AuditLogger.hashOf(row.prev_hash, fields, key)
        if (hash !== row.hash) {
          if (id > legacyUpTo) changed++
          problems.push({
            entryId: id,
            problem: 'changed',
            message: `entry ${id} was changed after it was written`,
          })
        }
        previousHash = row.hash
        if (wanted.has(id)) hashesById.set(id, row.hash)
        lastId = id
        checked++
      }
    }

    for (const { label, point } of expected) {
      if (hashesById.get(point.lastEntryId) !== point.lastHash) {
        problems.push({
          entryId: point.lastEntryId,
          problem: 'truncated',
          message: `verified entry ${point.lastEntryId} (${label}) is missing or different: entries were removed`,
        })
      }
    }

    if (keyed > 1 && changed === keyed) {
      problems.push({
        entryId: null,
        problem: 'changed',
        message:
          'no keyed entry matches: if nobody rewrote the log, AUDIT_LOG_KEY is not the key it was written with',
      })
    }

    const ok = problems.length === 0
    let recorded: SignedCheckpoint | null = null
    if (checkpoint && ok && lastId) {
      recorded = await AuditVerifier.recordCheckpoint(
        { kind: 'verified', lastEntryId: lastId, lastHash: previousHash, entryCount: checked },
        key
      )
    }
    return { ok, checked, headId: lastId || null, problems, recorded }
  }
}
