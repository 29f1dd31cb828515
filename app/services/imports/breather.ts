import { performance } from 'node:perf_hooks'
import { setImmediate } from 'node:timers/promises'

/** Synchronous work allowed in one go before the event loop gets its turn. */
const SLICE_MS = 10

/**
 * Lets the event loop run between pieces of a long computation (checking thousands of rows,
 * encrypting them), so that other requests keep being answered: `await breather.pause()` in
 * the loop yields once SLICE_MS of work has gone by since the last yield.
 */
export default class Breather {
  #since = performance.now()

  /** Yields to the event loop when this stretch of work has lasted SLICE_MS or more. */
  async pause(): Promise<void> {
    if (performance.now() - this.#since < SLICE_MS) return
    await setImmediate()
    this.#since = performance.now()
  }
}
