import v8 from 'node:v8'
import { runInNewContext } from 'node:vm'

/** V8's collector as `--expose-gc` gives it, asked for a young-generation collection. */
type Collector = (options: { type: 'minor'; execution: 'sync' }) => void

/**
 * Bytes passed on between two collections. Each byte of the opinion CSV is read from the
 * database's socket, framed and cut into new buffers a few times over before it is passed on:
 * at 8 MB the worker making a million rows still had up to 37 MB of buffers waiting (RSS +36
 * MB), at 2 MB up to 16 MB (RSS +17 MB), at about the same rows a second.
 */
export const COLLECT_EVERY_BYTES = 2 * 1024 * 1024

let collector: Collector | null | undefined

/**
 * Long streams (a CSV of a million opinions, its download) take a new buffer for every chunk
 * Node reads from a socket or a file. V8 frees a buffer only at a collection, and with so
 * little JavaScript allocated between chunks, the next one comes only once tens of megabytes
 * of buffers wait ("external memory pressure"): the process grows by that much, and malloc
 * keeps the memory once it is freed. A young-generation collection every few megabytes frees
 * the chunks while they are young, so the stream needs no more memory than a few of them.
 */
export default class StreamedBuffers {
  /** `chunks` as they come, with a young-generation collection every `everyBytes` bytes. */
  static async *released(
    chunks: AsyncIterable<Buffer>,
    { everyBytes = COLLECT_EVERY_BYTES, collect = StreamedBuffers.collector() } = {}
  ): AsyncGenerator<Buffer> {
    let sinceCollected = 0
    for await (const chunk of chunks) {
      yield chunk
      sinceCollected += chunk.length
      if (collect && sinceCollected >= everyBytes) {
        sinceCollected = 0
        collect({ type: 'minor', execution: 'sync' })
      }
    }
  }

  /**
   * V8's collector, exposed once for the process: the flag reaches the contexts made after it
   * is set, so a new context hands the function over (as Jest's leak detector takes it). Null
   * where the runtime refuses; streams then run as they would without it.
   */
  static collector(): Collector | null {
    if (collector === undefined) {
      try {
        if (typeof globalThis.gc !== 'function') v8.setFlagsFromString('--expose-gc')
        collector = (globalThis.gc ?? runInNewContext('gc')) as Collector
      } catch {
        collector = null
      }
    }
    return collector
  }
}
