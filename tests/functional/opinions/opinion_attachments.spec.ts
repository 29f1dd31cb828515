import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import drive from '@adonisjs/drive/services/main'
import { Disk } from '@adonisjs/drive'
import env from '#start/env'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DateTime } from 'luxon'
import type { ApiClient } from '@japa/api-client'
import type Opinion from '#models/opinion'
import OpinionAttachment from '#models/opinion_attachment'
import OpinionEvent from '#models/opinion_event'
import type User from '#models/user'
import AuditLog from '#models/audit_log'
import CallCenterRetention from '#services/opinions/call_center_retention'
import fieldEncryption, { FieldEncryption } from '#services/field_encryption'
import FieldKeyRotation from '#services/field_key_rotation'
import { lastAudit } from '#tests/helpers'
import { makeOpinion, opinionScene } from '#tests/opinion_helpers'

const tokyo = (iso: string) => DateTime.fromISO(iso, { zone: 'Asia/Tokyo' })

/** A one-page PDF, a FAX image (TIFF, little-endian) and a JPEG, as their first bytes say. */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n')
const TIFF = Buffer.concat([Buffer.from([0x49, 0x49, 0x2a, 0x00]), Buffer.from('FAX 山田様より')])
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 7)])

function attach(
  client: ApiClient,
  user: User,
  opinion: Opinion,
  file: { bytes: Buffer; name: string } | null,
  kind = 'fax'
) {
  const request = client
    .post(`/opinions/${opinion.id}/attachments`)
    .loginAs(user)
    .withCsrfToken()
    .header('referer', `/opinions/${opinion.id}`)
    .fields({ kind })
    .redirects(0)
  return file ? request.file('file', file.bytes, { filename: file.name }) : request
}

async function storedKeys(): Promise<string[]> {
  const rows = await db.from('opinion_attachments').select('storage_key')
  return rows.map((row) => row.storage_key)
}

