import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import i18nManager from '@adonisjs/i18n/services/main'
import CsvParse, {
  MAX_ENCODING_PROBLEMS,
  UTF8_BOM,
  type CsvInputEncoding,
  type CsvRecord,
  type CsvSyntaxProblem,
} from '#services/csv/csv_parse'

/**
 * CsvParse in a worker thread. Reading a 30,000-line legacy file (decoding, checking every
 * line's encoding, csv-parse with a callback per cell) takes hundreds of milliseconds of CPU
 * in one synchronous stretch; in a worker the event loop keeps answering pages meanwhile.
 *
 * Same technique as PdfRenderer: the worker runs from source text (`eval: true`) made of
 * CsvParse's own class text (`Function.prototype.toString()` gives the transpiled JavaScript
 * under ts-node and in the build alike) and a preamble that defines what the class uses from
 * its module (csv-parse and iconv-lite loaded by absolute path, the two constants, `jaText`
 * over the Japanese messages.csv.* texts, which have plain `{name}` placeholders only). So it
 * needs no TypeScript loader and no extra file in build/.
 *
 * The records come back on request, `size` at a time: one small message per batch, so that
 * receiving them never blocks the event loop either (a worker that posts everything at once
 * has Node deserialise all the queued messages in one go).
 */

const require = createRequire(import.meta.url)

/** Records per message from the worker. */
const MESSAGE_RECORDS = 200

interface WorkerConfig {
  csvParsePath: string
  iconvPath: string
  utf8Bom: number[]
  maxEncodingProblems: number
  /** messages.csv.* in Japanese: key → text with `{name}` placeholders. */
  messages: Record<string, string>
}

/** A record of the file; `garbled` when one of its lines does not read in the file's encoding. */
export interface StreamedRecord extends CsvRecord {
  garbled: boolean
}

type WorkerReply =
  | {
      type: 'parsed'
      encoding: 'utf8' | 'cp932'
      problems: CsvSyntaxProblem[]
      count: number
    }
  | { type: 'batch'; records: StreamedRecord[] }
  | { type: 'error'; message: string; stack?: string }

/** Worker entry (as source text): parses once, then hands out the records batch by batch. */
function workerMain(threads: typeof import('node:worker_threads'), csvParse: typeof CsvParse) {
  const port = threads.parentPort!
  const { bytes, encoding } = threads.workerData as { bytes: Uint8Array; encoding: string }
  let records: Array<{ line: number; cells: string[]; garbled: boolean }> = []
  let next = 0
  try {
    const parsed = csvParse.parse(
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      encoding as CsvInputEncoding
    )
    // A record is garbled when a line from its first up to the next record's does not read.
    const garbled = [...parsed.garbledLines].sort((a, b) => a - b)
    let at = 0
    records = parsed.records.map((record, index) => {
      const nextLine = parsed.records[index + 1]?.line ?? Number.POSITIVE_INFINITY
      while (at < garbled.length && garbled[at] < record.line) at++
      return { ...record, garbled: at < garbled.length && garbled[at] < nextLine }
    })
    port.postMessage({
      type: 'parsed',
      encoding: parsed.encoding,
      problems: parsed.problems,
      count: records.length,
    })
  } catch (error: any) {
    port.postMessage({
      type: 'error',
      message: String(error?.message ?? error),
      stack: error?.stack,
    })
    return
  }
  port.on('message', (message: { size: number }) => {
    const batch = records.slice(next, next + message.size)
    next += batch.length
    port.postMessage({ type: 'batch', records: batch })
    if (next >= records.length) records = []
  })
}

/**
 * The parsed file: its encoding and syntax or encoding problems at once, then its records
 * (header first) through `next`. `close` ends the worker (also done once the last batch is read).
 */
export class StreamedCsv {
  #left: number

  constructor(
    private worker: Worker,
    private replies: () => Promise<WorkerReply>,
    readonly encoding: 'utf8' | 'cp932',
    readonly problems: CsvSyntaxProblem[],
    /** Records in the file, header included. */
    readonly count: number
  ) {
    this.#left = count
  }

