import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { test } from '@japa/runner'
import i18nManager from '@adonisjs/i18n/services/main'
import type { MultipartFile } from '@adonisjs/core/bodyparser'
import iconv from 'iconv-lite'
import DomainError from '#exceptions/domain_error'
import PdfRenderer from '#services/pdf_renderer'
import {
  compareCouncilDocument,
  compareRows,
  formatReport,
} from '#services/council/compare/compare'
import { normalise } from '#services/council/compare/normalize'
import { isMarkdownForm, parseReference } from '#services/council/compare/reference_parser'
import SourceTextReader, {
  htmlToReferenceText,
  MAX_SOURCE_BYTES,
} from '#services/council/import/source_text'
import { COUNCIL_001, COUNCIL_DOCUMENT_FIXTURES } from '#tests/fixtures/council_documents'
import {
  brokenDocx,
  brokenPdf,
  councilDocx,
  councilPdf,
  encryptedPdf,
  oversizedFile,
  scannedPdf,
  truncatedDocx,
  unrelatedPdf,
} from '#tests/fixtures/import/source_files'

const SEEDS_DIR = fileURLToPath(new URL('../../fixtures/seeds/', import.meta.url))
const TMP_DIR = fileURLToPath(new URL('../../../tmp/import-source/', import.meta.url))
const readSeed = (name: string) => readFile(`${SEEDS_DIR}${name}`, 'utf8')
const textOf = async (buffer: Buffer, name: string) => {
  const source = await SourceTextReader.fromBuffer(buffer, name)
  return source.text
}

/** Builds each fixture file once per run. */
const cache = new Map<string, Promise<Buffer>>()
const once = (key: string, build: () => Promise<Buffer>) => {
  if (!cache.has(key)) cache.set(key, build())
  return cache.get(key)!
}
const pdfOf = (seed: string) =>
  once(`pdf ${seed}`, () =>
    councilPdf(COUNCIL_DOCUMENT_FIXTURES.find((fixture) => fixture.seed === seed)!.data)
  )
const docxOf = (seed: string) =>
  once(`docx ${seed}`, () =>
    councilDocx(COUNCIL_DOCUMENT_FIXTURES.find((fixture) => fixture.seed === seed)!.data)
  )

/**
 * Runs `read`, expects a DomainError with `council_imports.source.<key>` on `field`, and checks
 * that the message exists in Japanese and in English.
 */
async function refusal(
  assert: import('@japa/assert').Assert,
  read: () => Promise<unknown> | unknown,
  key: string,
  field = 'file'
): Promise<DomainError> {
  let caught: unknown = null
  try {
    await read()
  } catch (error) {
    caught = error
  }
  assert.instanceOf(caught, DomainError, `expected a refusal ${key}`)
  const error = caught as DomainError
  assert.equal(error.messageKey, `council_imports.source.${key}`)
  assert.equal(error.field, field)
  assert.isBelow(error.status, 500)
  const ja = i18nManager.locale('ja')
  assert.isTrue(ja.hasMessage(error.messageKey), `ja message for ${error.messageKey}`)
  assert.isTrue(i18nManager.locale('en').hasMessage(error.messageKey))
  const text = ja.t(error.messageKey, error.options.data ?? {})
  assert.match(text, /[\u3040-\u30ff\u4e00-\u9fff]/u)
  assert.notInclude(text, '{')
  return error
}