test.group('Opinions: attachments', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.teardown(() => drive.restore('fs'))

  test('a FAX image and a letter are stored encrypted under random keys, listed, and downloaded only by those who may see the opinion; downloads are audited', async ({
    client,
    assert,
  }) => {
    const fake = drive.fake('fs')
    const { operator, tree, kochoStaff, kikiStaff, contractor } = await opinionScene()
    const opinion = await makeOpinion({ subject: '騒音への苦情' }, [tree.kocho])
    const other = await makeOpinion({ subject: '別の意見' }, [tree.kocho])

    const fax = await attach(client, operator, opinion, { bytes: TIFF, name: '山田様FAX.tif' })
    fax.assertStatus(302)
    fax.assertHeader('location', `/opinions/${opinion.id}`)
    fax.assertFlashMessage('success', 'ファイルを添付しました。')
    const letter = await attach(
      client,
      kochoStaff,
      opinion,
      { bytes: PDF, name: '手紙.PDF' },
      'letter'
    )
    letter.assertFlashMessage('success', 'ファイルを添付しました。')

    const [faxFile, letterFile] = await OpinionAttachment.query()
      .where('opinionId', opinion.id)
      .orderBy('id')
    assert.equal(faxFile.kind, 'fax')
    assert.equal(faxFile.contentType, 'image/tiff')
    assert.equal(faxFile.size, TIFF.length)
    assert.equal(faxFile.originalName, '山田様FAX.tif')
    assert.equal(faxFile.uploadedByUserId, operator.id)
    assert.equal(letterFile.contentType, 'application/pdf')
    assert.match(faxFile.storageKey, /^opinion-attachments\/[0-9a-f-]{36}\.bin$/)
    fake.assertExists(faxFile.storageKey)

    // At rest: the file is a ciphertext; its name and data key are encrypted columns.
    const disk = await app.container.make(Disk)
    const stored = Buffer.from(await disk.getBytes(faxFile.storageKey))
    assert.equal(stored.subarray(0, 4).toString(), 'DCF1')
    assert.isFalse(stored.includes(Buffer.from('山田様')))
    const raw = await db.from('opinion_attachments').where('id', faxFile.id).firstOrFail()
    assert.match(raw.original_name, /^enc1:/)
    assert.match(raw.file_key, /^enc1:/)
    assert.notInclude(raw.original_name, '山田')

    const events = await OpinionEvent.query()
      .where('opinionId', opinion.id)
      .where('kind', 'attachment_added')
    assert.lengthOf(events, 2)
    const attached = await lastAudit('opinion.attach')
    assert.notInclude(JSON.stringify(attached), '山田')

    const page = await client.get(`/opinions/${opinion.id}`).loginAs(operator)
    page.assertTextIncludes('山田様FAX.tif')
    page.assertTextIncludes('手紙.PDF')
    page.assertTextIncludes('添付ファイルを追加')
    page.assertTextIncludes(`/opinions/${opinion.id}/attachments/${faxFile.id}`)

    for (const user of [operator, kochoStaff]) {
      const download = await client
        .get(`/opinions/${opinion.id}/attachments/${faxFile.id}`)
        .loginAs(user)
      download.assertStatus(200)
      download.assertHeader('content-type', 'image/tiff')
      download.assertHeader('cache-control', 'private, no-store')
      download.assertHeader('x-content-type-options', 'nosniff')
      assert.include(download.header('content-disposition'), 'attachment;')
      assert.include(
        download.header('content-disposition'),
        `filename*=UTF-8''${encodeURIComponent('山田様FAX.tif')}`
      )
      assert.deepEqual(Buffer.from(download.body()), TIFF)
    }
    const downloads = await AuditLog.query()
      .where('action', 'opinion.download_attachment')
      .where('subjectId', String(opinion.id))
    assert.lengthOf(downloads, 2)

    // A department the opinion did not go to, a contractor, a guest: never the file.
    for (const user of [kikiStaff, contractor]) {
      const denied = await client
        .get(`/opinions/${opinion.id}/attachments/${faxFile.id}`)
        .loginAs(user)
      denied.assertStatus(403)
      assert.notInclude(denied.text(), 'FAX 山田様より')
    }
    const guest = await client.get(`/opinions/${opinion.id}/attachments/${faxFile.id}`).redirects(0)
    guest.assertStatus(302)
    // Another opinion's attachment through this opinion's address: not found.
    const wrongOpinion = await client
      .get(`/opinions/${other.id}/attachments/${faxFile.id}`)
      .loginAs(operator)
    wrongOpinion.assertStatus(404)
    // Never served from the disk's folder.
    for (const path of [`/uploads/${faxFile.storageKey}`, `/${faxFile.storageKey}`]) {
      const direct = await client.get(path)
      assert.equal(direct.status(), 404, path)
    }
    assert.lengthOf(
      await AuditLog.query()
        .where('action', 'opinion.download_attachment')
        .where('subjectId', String(opinion.id)),
      2,
      'refused downloads are not logged as downloads'
    )
  })

  test('a wrong file type (by content), a missing or too large file is refused in Japanese; nothing is stored and the kind is kept', async ({
    client,
    assert,
  }) => {
    drive.fake('fs')
    const { operator } = await opinionScene()
    const opinion = await makeOpinion({ subject: '写真付きの要望' })
    const typeError =
      '添付できるのはPDF・JPEG・PNG・TIFFのファイルです（拡張子と内容が一致するもの）。'
    const attempts: Array<[{ bytes: Buffer; name: string } | null, string]> = [
      [{ bytes: Buffer.from('MZ\x90\x00 not a pdf'), name: 'letter.pdf' }, typeError],
      [
        { bytes: Buffer.from('<html><script>alert(1)</script></html>'), name: 'photo.png' },
        typeError,
      ],
      [{ bytes: JPEG, name: 'photo.exe' }, typeError],
      [{ bytes: PDF, name: 'scan.tiff' }, typeError],
      [
        { bytes: Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024)]), name: 'big.pdf' },
        'ファイルは10MB以下にしてください。',
      ],
      [null, '添付するファイルを選んでください。'],
    ]
    for (const [file, message] of attempts) {
      const response = await attach(client, operator, opinion, file, 'photo')
      response.assertStatus(302)
      response.assertHeader('location', `/opinions/${opinion.id}`)
      response.assertFlashMessage('errors', { file: [message] })
      assert.equal(response.flashMessages().kind, 'photo', 'the kind chosen is kept')
      assert.notExists(response.flashMessages().success)
      const page = await client
        .get(`/opinions/${opinion.id}`)
        .loginAs(operator)
        .withFlashMessages(response.flashMessages())
      page.assertTextIncludes(message)
    }
    // Over the body limit (20 MB): the same message on the page, not the error page.
    const huge = await attach(client, operator, opinion, {
      bytes: Buffer.concat([PDF, Buffer.alloc(21 * 1024 * 1024)]),
      name: 'huge.pdf',
    })
    huge.assertStatus(302)
    huge.assertFlashMessage('errors', { file: ['ファイルは10MB以下にしてください。'] })
    assert.deepEqual(await storedKeys(), [])
    const jpeg = await attach(client, operator, opinion, { bytes: JPEG, name: '現場.JPG' }, 'photo')
    jpeg.assertFlashMessage('success', 'ファイルを添付しました。')
  })

  test('a department that may not see the opinion cannot attach; a file is removed by its uploader or the opinion office only', async ({
    client,
    assert,
  }) => {
    const fake = drive.fake('fs')
    const { operator, tree, kochoStaff, kochoSupervisor, kikiStaff } = await opinionScene()
    const opinion = await makeOpinion({ subject: '転送済みの意見' }, [tree.kocho])
    const refused = await attach(client, kikiStaff, opinion, { bytes: PDF, name: 'a.pdf' })
    refused.assertStatus(403)
    assert.deepEqual(await storedKeys(), [])

    await attach(client, kochoStaff, opinion, { bytes: PDF, name: '職員の添付.pdf' }, 'letter')
    const attachment = await OpinionAttachment.findByOrFail('opinionId', opinion.id)
    // Another department gets neither the page nor its attachments; an unknown opinion is a 404.
    const deniedPage = await client.get(`/opinions/${opinion.id}`).loginAs(kikiStaff)
    deniedPage.assertStatus(403)
    assert.notInclude(deniedPage.text(), '職員の添付.pdf')
    const missingPage = await client.get(`/opinions/${opinion.id + 1000}`).loginAs(operator)
    missingPage.assertStatus(404)
    const remove = (user: User) =>
      client
        .delete(`/opinions/${opinion.id}/attachments/${attachment.id}`)
        .loginAs(user)
        .withCsrfToken()
        .redirects(0)
    const supervisorPage = await client.get(`/opinions/${opinion.id}`).loginAs(kochoSupervisor)
    assert.notInclude(supervisorPage.text(), '_method=DELETE')
    for (const user of [kochoSupervisor, kikiStaff]) {
      const denied = await remove(user)
      denied.assertStatus(403)
    }
    fake.assertExists(attachment.storageKey)

    const removed = await remove(operator)
    removed.assertFlashMessage('success', '添付ファイルを削除しました。')
    fake.assertMissing(attachment.storageKey)
    assert.isNull(await OpinionAttachment.find(attachment.id))
    assert.lengthOf(
      await OpinionEvent.query().where('opinionId', opinion.id).where('kind', 'attachment_removed'),
      1
    )
    assert.exists(await lastAudit('opinion.detach'))
  })
})

