import { DateTime } from 'luxon'
import BackgroundTask from '#models/background_task'

/** Progress is written at most this often (each write is a write transaction; SQLite has one writer). */
const WRITE_INTERVAL_MS = 500

/**
 * What a job tells the user about its task: the phase it is in, rows done of total (written
 * at most twice a second), and how it ended. The task page reads these columns.
 */
export default class TaskProgress {
  #lastWrite = 0

  constructor(readonly task: BackgroundTask) {}

  /** The job has started (again, for a retry): running, no error, nothing done yet. */
  async start(phase: string, total: number | null = null) {
    const now = DateTime.now()
    this.task.merge({
      status: 'running',
      error: null,
      startedAt: this.task.startedAt ?? now,
    })
    await this.phase(phase, total)
  }

  /** A new phase (reading, checking, applying, writing), counted from zero. */
  async phase(phase: string, total: number | null = null) {
    this.task.merge({ phase, total, done: 0, phaseStartedAt: DateTime.now() })
    await this.#write()
  }

  /** The total became known (after counting the rows). */
  async total(total: number) {
    this.task.total = total
    await this.#write()
  }

  /** `count` more rows done; written when the last write is older than half a second, and at the end. */
  async advance(count: number) {
    this.task.done += count
    const last = this.task.total !== null && this.task.done >= this.task.total
    if (last || Date.now() - this.#lastWrite >= WRITE_INTERVAL_MS) await this.#write()
  }

  async succeed(
    result: Record<string, any> | null,
    file?: { path: string; name: string; size: number }
  ) {
    this.task.merge({
      status: 'succeeded',
      result,
      finishedAt: DateTime.now(),
      ...(file ? { filePath: file.path, fileName: file.name, fileSize: file.size } : {}),
    })
    await this.#write()
  }

  /** Ended without a result; `messageKey` is what the user reads (tasks.errors.*). */
  async fail(messageKey: string, result: Record<string, any> | null = null) {
    this.task.merge({ status: 'failed', error: messageKey, result, finishedAt: DateTime.now() })
    await this.#write()
  }

  async #write() {
    this.#lastWrite = Date.now()
    await this.task.save()
  }
}
