import { test } from '@japa/runner'
import { setImmediate as nextTurn } from 'node:timers/promises'
import StreamedBuffers from '#services/streamed_buffers'

const MB = 1024 * 1024

/** `count` chunks of `size` bytes, each a new buffer as a socket or a file read gives them. */
async function* freshChunks(count: number, size: number) {
  for (let index = 0; index < count; index++) {
    const chunk = Buffer.allocUnsafeSlow(size)
    chunk.fill(index % 251)
    yield chunk
    await nextTurn()
  }
}

test.group('StreamedBuffers.released', () => {
  test('passes every chunk on as it came, and collects after each 8 MB passed', async ({
    assert,
  }) => {
    const calls: unknown[] = []
    const chunks = [3, 3, 3, 3, 3, 3, 3, 3, 3, 1].map((megabytes, index) =>
      Buffer.alloc(megabytes * MB, index)
    )
    async function* source() {
      yield* chunks
    }
    const passed: Buffer[] = []
    for await (const chunk of StreamedBuffers.released(source(), {
      everyBytes: 8 * MB,
      collect: (options) => calls.push(options),
    })) {
      passed.push(chunk)
    }

    assert.deepEqual(passed, chunks)
    // 9 MB after the third chunk, the sixth and the ninth; the last 1 MB stays below 8.
    assert.deepEqual(calls, Array(3).fill({ type: 'minor', execution: 'sync' }))
  })

  test('a source that fails fails the stream, with what came before passed on', async ({
    assert,
  }) => {
    async function* failing() {
      yield Buffer.from('first')
      throw new Error('disk gone')
    }
    const passed: string[] = []
    await assert.rejects(async () => {
      for await (const chunk of StreamedBuffers.released(failing(), { collect: null })) {
        passed.push(chunk.toString())
      }
    }, 'disk gone')
    assert.deepEqual(passed, ['first'])
  })

  test('the collector is there without --expose-gc', ({ assert }) => {
    const collect = StreamedBuffers.collector()
    assert.isFunction(collect)
    collect!({ type: 'minor', execution: 'sync' })
  })

  test('96 MB of new chunks stream with a few megabytes of them waiting, not tens', async ({
    assert,
  }) => {
    const before = process.memoryUsage().arrayBuffers
    let peak = before
    for await (const chunk of StreamedBuffers.released(freshChunks(1536, 64 * 1024))) {
      peak = Math.max(peak, process.memoryUsage().arrayBuffers)
      assert.equal(chunk.length, 64 * 1024)
    }
    // Without the collections, V8 waits for about 32 MB of them (measured: 34 MB).
    assert.isBelow((peak - before) / MB, 20)
  })
})
