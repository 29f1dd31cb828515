import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import app from '@adonisjs/core/services/app'
import drive from '@adonisjs/drive/services/main'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DepartmentFactory } from '#database/factories/department_factory'
import BackgroundTask from '#models/background_task'
import JobQueue from '#services/jobs/job_queue'
import uploadTempFiles from '#services/uploads/upload_temp_files'
import { UserFactory } from '#database/factories/user_factory'

const HEADER =
  '旧ID,受付日,受付方法,種別,分野,件名,内容,氏名,電話番号,メールアドレス,住所,主管課コード,状態,回答内容,回答日'
const csv = (...lines: string[]) => Buffer.from(`${[HEADER, ...lines].join('\r\n')}\r\n`)

/** A caller's name found nowhere else, to look for plaintext copies. */
const uniqueName = () => `一時 ${randomBytes(3).toString('hex')}`

function upload(
  client: any,
  url: string,
  user: any,
  content: Buffer,
  fields: Record<string, string> = {},
  filename = 'legacy.csv'
) {
  return client
    .post(url)
    .loginAs(user)
    .withCsrfToken()
    .file('file', content, { filename, contentType: 'text/csv' })
    .fields({ kind: 'opinions', encoding: 'auto', ...fields })
}

/** Every file under a folder (recursively), written since `since`. */
function filesSince(dir: string, since: number, depth = 3): string[] {
  if (!existsSync(dir) || depth < 0) return []
  const found: string[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    try {
      if (entry.isDirectory()) found.push(...filesSince(path, since, depth - 1))
      else if (entry.isFile() && statSync(path).mtimeMs >= since && statSync(path).size < 5_000_000)
        found.push(path)
    } catch {
      // vanished meanwhile (another process's temporary file)
    }
  }
  return found
}

/** Files written since `since` in the app's tmp folder and the system's /tmp that hold `text`. */
function plaintextCopies(text: string, since: number): string[] {
  const needle = Buffer.from(text)
  return [...filesSince(app.tmpPath(), since), ...filesSince(tmpdir(), since, 0)].filter((path) => {
    try {
      return readFileSync(path).includes(needle)
    } catch {
      return false
    }
  })
}

test.group('Temporary files: uploads are removed after the request, whatever happens', (group) => {
  let dir: string
  let originalDir: string
  let originalPath: typeof uploadTempFiles.path
  let written: string[]
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => {
    originalDir = uploadTempFiles.dir
    originalPath = uploadTempFiles.path
    dir = mkdtempSync(join(tmpdir(), 'daicho-uploads-'))
    uploadTempFiles.dir = dir
    written = []
    // Records where the body parser writes each upload.
    uploadTempFiles.path = () => {
      const path = originalPath()
      written.push(path)
      return path
    }
  })
  group.each.teardown(() => {
    uploadTempFiles.dir = originalDir
    uploadTempFiles.path = originalPath
    rmSync(dir, { recursive: true, force: true })
  })

  async function scene() {
    await DepartmentFactory.merge({ code: 't-kocho', name: '広聴担当課', sortOrder: 1 }).create()
    return {
      officer: await UserFactory.apply('privacyOfficer').create(),
      staff: await UserFactory.create(),
    }
  }

  const left = () => readdirSync(dir)

  /** Uploads for a check and lets it run; the task. */
  async function check(client: any, user: any, file: Buffer) {
    const response = await upload(client, '/legacy-imports/preview', user, file).redirects(0)
    response.assertStatus(303)
    await JobQueue.idle()
    const taskId = Number(/\/tasks\/(\d+)$/.exec(response.header('location'))![1])
    return BackgroundTask.findOrFail(taskId)
  }

  test('a successful check and import leave no file, and no plaintext copy anywhere', async ({
    client,
    assert,
  }) => {
    const { officer } = await scene()
    const since = Date.now() - 1000
    const name = uniqueName()
    const file = csv(
      `TF-1,2013/4/10 19:30,コールセンター,問合せ,,粗大ごみ,申込み方法を知りたい。,${name},090-3333-0001,,,t-kocho,完了,,`
    )
    assert.deepEqual(left(), [])

    const task = await check(client, officer, file)
    assert.equal(task.status, 'succeeded')
    assert.isFalse(
      await drive.use().exists(task.params.fileKey),
      'the stored upload is deleted once checked'
    )
    const imported = await client
      .post(`/legacy-imports/${task.id}/apply`)
      .loginAs(officer)
      .withCsrfToken()
      .redirects(0)
    imported.assertStatus(303)
    await JobQueue.idle()
    const page = await client.get(`/tasks/${task.id}`).loginAs(officer)
    page.assertTextIncludes('1件を取り込みました。')

    assert.lengthOf(written, 1, 'the upload went through the upload folder')
    assert.deepEqual(left(), [])
    assert.deepEqual(plaintextCopies(name, since), [])
  })

  test('a file with problems leaves no file and nothing staged', async ({ client, assert }) => {
    const { officer } = await scene()
    const since = Date.now() - 1000
    const name = uniqueName()
    const broken = csv(
      `TF-3,2013/13/45,コールセンター,問合せ,,件名,内容,${name},090-3333-0003,,,no-such-dept,完了,,`
    )
    const task = await check(client, officer, broken)
    assert.equal(task.result!.problemCount, 2)
    assert.isFalse(await drive.use().exists(task.params.fileKey))

    assert.lengthOf(written, 1)
    assert.deepEqual(left(), [])
    assert.deepEqual(plaintextCopies(name, since), [])
  })

  test('a rejected upload (wrong file type, no permission) leaves no file', async ({
    client,
    assert,
  }) => {
    const { officer, staff } = await scene()
    const file = csv(
      `TF-4,2013/4/10 19:30,コールセンター,問合せ,,件名,内容,${uniqueName()},090-3333-0004,,,t-kocho,完了,,`
    )
    const wrongType = await upload(
      client,
      '/legacy-imports/preview',
      officer,
      file,
      {},
      'legacy.exe'
    ).header('referer', '/legacy-imports')
    wrongType.assertRedirectsTo('/legacy-imports')
    const forbidden = await upload(client, '/legacy-imports/preview', staff, file)
    forbidden.assertStatus(403)

    assert.lengthOf(written, 2)
    assert.deepEqual(left(), [])
  })

  test('an upload over the size limit, cut off while it is written, leaves no file', async ({
    client,
    assert,
  }) => {
    const { officer } = await scene()
    const small = csv(
      `TF-5,2013/4/10 19:30,コールセンター,問合せ,,件名,内容,${uniqueName()},090-3333-0005,,,t-kocho,完了,,`
    )
    const response = await client
      .post('/legacy-imports/preview')
      .loginAs(officer)
      .withCsrfToken()
      .file('first', small, { filename: 'first.csv', contentType: 'text/csv' })
      .file('file', Buffer.alloc(21 * 1024 * 1024, 0x41), {
        filename: 'huge.csv',
        contentType: 'text/csv',
      })
      .fields({ kind: 'opinions', encoding: 'auto' })
    assert.equal(response.status(), 413)
    assert.isAtLeast(written.length, 1)
    assert.deepEqual(left(), [])
  })
})
