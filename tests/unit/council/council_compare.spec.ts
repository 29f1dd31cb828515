import { execFile } from 'node:child_process'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { test } from '@japa/runner'
import CouncilDocument from '#services/council/council_document_pdf'
import type { CouncilDocumentData } from '#services/council/council_document_data'
import PdfRenderer from '#services/pdf_renderer'
import {
  compareCouncilDocument,
  extractPdfText,
  formatReport,
  type Comparison,
} from '#services/council/compare/compare'
import { normalise } from '#services/council/compare/normalize'
import { parseReference } from '#services/council/compare/reference_parser'
import type { DocumentRow } from '#services/council/compare/rows'
import { COUNCIL_004, COUNCIL_DOCUMENT_FIXTURES } from '#tests/fixtures/council_documents'
import { COUNCIL_FAMILY, familyMarkdown } from '#tests/fixtures/council_compare_family'

const run = promisify(execFile)

const APP_ROOT = fileURLToPath(new URL('../../../', import.meta.url))
/** PDFs are left in tmp/ of the app for inspection. */
const TMP_DIR = fileURLToPath(new URL('../../../tmp/', import.meta.url))
const SEEDS_DIR = fileURLToPath(new URL('../../fixtures/seeds/', import.meta.url))

const SEED_000 = '000_7d152e217bd49c2e.txt'
const SEED_001 = '001_820e07acc9fcada2.txt'
const SEED_004 = '004_1402d2ef23b0738c.txt'

const readSeed = (name: string) => readFile(`${SEEDS_DIR}${name}`, 'utf8')

/** Renders a document to tmp/council-compare-<name>.pdf (once per name) and returns the path. */
const rendered = new Map<string, Promise<string>>()
function renderPdf(name: string, data: CouncilDocumentData): Promise<string> {
  if (!rendered.has(name)) {
    rendered.set(
      name,
      (async () => {
        await mkdir(TMP_DIR, { recursive: true })
        const file = `${TMP_DIR}council-compare-${name}.pdf`
        await writeFile(file, await PdfRenderer.render(CouncilDocument.definition(data)))
        return file
      })()
    )
  }
  return rendered.get(name)!
}

async function pdfText(name: string, data: CouncilDocumentData): Promise<string> {
  return extractPdfText(await renderPdf(name, data))
}

const byKind = (rows: DocumentRow[], kind: DocumentRow['kind']) =>
  rows.filter((row) => row.kind === kind)
const rowOf = (rows: DocumentRow[], label: string, section?: string) =>
  rows.find(
    (row) => normalise(row.label) === normalise(label) && (!section || row.section === section)
  )
const differing = (comparison: Comparison) => comparison.rows.filter((row) => !row.identical)

/** The fixture PDFs reproduce their seeds row for row. */
const FLOORS: Record<string, { identical: number; differing: number }> = {
  [SEED_000]: { identical: 48, differing: 0 },
  [SEED_001]: { identical: 39, differing: 0 },
  [SEED_004]: { identical: 35, differing: 0 },
}

test.group('council:compare normalisation', () => {
  test('width, whitespace, HTML, markdown emphasis and the elision mark do not count', ({
    assert,
  }) => {
    assert.equal(normalise('<p>第１４条　第１項（業務委託）</p>'), '第14条第1項(業務委託)')
    assert.equal(normalise('<ol style="list-style-type: none"> <li>1 契約</li> </ol>'), '1契約')
    assert.equal(normalise('**(業務に関する報告)**'), '(業務に関する報告)')
    assert.equal(normalise('回答依頼することとする。\n ：：：'), '回答依頼することとする。')
    assert.equal(
      normalise('情報公開･個人情報保護審議会'),
      normalise('情報公開・個人情報保護審議会')
    )
    assert.equal(normalise('ＡＢＣ&amp;ｄ'), 'ABC&d')
    assert.notEqual(normalise('第1項'), normalise('第2項'))
  })
})

