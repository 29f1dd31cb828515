import { test } from '@japa/runner'
import type { ChildProcess } from 'node:child_process'
import { readFile, readdir, readlink } from 'node:fs/promises'
import { Agent, request as httpRequest } from 'node:http'
import { TEST_PASSWORD, UserFactory } from '#database/factories/user_factory'
import { departmentTree } from '#tests/helpers'
import {
  type AppProcess,
  appEnvironment,
  Browser,
  databaseName,
  freePort,
  type Instance,
  restoreTables,
  snapshotTables,
  startProcess,
  stopProcess,
} from '#tests/instance_helpers'

/**
 * Issue 19 §5: `bin/server.ts` with WEB_CONCURRENCY=2 serves one port from two worker processes
 * (bin/cluster.ts). Connections go to both workers, a login made on one is recognised on the
 * other (sessions live in the database), a worker that dies is replaced, and SIGTERM stops the
 * primary and every worker. Which worker serves a connection is read from /proc (the process
 * holding the server's end of the socket): the app exposes nothing new for it.
 *
 * The processes only see committed data, so this group runs without the global transaction and
 * removes what it added at the end.
 */

const say = (line: string) => console.log(`[web-concurrency] ${line}`)
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** The workers the primary reported listening, in order: `worker 1 (pid 123) listening …`. */
function listeningWorkers(output: string) {
  return [...output.matchAll(/worker (\d+) \(pid (\d+)\) listening/g)].map((match) => ({
    slot: Number(match[1]),
    pid: Number(match[2]),
  }))
}

/** The process (among `pids`) holding the server's end of the connection from `clientPort`. */
async function servingProcess(serverPort: number, clientPort: number, pids: number[]) {
  const hex = (port: number) => port.toString(16).toUpperCase().padStart(4, '0')
  const table = await readFile('/proc/net/tcp', 'utf8')
  const inode = table
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .find(
      (fields) =>
        fields[1]?.endsWith(`:${hex(serverPort)}`) && fields[2]?.endsWith(`:${hex(clientPort)}`)
    )?.[9]
  if (!inode) return null
  for (const pid of pids) {
    const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[])
    for (const fd of fds) {
      const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')
      if (target === `socket:[${inode}]`) return pid
    }
  }
  return null
}

/** GET on a connection of its own; the answer and the worker that served it. */
function getOnNewConnection(instance: Instance, path: string, cookie: string, pids: number[]) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  return new Promise<{ status: number; location: string | null; body: string; pid: number | null }>(
    (resolve, reject) => {
      const outgoing = httpRequest(
        `${instance.url}${path}`,
        { agent, headers: { cookie } },
        (response) => {
          let body = ''
          response.setEncoding('utf8')
          response.on('data', (chunk: string) => (body += chunk))
          response.once('end', async () => {
            try {
              // The kept-alive connection is still open: its server end is in one worker.
              const pid = await servingProcess(instance.port, outgoing.socket!.localPort!, pids)
              resolve({
                status: response.statusCode ?? 0,
                location: response.headers.location ?? null,
                body,
                pid,
              })
            } catch (error) {
              reject(error)
            } finally {
              agent.destroy()
            }
          })
        }
      )
      outgoing.once('error', reject)
      outgoing.end()
    }
  )
}