test.group('Import source: pasted text and text files', () => {
  test('pasted text is kept as written, with \\n line ends and no BOM', ({ assert }) => {
    const source = SourceTextReader.fromPaste(
      '\uFEFF件名\t第１４条（業務委託）\r\n内容は別紙のとおり\r'
    )
    assert.deepEqual(source, {
      kind: 'text',
      name: null,
      text: '件名\t第１４条（業務委託）\n内容は別紙のとおり\n',
    })
  })

  test('an empty paste is refused on the text field', async ({ assert }) => {
    await refusal(assert, () => SourceTextReader.fromPaste('  \n\u3000\n'), 'empty_text', 'text')
    await refusal(assert, () => SourceTextReader.fromPaste(null), 'empty_text', 'text')
  })

  for (const { seed } of COUNCIL_DOCUMENT_FIXTURES) {
    test(`${seed} saved as UTF-8 (with BOM, CRLF), Shift_JIS and UTF-16 reads back as the seed`, async ({
      assert,
    }) => {
      const text = await readSeed(seed)
      const crlf = text.replace(/\n/g, '\r\n')
      const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(crlf, 'utf8')])
      assert.equal(await textOf(utf8, 'seed.txt'), text)

      // Shift_JIS holds every character of the seeds.
      assert.equal(iconv.decode(iconv.encode(text, 'cp932'), 'cp932'), text)
      const sjis = await SourceTextReader.fromBuffer(iconv.encode(crlf, 'cp932'), '資料.TXT')
      assert.deepEqual(sjis, { kind: 'text', name: '資料.TXT', text })

      const utf16 = iconv.encode(crlf, 'utf-16le', { addBOM: true })
      assert.equal(await textOf(utf16, 'seed.txt'), text)
      const utf16be = Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(crlf, 'utf-16be')])
      assert.equal(await textOf(utf16be, 'seed.txt'), text)
    })
  }

  test('a text file on disk is read by fromPath with its own name', async ({ assert }) => {
    await mkdir(TMP_DIR, { recursive: true })
    const path = `${TMP_DIR}shift_jis.txt`
    await writeFile(path, iconv.encode('件名\tコールセンター業務委託について\r\n', 'cp932'))
    const source = await SourceTextReader.fromPath(path)
    assert.deepEqual(source, {
      kind: 'text',
      name: 'shift_jis.txt',
      text: '件名\tコールセンター業務委託について\n',
    })
  })

  test('a binary file named .txt and an empty file are refused', async ({ assert }) => {
    await refusal(
      assert,
      () => SourceTextReader.fromBuffer(brokenDocx(), 'notes.txt'),
      'unreadable_text'
    )
    await refusal(
      assert,
      () => SourceTextReader.fromBuffer(Buffer.from([0x41, 0x00, 0x42, 0x00, 0x43]), 'a.txt'),
      'unreadable_text'
    )
    await refusal(
      assert,
      () => SourceTextReader.fromBuffer(Buffer.alloc(0), 'empty.txt'),
      'empty_file'
    )
    await refusal(
      assert,
      () => SourceTextReader.fromBuffer(Buffer.from(' \r\n\r\n'), 'blank.txt'),
      'empty_file'
    )
  })
})