test.group('council:compare reference parsing', () => {
  test('seed 000 (markdown form): cover, overview, two annexes, 16 clauses', async ({ assert }) => {
    const rows = parseReference(await readSeed(SEED_000))
    assert.lengthOf(rows, 48)
    assert.lengthOf(byKind(rows, 'cover'), 7)
    assert.lengthOf(byKind(rows, 'subject'), 3)
    assert.lengthOf(byKind(rows, 'row'), 5 + 7 + 10)
    assert.lengthOf(byKind(rows, 'clause'), 16)
    assert.deepEqual(
      byKind(rows, 'cover').map((row) => row.label),
      ['表題', '内容', '条例の根拠', '区分', '条項', '区分', '条項']
    )
    assert.equal(rowOf(rows, '委託先', '別紙2')?.value, '未定(6月に特命随契で事業者を指定する予定)')
    assert.equal(
      byKind(rows, 'subject')[2].value,
      '新宿区コールセンターFAQシステム及び新宿区区民意見システムの再構築に係る業務の委託について'
    )
    const clauses = byKind(rows, 'clause')
    assert.equal(clauses[4].label, '(収集禁止事項)')
    assert.include(
      normalise(clauses[4].value),
      '(4)その他区民の個人的秘密が侵害されるおそれがあると甲が認めた事項'
    )
    // Clause 10 continues after the seed's page break; 11 is headed by '**(業務に関する報告)**'.
    assert.include(normalise(clauses[9].value), '乙の電子計算機を使用した場合には')
    assert.equal(clauses[10].label, '(業務に関する報告)')
    assert.match(clauses[15].value, /^16 乙は、第1項から第14項まで/)
  })

  test('seed 004 (markdown form): contact row, 付属資料 skipped, label with spaces', async ({
    assert,
  }) => {
    const rows = parseReference(await readSeed(SEED_004))
    assert.lengthOf(rows, 35)
    const contact = rowOf(rows, '担当部課')
    assert.equal(
      normalise(contact!.value),
      normalise('（担当部課：区長室危機管理課）担当係 危機管理 担当者 福田 内線（2473）')
    )
    assert.equal(normalise(rowOf(rows, '保有課(担当課)')!.label), '保有課(担当課)')
    assert.isFalse(rows.some((row) => row.value.includes('情報ネットイメージ')))
    assert.lengthOf(byKind(rows, 'clause'), 13)
  })

  test('seed 001 (plain extraction): labels over several lines, captions, 件 / 名, elision', async ({
    assert,
  }) => {
    const rows = parseReference(await readSeed(SEED_001))
    assert.lengthOf(rows, 39)
    assert.deepEqual(
      byKind(rows, 'cover').map((row) => row.label),
      ['資料', '表題', '内容', '条例の根拠', '区分', '条項', '担当部課']
    )
    assert.equal(byKind(rows, 'subject')[0].value, 'コールセンター業務委託について')
    assert.lengthOf(byKind(rows, 'caption'), 3)
    assert.match(byKind(rows, 'caption')[0].value, /^別紙\(業務委託=/)
    // '保有課 ' / '(担当課) ' / '区長室区政情報課'
    assert.equal(rowOf(rows, '保有課(担当課)')?.value, '区長室区政情報課')
    assert.equal(rowOf(rows, '目的')?.label, '目 的')
    const items = rowOf(rows, '委託に伴い事業者に処理させる情報項目（だれの、どのような項目か）')
    assert.match(items!.value, /^問合せをした方の/)
    assert.match(
      normalise(rowOf(rows, '委託にあたり区が行う情報保護対策')!.value),
      /^1契約変更にあたり、別紙「特記事項」を付す。2/
    )
    // The '：：：' elision is not part of 事業内容.
    assert.match(normalise(rowOf(rows, '事業内容')!.value), /回答依頼することとする。$/)
    const clauses = byKind(rows, 'clause')
    assert.lengthOf(clauses, 13)
    assert.include(
      normalise(clauses[12].value),
      '損害を与えたときは、その損害を賠償するものとする。'
    )
  })
})

test.group('council:compare round trip of the fixture PDFs', (group) => {
  group.each.timeout(60_000)
  group.teardown(() => PdfRenderer.shutdown())

  for (const { seed, data } of COUNCIL_DOCUMENT_FIXTURES) {
    test(`${seed}: the PDF of the hand-built fixture against the seed`, async ({ assert }) => {
      const comparison = compareCouncilDocument(
        await pdfText(seed.slice(0, 3), data),
        await readSeed(seed)
      )
      console.log(formatReport(seed, comparison).join('\n'))
      const floor = FLOORS[seed]
      assert.isAtLeast(comparison.identical, floor.identical)
      assert.isAtMost(comparison.total - comparison.identical, floor.differing)
    })
  }
})

test.group('council:compare catches differences', (group) => {
  group.each.timeout(60_000)
  group.teardown(() => PdfRenderer.shutdown())

  const compare004 = async (reference: string) =>
    compareCouncilDocument(await pdfText('004', COUNCIL_004), reference)

  test('one changed character in a value of the reference', async ({ assert }) => {
    const seed = await readSeed(SEED_004)
    const base = await compare004(seed)
    const mutated = await compare004(
      seed.replace('入札により決定した委託業者', '入札により決定した受託業者')
    )
    assert.equal(mutated.identical, base.identical - 1)
    assert.equal(mutated.total, base.total)
    const row = differing(mutated).find((candidate) => candidate.label === '委託先')
    assert.exists(row)
    assert.match(
      formatReport(SEED_004, mutated).join('\n'),
      /委託先: expected «.*受託業者» got «.*委託業者»/
    )
  })

  test('a row missing from the reference is an extra row of the PDF', async ({ assert }) => {
    const seed = await readSeed(SEED_004)
    const base = await compare004(seed)
    const mutated = await compare004(seed.replace(/^委託理由\t.*\n/m, ''))
    assert.equal(mutated.identical, base.identical - 1)
    const row = differing(mutated).find((candidate) => candidate.label === '委託理由')
    assert.isNull(row?.expected)
  })

  test('a changed label', async ({ assert }) => {
    const seed = await readSeed(SEED_004)
    const base = await compare004(seed)
    const mutated = await compare004(seed.replace('\n委託の内容\t', '\n委託内容\t'))
    assert.equal(mutated.identical, base.identical - 1)
    const row = differing(mutated).find((candidate) => candidate.label === '委託内容')
    assert.equal(row?.actualLabel, '委託の内容')
    assert.equal(normalise(row!.expected!), normalise(row!.actual!))
  })

  test('a clause missing from the reference', async ({ assert }) => {
    const seed = await readSeed(SEED_004)
    const base = await compare004(seed)
    const reference = seed.replace(
      '## (監査)\n\n9 乙は、甲の立入調査等による監査を受けるものとする。\n',
      ''
    )
    assert.notEqual(reference, seed)
    const mutated = await compare004(reference)
    assert.equal(mutated.identical, base.identical - 1)
    assert.exists(differing(mutated).find((row) => row.kind === 'clause' && row.label === '(監査)'))
  })

  test('the plain-extraction form: a changed character, a missing clause, a changed label', async ({
    assert,
  }) => {
    const seed = await readSeed(SEED_001)
    const text = await pdfText('001', COUNCIL_DOCUMENT_FIXTURES[1].data)
    const base = compareCouncilDocument(text, seed)
    const mutations = [
      seed.replace('三幸株式会社', '三幸株式会杜'),
      seed.replace(/（監査）\s*\n\s*９ 乙は、甲の立入調査等による監査を受けるものとする。/, ''),
      seed.replace('\n委託理由 \n', '\n委託の事由 \n'),
    ]
    for (const reference of mutations) assert.notEqual(reference, seed)
    const [changed, clause, label] = mutations.map((reference) =>
      compareCouncilDocument(text, reference)
    )
    assert.equal(changed.identical, base.identical - 1)
    assert.equal(clause.identical, base.identical - 1)
    assert.isBelow(label.identical, base.identical)
  })

  test('differences in the PDF: a changed value, a dropped row, a dropped clause', async ({
    assert,
  }) => {
    const seed = await readSeed(SEED_004)
    const base = await compare004(seed)
    // The clause set may hang on the annex or on the document (older layout): drop clause 9 in both.
    const withoutClause9 = <T extends { clauses: Array<{ number: number }> }>(terms: T): T => ({
      ...terms,
      clauses: terms.clauses.filter((clause) => clause.number !== 9),
    })
    const mutatedData: CouncilDocumentData = {
      ...COUNCIL_004,
      annexes: COUNCIL_004.annexes.map((annex) => ({
        ...annex,
        rows: annex.rows
          .filter((row) => row.label !== '委託理由')
          .map((row) =>
            row.label === '委託先' ? { ...row, value: '入札により決定した委託業社' } : row
          ),
        specialTerms: annex.specialTerms ? withoutClause9(annex.specialTerms) : annex.specialTerms,
      })),
      specialTerms: COUNCIL_004.specialTerms?.map(withoutClause9),
    }
    const mutated = compareCouncilDocument(await pdfText('004-mutated', mutatedData), seed)
    assert.equal(mutated.identical, base.identical - 3)
    const rows = differing(mutated)
    assert.equal(rows.find((row) => row.label === '委託先')?.actual, '入札により決定した委託業社')
    assert.isNull(rows.find((row) => row.label === '委託理由')?.actual)
    assert.isNull(rows.find((row) => row.kind === 'clause' && row.label === '(監査)')?.actual)
  })
})

test.group('council:compare on the wider family', (group) => {
  group.each.timeout(60_000)
  group.teardown(() => PdfRenderer.shutdown())

  test('captions, a table in a value, page breaks, terms after each annex, 30 + 5 clauses', async ({
    assert,
  }) => {
    const text = await pdfText('family', COUNCIL_FAMILY)
    const markdown = compareCouncilDocument(text, familyMarkdown())
    console.log(formatReport('family (markdown reference)', markdown).join('\n'))
    assert.equal(markdown.identical, markdown.total)
    assert.equal(markdown.total, 80)

    const rows = markdown.rows
    assert.lengthOf(
      rows.filter((row) => row.kind === 'caption'),
      2
    )
    assert.lengthOf(
      rows.filter((row) => row.kind === 'clause'),
      35
    )
    // Clauses sharing the previous clause's heading print none, on both sides.
    assert.deepEqual(
      rows
        .filter((row) => row.kind === 'clause' && row.label === '' && row.section === '特記事項1')
        .map((row) => row.expected!.split(' ')[0]),
      ['3', '8', '12', '16', '22', '27']
    )
    assert.isTrue(rows.some((row) => row.section === '別紙3' && row.label === '再委託先'))
  })

  test('the same document as a plain text extraction (form b) and as plain -layout text', async ({
    assert,
  }) => {
    const file = await renderPdf('family', COUNCIL_FAMILY)
    const { stdout: raw } = await run('pdftotext', ['-raw', '-enc', 'UTF-8', file, '-'], {
      maxBuffer: 16 * 1024 * 1024,
    })
    const plain = compareCouncilDocument(await extractPdfText(file), raw)
    assert.equal(plain.identical, plain.total)
    assert.equal(plain.total, 80)

    const { stdout: layout } = await run('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], {
      maxBuffer: 16 * 1024 * 1024,
    })
    const unfixed = compareCouncilDocument(layout, familyMarkdown())
    assert.equal(unfixed.identical, unfixed.total)
  })
})