function isRunning(pid: number) {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

test.group('WEB_CONCURRENCY=2: one port, two worker processes', (group) => {
  let server: AppProcess
  let instance: Instance
  const children: ChildProcess[] = []

  group.setup(async () => {
    const started = Date.now()
    const before = await snapshotTables()
    const teardown = async () => {
      await Promise.all(children.map((child) => stopProcess(child)))
      await restoreTables(before)
    }
    try {
      const port = await freePort()
      const environment = appEnvironment({ WEB_CONCURRENCY: '2', PORT: String(port) })
      server = await startProcess(
        children,
        'server',
        ['bin/server.ts'],
        environment,
        /(worker \d+ \(pid \d+\) listening[\s\S]*){2}/
      )
      instance = { ...server, port, url: `http://127.0.0.1:${port}` }
      say(`database: ${databaseName(environment)}`)
      say(
        `primary pid ${server.child.pid}, workers ${listeningWorkers(server.output())
          .map((worker) => worker.pid)
          .join(', ')} on port ${port} (started in ${Date.now() - started} ms)`
      )
    } catch (error) {
      await teardown()
      throw error
    }
    return teardown
  })

  test('connections go to both workers; one login is recognised by each', async ({ assert }) => {
    const tree = await departmentTree()
    const staff = await UserFactory.merge({ departmentId: tree.kocho.id }).create()
    const browser = new Browser()
    const login = await browser.login(instance, staff.email, TEST_PASSWORD)
    assert.equal(login.status, 302)
    assert.equal(login.headers.get('location'), '/dashboard')

    const workers = listeningWorkers(server.output()).map((worker) => worker.pid)
    assert.lengthOf(workers, 2)
    const servedBy = new Set<number>()
    for (let connection = 1; connection <= 6; connection++) {
      const page = await getOnNewConnection(instance, '/dashboard', browser.cookieHeader(), workers)
      say(`connection ${connection}: GET /dashboard → ${page.status}, worker pid ${page.pid}`)
      assert.equal(page.status, 200, `connection ${connection} is logged in`)
      assert.include(page.body, staff.fullName)
      assert.isNotNull(page.pid, 'a worker holds the connection')
      servedBy.add(page.pid!)
    }
    assert.sameMembers([...servedBy], workers, 'both workers served the logged-in user')
  }).timeout(30_000)

  test('a worker closes a kept-alive connection after 25 answers, so that the primary can hand the next one to the less busy worker', async ({
    assert,
  }) => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    const answers: Array<{ connection: string | undefined; reusedSocket: boolean }> = []
    try {
      for (let index = 1; index <= 27; index++) {
        answers.push(
          await new Promise((resolve, reject) => {
            const outgoing = httpRequest(`${instance.url}/login`, { agent }, (response) => {
              response.resume()
              response.once('end', () =>
                resolve({
                  connection: response.headers.connection,
                  reusedSocket: outgoing.reusedSocket,
                })
              )
            })
            outgoing.once('error', reject)
            outgoing.end()
          })
        )
      }
    } finally {
      agent.destroy()
    }
    const closing = answers.flatMap((answer, index) =>
      answer.connection === 'close' ? [index + 1] : []
    )
    say(`answers closing their connection: ${closing.join(', ')}`)
    assert.deepEqual(closing, [25], 'the 25th answer closes the connection')
    const newConnections = answers.flatMap((answer, index) =>
      answer.reusedSocket ? [] : [index + 1]
    )
    assert.deepEqual(newConnections, [1, 26], 'the 26th goes on a new connection, kept alive again')
  }).timeout(30_000)

  test('a worker that dies is replaced; SIGTERM stops the primary and every worker', async ({
    assert,
  }) => {
    const [first, second] = listeningWorkers(server.output())
    process.kill(first.pid, 'SIGKILL')
    const started = Date.now()
    let replacement: { slot: number; pid: number } | undefined
    while (!replacement) {
      if (Date.now() - started > 30_000) {
        throw new Error(`worker ${first.slot} not replaced within 30 s:\n${server.output()}`)
      }
      await sleep(200)
      replacement = listeningWorkers(server.output()).find(
        (worker) => worker.slot === first.slot && worker.pid !== first.pid
      )
    }
    say(
      `killed worker ${first.slot} (pid ${first.pid}): replaced by pid ${replacement.pid} in ${Date.now() - started} ms`
    )
    assert.isFalse(isRunning(first.pid))
    const answer = await fetch(`${instance.url}/login`)
    assert.equal(answer.status, 200, 'the port still answers')

    const exit = await stopProcess(server.child, 15_000)
    say(`SIGTERM to the primary: exit ${exit}`)
    assert.equal(exit, 0, 'the primary shuts down cleanly')
    for (const pid of [second.pid, replacement.pid]) {
      assert.isFalse(isRunning(pid), `worker pid ${pid} has stopped`)
    }
  }).timeout(60_000)
})