test.group('Import source: PDF and Word files of the three documents', (group) => {
  group.each.timeout(120_000)
  group.teardown(() => PdfRenderer.shutdown())

  for (const { seed, data } of COUNCIL_DOCUMENT_FIXTURES) {
    test(`${seed}: the PDF's text layer is the printed document`, async ({ assert }) => {
      const source = await SourceTextReader.fromBuffer(await pdfOf(seed), `${seed}.pdf`)
      assert.equal(source.kind, 'pdf')
      assert.equal(source.name, `${seed}.pdf`)
      assert.notInclude(source.text, '\r')
      assert.include(source.text, '\f') // pages, as parsePdfText reads them
      const flat = normalise(source.text)
      assert.include(flat, normalise(data.title))
      for (const row of data.overview) assert.include(flat, normalise(row.label))
      // The PDF read from the upload is the seed, row for row (as council:compare finds it).
      const comparison = compareCouncilDocument(source.text, await readSeed(seed))
      assert.equal(
        comparison.identical,
        comparison.total,
        formatReport(seed, comparison).join('\n')
      )
    })

    test(`${seed}: the .docx reads as the markdown form, 100 % identical to its PDF`, async ({
      assert,
    }) => {
      const source = await SourceTextReader.fromBuffer(await docxOf(seed), `${seed}.docx`)
      assert.equal(source.kind, 'docx')
      assert.isTrue(isMarkdownForm(source.text))
      assert.match(source.text, /^件名\t/m)
      assert.match(source.text, /^## 事業の概要$/m)
      assert.match(source.text, /^# 特記事項$/m)
      for (const annex of data.annexes) assert.include(source.text, `件名\t${annex.subject}\n`)

      const pdf = await SourceTextReader.fromBuffer(await pdfOf(seed), `${seed}.pdf`)
      const comparison = compareCouncilDocument(pdf.text, source.text)
      assert.isAbove(comparison.total, 30)
      assert.equal(
        comparison.identical,
        comparison.total,
        formatReport(seed, comparison).join('\n')
      )
    })

    test(`${seed}: the .docx gives the seed's 件名, labels and clauses`, async ({ assert }) => {
      const source = await SourceTextReader.fromBuffer(await docxOf(seed), `${seed}.docx`)
      const rows = parseReference(source.text)
      const seedRows = parseReference(
        await readSeed(seed),
        rows.filter((row) => row.kind === 'row').map((row) => row.label)
      )
      const keys = (list: typeof rows, kind: string) =>
        list.filter((row) => row.kind === kind).map((row) => normalise(`${row.label}|${row.value}`))
      assert.deepEqual(keys(rows, 'subject'), keys(seedRows, 'subject'))
      assert.deepEqual(keys(rows, 'row'), keys(seedRows, 'row'))
      assert.deepEqual(keys(rows, 'clause'), keys(seedRows, 'clause'))
      const comparison = compareRows(seedRows, rows)
      assert.equal(
        comparison.identical,
        comparison.total,
        formatReport(seed, comparison).join('\n')
      )
    })
  }

  test('a multi-paragraph value keeps its paragraphs as <p>…</p> on the row line', async ({
    assert,
  }) => {
    const source = await SourceTextReader.fromBuffer(
      await docxOf('001_820e07acc9fcada2.txt'),
      '001.docx'
    )
    assert.include(
      source.text,
      '委託の開始時期及び期限\t<p>現行の庁舎総合管理業務委託契約に基づき、</p> <p>平成20年3月3日 から 平成22年3月31日までとする。</p>\n'
    )
    assert.include(
      source.text,
      '\n別紙（業務委託＝個人情報の提供を伴わない委託＝個人情報の収集委託等）\n'
    )
    assert.isTrue(source.text.startsWith('平成１９年度 第７回 資料３３\n'))
  })

  test('a PDF file on disk is read by fromPath', async ({ assert }) => {
    await mkdir(TMP_DIR, { recursive: true })
    const path = `${TMP_DIR}council-001.pdf`
    await writeFile(path, await pdfOf('001_820e07acc9fcada2.txt'))
    const source = await SourceTextReader.fromPath(path, '資料33.pdf')
    assert.equal(source.kind, 'pdf')
    assert.equal(source.name, '資料33.pdf')
    assert.include(normalise(source.text), normalise(COUNCIL_001.subject))
  })

  test('a file without extension is read by its content', async ({ assert }) => {
    const pdf = await SourceTextReader.fromBuffer(await pdfOf('004_1402d2ef23b0738c.txt'), 'scan')
    assert.equal(pdf.kind, 'pdf')
    const docx = await SourceTextReader.fromBuffer(await docxOf('004_1402d2ef23b0738c.txt'), 'doc')
    assert.equal(docx.kind, 'docx')
    const text = await SourceTextReader.fromBuffer(
      Buffer.from('件名\tテスト'),
      'memo',
      'text/plain'
    )
    assert.equal(text.kind, 'text')
  })
})

test.group('Import source: bad files get a Japanese message, never a 500', (group) => {
  group.each.timeout(120_000)
  group.teardown(() => PdfRenderer.shutdown())

  test('a scanned PDF (no text layer)', async ({ assert }) => {
    await refusal(
      assert,
      async () => SourceTextReader.fromBuffer(await scannedPdf(), 'scan.pdf'),
      'pdf_without_text'
    )
    assert.include(
      i18nManager.locale('ja').t('council_imports.source.pdf_without_text'),
      '文字情報のないPDF（スキャン画像など）です。'
    )
  })

  test('an unrelated PDF is read (the draft builder is the one to refuse it)', async ({
    assert,
  }) => {
    const source = await SourceTextReader.fromBuffer(await unrelatedPdf(), 'invoice.pdf')
    assert.include(source.text, '請求書')
    assert.include(source.text, '56,000円')
  })

  test('a broken PDF', async ({ assert }) => {
    await refusal(
      assert,
      async () => SourceTextReader.fromBuffer(await brokenPdf(COUNCIL_001), 'broken.pdf'),
      'broken_pdf'
    )
  })

  test('a password-protected PDF', async ({ assert }) => {
    await refusal(
      assert,
      async () => SourceTextReader.fromBuffer(await encryptedPdf(COUNCIL_001), 'locked.pdf'),
      'pdf_encrypted'
    )
  })

  test('a PDF when pdftotext is not installed: poppler-utils, or paste the text', async ({
    assert,
  }) => {
    const pdf = await pdfOf('001_820e07acc9fcada2.txt')
    const path = process.env.PATH
    process.env.PATH = '/nonexistent'
    try {
      await refusal(assert, () => SourceTextReader.fromBuffer(pdf, 'a.pdf'), 'pdftotext_missing')
    } finally {
      process.env.PATH = path
    }
    const text = i18nManager.locale('ja').t('council_imports.source.pdftotext_missing')
    assert.include(text, 'poppler-utils')
    assert.include(text, '貼り付け')
  })

  test('a broken .docx: random bytes, or a Word file cut in half', async ({ assert }) => {
    await refusal(
      assert,
      () => SourceTextReader.fromBuffer(brokenDocx(), '資料.docx'),
      'broken_docx'
    )
    await refusal(
      assert,
      async () => SourceTextReader.fromBuffer(await truncatedDocx(COUNCIL_001), 'half.docx'),
      'broken_docx'
    )
  })

  test('a file whose name does not match its content', async ({ assert }) => {
    const docx = await docxOf('001_820e07acc9fcada2.txt')
    const pdf = await pdfOf('001_820e07acc9fcada2.txt')
    const error = await refusal(
      assert,
      () => SourceTextReader.fromBuffer(docx, '資料.pdf'),
      'type_mismatch'
    )
    assert.deepEqual(error.options.data, { extension: '.pdf' })
    await refusal(
      assert,
      () => SourceTextReader.fromBuffer(Buffer.from('件名\tテスト'), 'a.pdf'),
      'type_mismatch'
    )
    await refusal(assert, () => SourceTextReader.fromBuffer(pdf, '資料.docx'), 'type_mismatch')
    await refusal(assert, () => SourceTextReader.fromBuffer(pdf, '資料.txt'), 'type_mismatch')
    await refusal(assert, () => SourceTextReader.fromBuffer(docx, '資料.txt'), 'type_mismatch')
  })

  test('an unsupported type says which types work', async ({ assert }) => {
    for (const name of ['資料.doc', '一覧.xlsx', 'scan.png', 'archive.zip']) {
      const error = await refusal(
        assert,
        () => SourceTextReader.fromBuffer(Buffer.from('x'), name),
        'unsupported_type'
      )
      const text = i18nManager.locale('ja').t(error.messageKey, error.options.data ?? {})
      assert.include(text, 'テキスト(.txt)、PDF、Word(.docx)')
    }
    await refusal(
      assert,
      () =>
        SourceTextReader.fromBuffer(Buffer.from([0x89, 0x50, 0x4e, 0x47]), 'photo', 'image/png'),
      'unsupported_type'
    )
  })

  test('a file over 20 MB, as bytes, on disk or as an upload', async ({ assert }) => {
    const big = oversizedFile()
    assert.isAbove(big.length, MAX_SOURCE_BYTES)
    const error = await refusal(
      assert,
      () => SourceTextReader.fromBuffer(big, 'big.pdf'),
      'too_large'
    )
    assert.equal(error.status, 413)
    await mkdir(TMP_DIR, { recursive: true })
    const path = `${TMP_DIR}big.pdf`
    await writeFile(path, big)
    try {
      await refusal(assert, () => SourceTextReader.fromPath(path), 'too_large')
    } finally {
      await rm(path, { force: true })
    }
    const upload = {
      clientName: 'big.pdf',
      size: big.length,
      tmpPath: path,
      errors: [{ type: 'size', fieldName: 'file', clientName: 'big.pdf', message: 'too large' }],
    } as unknown as MultipartFile
    await refusal(assert, () => SourceTextReader.fromUpload(upload), 'too_large')
  })

  test('an upload is read from its temporary file; no file at all is refused', async ({
    assert,
  }) => {
    await mkdir(TMP_DIR, { recursive: true })
    const path = `${TMP_DIR}upload.docx`
    const docx = await docxOf('004_1402d2ef23b0738c.txt')
    await writeFile(path, docx)
    const upload = {
      clientName: '地域安全.docx',
      size: docx.length,
      tmpPath: path,
      type: 'application',
      subtype: 'zip',
      errors: [],
    } as unknown as MultipartFile
    const source = await SourceTextReader.fromUpload(upload)
    assert.equal(source.kind, 'docx')
    assert.equal(source.name, '地域安全.docx')
    assert.match(source.text, /^件名\t地域安全・安心情報のメール配信に関する業務委託について$/m)
    await refusal(assert, () => SourceTextReader.fromUpload(null), 'missing')
  })
})

test.group('Import source: Word HTML as a ward writes it', () => {
  test('numbered and bulleted lists get the markers Word draws; nested tables become tab rows', ({
    assert,
  }) => {
    const html =
      '<h1>特記事項</h1><p>（基本的事項）</p><ol><li>乙は、<strong>個人情報</strong>の保護を守る。<ol><li>氏名</li><li>住所</li></ol></li></ol>' +
      '<table><tr><td><p>保有課</p><p>(担当課)</p></td><td><p>危機管理課</p></td></tr>' +
      '<tr><td><p>件　名</p></td><td><p>A &amp; B &lt;案&gt;</p></td></tr>' +
      '<tr><td><p>記録される情報項目</p></td><td><p>1 個人の範囲</p><ul><li>区民</li><li>○職員</li></ul>' +
      '<table><tr><td><p>項目</p></td><td><p>区分</p></td></tr></table></td></tr>' +
      '<tr><td rowspan="2"><p>委託の内容</p></td><td><p>入力業務</p></td></tr>' +
      '<tr><td><p>発送業務</p></td></tr>' +
      '<tr><td></td><td><p>（以降継続）</p></td></tr>' +
      '<tr><td colspan="2"><p>別紙1</p></td></tr></table><p>一行目<br />二行目</p>'
    assert.equal(
      htmlToReferenceText(html),
      [
        '# 特記事項',
        '',
        '（基本的事項）',
        '',
        '1 乙は、個人情報の保護を守る。',
        '（1）氏名',
        '（2）住所',
        '',
        '保有課(担当課)\t危機管理課',
        '件名\tA & B <案>',
        '記録される情報項目\t<p>1 個人の範囲</p> <ul style="list-style-type: none"> <li>・区民</li> <li>○職員</li> </ul> <p>項目\t区分</p>',
        '委託の内容\t<p>入力業務</p> <p>発送業務</p> <p>（以降継続）</p>',
        '別紙1',
        '',
        '一行目',
        '二行目',
        '',
      ].join('\n')
    )
  })
})