  /** The next `size` records; empty once all were read (the worker is ended then). */
  async next(size: number): Promise<StreamedRecord[]> {
    const records: StreamedRecord[] = []
    while (records.length < size && this.#left > 0) {
      // Small messages: receiving one is a few milliseconds of the event loop.
      this.worker.postMessage({ size: Math.min(MESSAGE_RECORDS, size - records.length) })
      const reply = await this.replies()
      if (reply.type !== 'batch') throw new Error('CSV worker: unexpected reply')
      this.#left = reply.records.length === 0 ? 0 : this.#left - reply.records.length
      records.push(...reply.records)
    }
    if (this.#left <= 0) await this.close()
    return records
  }

  /** Ends the worker (reading stops early, or is done). */
  async close(): Promise<void> {
    this.#left = 0
    await this.worker.terminate()
  }
}

export default class CsvParseWorker {
  /** The Japanese messages CsvParse reports (messages.csv.*), for the worker's `jaText`. */
  static #messages(): Record<string, string> {
    const all = i18nManager.getTranslationsFor('ja')
    return Object.fromEntries(
      Object.entries(all).filter(([key]) => key.startsWith('messages.csv.'))
    )
  }

  static #source(config: WorkerConfig): string {
    return [
      "'use strict';",
      `const config = ${JSON.stringify(config)};`,
      'const { parse } = require(config.csvParsePath);',
      'const iconv = require(config.iconvPath);',
      'const UTF8_BOM = config.utf8Bom;',
      'const MAX_ENCODING_PROBLEMS = config.maxEncodingProblems;',
      'const jaText = (key, data = {}) =>',
      '  (config.messages[key] ?? key).replace(/\\{(\\w+)\\}/g, (all, name) =>',
      '    name in data ? String(data[name]) : all)',
      `const CsvParse = ${CsvParse.toString()};`,
      `(${workerMain.toString()})(require('node:worker_threads'), CsvParse);`,
    ].join('\n')
  }

  /**
   * Parses `bytes` in a worker thread; resolves once the file is read (encoding and file-level
   * problems known), the records then come through `next`.
   */
  static async open(bytes: Buffer, encoding: CsvInputEncoding): Promise<StreamedCsv> {
    const config: WorkerConfig = {
      csvParsePath: require.resolve('csv-parse/sync'),
      iconvPath: require.resolve('iconv-lite'),
      utf8Bom: UTF8_BOM,
      maxEncodingProblems: MAX_ENCODING_PROBLEMS,
      messages: CsvParseWorker.#messages(),
    }
    const worker = new Worker(CsvParseWorker.#source(config), {
      eval: true,
      // Keeps the parent's ts-node loader out: the source is plain JavaScript.
      execArgv: [],
      name: 'daicho-csv-parse',
      workerData: {
        bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
        encoding,
      },
      stdout: false,
      stderr: false,
    })
    const replies = CsvParseWorker.#replies(worker)
    try {
      const first = await replies()
      if (first.type !== 'parsed') throw new Error('CSV worker: unexpected reply')
      return new StreamedCsv(worker, replies, first.encoding, first.problems, first.count)
    } catch (error) {
      await worker.terminate()
      throw error
    }
  }

  /** The worker's replies one at a time; its error or early exit rejects the pending one. */
  static #replies(worker: Worker) {
    const queue: WorkerReply[] = []
    let waiting: { resolve: (reply: WorkerReply) => void; reject: (error: Error) => void } | null =
      null
    let failure: Error | null = null
    const fail = (error: Error) => {
      failure ??= error
      waiting?.reject(failure)
      waiting = null
    }
    worker.on('message', (reply: WorkerReply) => {
      if (reply.type === 'error') {
        const error = new Error(`CSV parsing failed: ${reply.message}`)
        if (reply.stack) error.stack = `${error.message}\n--- in CSV worker ---\n${reply.stack}`
        fail(error)
        return
      }
      if (waiting) {
        waiting.resolve(reply)
        waiting = null
      } else queue.push(reply)
    })
    worker.on('error', fail)
    worker.on('exit', (code) => fail(new Error(`CSV worker exited (code ${code})`)))
    return (): Promise<WorkerReply> => {
      const queued = queue.shift()
      if (queued) return Promise.resolve(queued)
      if (failure) return Promise.reject(failure)
      return new Promise((resolve, reject) => (waiting = { resolve, reject }))
    }
  }
}
