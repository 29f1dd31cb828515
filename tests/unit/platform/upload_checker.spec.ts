import { test } from '@japa/runner'
import { mkdir, writeFile } from 'node:fs/promises'
import app from '@adonisjs/core/services/app'
import UploadChecker, {
  MAX_UPLOAD_BYTES,
  type UploadedFile,
} from '#services/uploads/upload_checker'

const PDF = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n')

/** A file as the bodyparser leaves it: written to a temporary path. */
async function upload(
  clientName: string,
  content: Buffer,
  size = content.length
): Promise<UploadedFile> {
  const dir = app.tmpPath('upload_checker')
  await mkdir(dir, { recursive: true })
  const tmpPath = `${dir}/${Math.random().toString(36).slice(2)}`
  await writeFile(tmpPath, content)
  return { clientName, size, tmpPath, errors: [] }
}

test.group('UploadChecker', () => {
  test('accepts a PDF by name and content, and cleans the name', async ({ assert }) => {
    const check = await UploadChecker.checkPdf(await upload('消去証明書_2026.PDF', PDF))
    assert.deepEqual(check, { ok: true, originalName: '消去証明書_2026.PDF' })
    const path = await UploadChecker.checkPdf(await upload('..\\..\\etc/"evil"\u0007.pdf', PDF))
    assert.deepEqual(path, { ok: true, originalName: 'evil.pdf' })
  })

  test('refuses a renamed file whose first bytes are not %PDF-', async ({ assert }) => {
    for (const content of [
      Buffer.from('<html><script>alert(1)</script></html>'),
      Buffer.from('MZ\x90\x00'),
      Buffer.from('%PD'),
      Buffer.alloc(0),
    ]) {
      assert.deepEqual(await UploadChecker.checkPdf(await upload('certificate.pdf', content)), {
        ok: false,
        message: 'portal.errors.file_type',
      })
    }
  })

  test('refuses a PDF under another extension', async ({ assert }) => {
    for (const name of ['certificate.exe', 'certificate.pdf.html', 'certificate']) {
      assert.deepEqual(await UploadChecker.checkPdf(await upload(name, PDF)), {
        ok: false,
        message: 'portal.errors.file_type',
      })
    }
  })

  test('refuses more than 10 MB, also when the bodyparser already flagged the size', async ({
    assert,
  }) => {
    const check = await UploadChecker.checkPdf(await upload('a.pdf', PDF, MAX_UPLOAD_BYTES))
    assert.isTrue(check?.ok)
    assert.deepEqual(
      await UploadChecker.checkPdf(await upload('a.pdf', PDF, MAX_UPLOAD_BYTES + 1)),
      { ok: false, message: 'portal.errors.file_too_large' }
    )
    const flagged = { ...(await upload('a.pdf', PDF)), errors: [{ type: 'size' }] }
    assert.deepEqual(await UploadChecker.checkPdf(flagged), {
      ok: false,
      message: 'portal.errors.file_too_large',
    })
  })

  test('a missing file fails unless optional', async ({ assert }) => {
    assert.deepEqual(await UploadChecker.checkPdf(null), {
      ok: false,
      message: 'portal.errors.file_required',
    })
    assert.isNull(await UploadChecker.checkPdf(undefined, { optional: true }))
  })

  test('storage keys are random and downloads offer a safe name', ({ assert }) => {
    const key = UploadChecker.randomKey('deletion-certificates')
    assert.match(key, /^deletion-certificates\/[0-9a-f-]{36}\.pdf$/)
    assert.notEqual(key, UploadChecker.randomKey('deletion-certificates'))
    assert.equal(
      UploadChecker.disposition('消去 "証明".pdf'),
      `attachment; filename="__ ____.pdf"; filename*=UTF-8''${encodeURIComponent('消去 "証明".pdf')}`
    )
  })

  test('bidirectional and invisible controls are removed from names', ({ assert }) => {
    // Shown as "invoice_annexe.pdf" with the override; without it the real ending shows.
    assert.equal(UploadChecker.safeName('invoice_\u202Efdp.exe'), 'invoice_fdp.exe')
    assert.equal(UploadChecker.safeName('報告\u200F\u2066書\u2069\u200B\uFEFF.pdf'), '報告書.pdf')
    assert.equal(UploadChecker.safeName('a\u0085b\u2028c\ud800.pdf'), 'abc.pdf')
    assert.equal(UploadChecker.safeName('\u202E\u202C', 'attachment.xlsx'), 'attachment.xlsx')
  })
})