test.group('node ace council:compare', (group) => {
  group.each.timeout(120_000)
  group.teardown(() => PdfRenderer.shutdown())

  test('prints document: identical/total rows and each differing row', async ({ assert }) => {
    const pdf = await renderPdf('004', COUNCIL_004)
    const expected = compareCouncilDocument(await extractPdfText(pdf), await readSeed(SEED_004))
    const { stdout } = await run(
      'node',
      ['ace', 'council:compare', pdf, `${SEEDS_DIR}${SEED_004}`],
      {
        cwd: APP_ROOT,
        maxBuffer: 16 * 1024 * 1024,
      }
    )
    const lines = stdout.trimEnd().split('\n')
    assert.equal(lines[0], `${SEED_004}: ${expected.identical}/${expected.total} rows`)
    assert.match(lines[0], /^004_1402d2ef23b0738c\.txt: \d+\/\d+ rows$/)
    assert.lengthOf(lines, 1 + expected.total - expected.identical)
  })

  test('exits 1 with a message when a file cannot be read', async ({ assert }) => {
    const error = await run(
      'node',
      ['ace', 'council:compare', `${TMP_DIR}no-such.pdf`, `${SEEDS_DIR}${SEED_004}`],
      {
        cwd: APP_ROOT,
      }
    ).then(
      () => null,
      (failure) => failure
    )
    assert.equal(error?.code, 1)
    assert.match(`${error?.stdout}${error?.stderr}`, /pdftotext could not read .*no-such\.pdf/)
  })
})
