import { test } from '@japa/runner'
import { EventEmitter } from 'node:events'
import type { ServerResponse } from 'node:http'
import { setImmediate as nextTurn } from 'node:timers/promises'
import app from '@adonisjs/core/services/app'
import { ResponsesInProgress } from '#services/jobs/responses_in_progress'

/** What ResponsesInProgress reads of a response: its events and how far it got. */
class FakeResponse extends EventEmitter {
  headersSent = false
  writableFinished = false
  destroyed = false

  finish() {
    this.writableFinished = true
    this.emit('finish')
    this.emit('close')
  }
}

const track = (response: FakeResponse) =>
  ResponsesInProgress.track(response as unknown as ServerResponse)

test.group('Responses in progress (in-process jobs start after the response)', () => {
  test('the app runs without AsyncLocalStorage: the request context is passed explicitly', ({
    assert,
  }) => {
    assert.isFalse(
      app.config.get<{ useAsyncLocalStorage: boolean }>('app.http').useAsyncLocalStorage
    )
  })

  test('a job dispatched during a request starts once that response has ended', async ({
    assert,
  }) => {
    const dispatcher = new FakeResponse()
    track(dispatcher)
    let started = false
    ResponsesInProgress.afterCurrent(() => (started = true))
    await nextTurn()
    assert.isFalse(started, 'not while the response is being made')
    dispatcher.finish()
    await nextTurn()
    assert.isTrue(started)
  })

  test('it waits for every response not begun at that moment, not for later ones', async ({
    assert,
  }) => {
    const first = new FakeResponse()
    const second = new FakeResponse()
    track(first)
    track(second)
    let started = false
    ResponsesInProgress.afterCurrent(() => (started = true))
    const later = new FakeResponse()
    track(later)
    first.finish()
    await nextTurn()
    assert.isFalse(started)
    // A closed connection ends a response too.
    second.destroyed = true
    second.emit('close')
    await nextTurn()
    assert.isTrue(started, 'a response begun after the dispatch does not hold the job')
    later.finish()
  })

  test('a download already sending its body does not hold a job; with nothing in progress it starts at once', async ({
    assert,
  }) => {
    const download = new FakeResponse()
    download.headersSent = true
    track(download)
    let started = false
    ResponsesInProgress.afterCurrent(() => (started = true))
    assert.isTrue(started)
    download.finish()

    let again = false
    ResponsesInProgress.afterCurrent(() => (again = true))
    assert.isTrue(again)
  })
})
