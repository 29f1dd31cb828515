import type { ServerResponse } from 'node:http'

/** Responses not sent yet, each with its end (finished or connection closed). */
const inProgress = new Map<ServerResponse, Promise<void>>()

/**
 * The responses the web process is working on, so that an in-process job starts only after the
 * request that dispatched it has answered (JobQueue). The app does not use AsyncLocalStorage
 * (issue 19: its promise hooks cost every request 7–10 % of its CPU on Node 20), so the queue
 * cannot tell which request dispatched a job: it waits for every response not yet begun at that
 * moment. Responses already sending their body (a download) are not waited for: they are not
 * the dispatcher, which is still working on its answer.
 */
export const ResponsesInProgress = {
  /** Called for every request (track_responses_middleware). */
  track(response: ServerResponse) {
    if (inProgress.has(response)) return
    const ended = new Promise<void>((resolve) => {
      const end = () => {
        inProgress.delete(response)
        resolve()
      }
      response.once('finish', end)
      response.once('close', end)
    })
    inProgress.set(response, ended)
  },

  /** Runs `start` once every response not begun yet has ended (at once when there is none). */
  afterCurrent(start: () => void) {
    const waits: Promise<void>[] = []
    for (const [response, ended] of inProgress) {
      if (!response.headersSent && !response.writableFinished && !response.destroyed) {
        waits.push(ended)
      }
    }
    if (waits.length === 0) return start()
    void Promise.all(waits).then(start)
  },
}