test.group('Opinions: attachments are purged with the record', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  const keys = { dir: '' }
  group.each.setup(() => {
    keys.dir = mkdtempSync(join(tmpdir(), 'daicho-retention-keys-'))
    fieldEncryption.use(
      FieldEncryption.fromSettings({
        nodeEnv: 'test',
        appKey: env.get('APP_KEY'),
        retentionKeysDir: keys.dir,
      })
    )
  })
  group.each.teardown(() => {
    fieldEncryption.use(null)
    rmSync(keys.dir, { recursive: true, force: true })
    drive.restore('fs')
  })

  test("the retention purge deletes a call-center opinion's attachments (rows and files); its month key is shredded; other attachments stay", async ({
    client,
    assert,
  }) => {
    const fake = drive.fake('fs')
    const { operator } = await opinionScene()
    const call = await makeOpinion({
      channel: 'call_center',
      collectedByCallCenter: true,
      receivedAt: tokyo('2019-07-10T10:00'),
      replyMethod: 'phone',
      submitterName: '架電 花子',
      submitterPhone: '090-0000-1111',
      submitterAddress: null,
    })
    const letter = await makeOpinion({
      subject: '手紙の意見',
      receivedAt: tokyo('2019-07-10T10:00'),
    })
    await attach(client, operator, call, { bytes: TIFF, name: '架電者のFAX.tif' })
    await attach(client, operator, letter, { bytes: PDF, name: '手紙.pdf' }, 'letter')
    const callFile = await OpinionAttachment.findByOrFail('opinionId', call.id)
    const letterFile = await OpinionAttachment.findByOrFail('opinionId', letter.id)
    const raw = await db.from('opinion_attachments').where('id', callFile.id).firstOrFail()
    assert.match(raw.original_name, /^enc1:ret-2019-07:/, "sealed with the month's key")
    assert.match(raw.file_key, /^enc1:ret-2019-07:/)

    const purged = await CallCenterRetention.purge(tokyo('2020-08-15T02:30'))
    assert.deepEqual(purged.ids, [call.id])
    assert.isNull(await OpinionAttachment.find(callFile.id))
    fake.assertMissing(callFile.storageKey)
    assert.isFalse(existsSync(join(keys.dir, '2019-07.key')), 'the month key is shredded')
    const audit = await lastAudit('opinion.purge_call_center_personal_data')
    assert.equal(JSON.parse(audit!.details!).attachments, 1)

    // The letter (no retention period) keeps its file.
    assert.exists(await OpinionAttachment.find(letterFile.id))
    fake.assertExists(letterFile.storageKey)
    const download = await client
      .get(`/opinions/${call.id}/attachments/${callFile.id}`)
      .loginAs(operator)
    download.assertStatus(404)
    const page = await client.get(`/opinions/${call.id}`).loginAs(operator)
    page.assertTextIncludes('添付ファイルはありません。')
    assert.notInclude(page.text(), '架電者のFAX.tif')
    // Nothing can be attached any more.
    const refused = await attach(client, operator, call, { bytes: PDF, name: 'again.pdf' })
    refused.assertFlashMessage('errors', {
      file: ['保存期間満了により個人情報を削除した意見等にはファイルを添付できません。'],
    })
  })

  test('a key rotation re-encrypts the small data key, not the file: the file still opens once the old key is dropped', async ({
    client,
    assert,
  }) => {
    drive.fake('fs')
    const { operator } = await opinionScene()
    const appKey = env.get('APP_KEY')
    const letter = await makeOpinion({ subject: '鍵の交換' })
    await attach(client, operator, letter, { bytes: PDF, name: '手紙.pdf' }, 'letter')
    const attachment = await OpinionAttachment.findByOrFail('opinionId', letter.id)
    const disk = await app.container.make(Disk)
    const fileBefore = Buffer.from(await disk.getBytes(attachment.storageKey))

    const newKey = FieldEncryption.generateKey('k2')
    const withKeys = (keysSetting: string) =>
      fieldEncryption.use(
        FieldEncryption.fromSettings({
          nodeEnv: 'test',
          appKey,
          fieldEncryptionKeys: keysSetting,
          retentionKeysDir: keys.dir,
        })
      )
    withKeys(`${newKey},${FieldEncryption.appKeyEntry(appKey)}`)
    await FieldKeyRotation.rotateAll()
    const raw = await db.from('opinion_attachments').where('id', attachment.id).firstOrFail()
    assert.match(raw.file_key, /^enc1:k2:/)
    assert.match(raw.original_name, /^enc1:k2:/)
    assert.deepEqual(Buffer.from(await disk.getBytes(attachment.storageKey)), fileBefore)

    withKeys(newKey)
    const download = await client
      .get(`/opinions/${letter.id}/attachments/${attachment.id}`)
      .loginAs(operator)
    download.assertStatus(200)
    assert.deepEqual(Buffer.from(download.body()), PDF)
  })
})
