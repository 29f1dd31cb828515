import { readdirSync, readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from '@japa/runner'
import CouncilDocumentReader from '#services/council/import/draft_builder'
import {
  compareCouncilDocument,
  extractPdfText,
  formatReport,
} from '#services/council/compare/compare'
import CouncilDocument from '#services/council/council_document_pdf'
import PdfRenderer from '#services/pdf_renderer'
import { lineUsage } from '#services/council/import/line_usage'
import { noMatches, roundTrip, templates } from './reader_support.js'

/**
 * Council documents of the ward family other than the seeds (tests/fixtures/import/variants/,
 * written by hand the way a ward's documents differ from one another: more clauses, 第N条
 * articles, several contracts, a subcontract with its approval, 法人番号, other wordings of
 * undecided contractors, periods and measures, items grouped or in a table, rows the template
 * does not model, both text forms). Each is read, printed as the register would and compared
 * with its own rows, and every source line must be used by the printed document.
 */

const DIRECTORY = new URL('../../fixtures/import/variants/', import.meta.url)
const VARIANTS = readdirSync(DIRECTORY)
  .filter((name) => name.endsWith('.txt'))
  .sort()

const variant = (name: string) => readFileSync(new URL(name, DIRECTORY), 'utf8')

/**
 * The least share of identical rows each variant must reach: 1 where the register can express
 * the whole document as written (every variant so far).
 */
const MINIMUM: Record<string, number> = {}

/**
 * The same through the PDF (pdftotext and the PDF parser): a table written inside a cell
 * ('区分<TAB>項目' lines) makes the PDF parser split the cell's long label over two rows.
 */
const MINIMUM_PDF: Record<string, number> = { '04_md_bicycle_two_contracts.txt': 0.9 }

/** As the checker does: the document's PDF, its text (pdftotext), `council:compare` with the source. */
async function pdfRoundTrip(text: string) {
  const { data } = roundTrip(text)
  const directory = await mkdtemp(join(tmpdir(), 'daicho-variants-'))
  try {
    const file = join(directory, 'document.pdf')
    await writeFile(file, await PdfRenderer.render(CouncilDocument.definition(data)))
    return compareCouncilDocument(await extractPdfText(file), text)
  } finally {
    await rm(directory, { recursive: true, force: true })
  }
}

test.group('Council document reader: variants of the ward family', () => {
  test('{$self} prints back identical, row for row')
    .with(VARIANTS)
    .run(({ assert }, name) => {
      const text = variant(name)
      const { reading, comparison } = roundTrip(text)
      const [score, ...differences] = formatReport(name, comparison)
      const kept = reading.draft.remarks.map(
        (remark) =>
          `${remark.section} ${remark.message} ${Object.values(remark.data ?? {}).join(' ')}`
      )
      console.log(
        `${name.replace(/\.txt$/, '')}: ${comparison.identical}/${comparison.total}, remarks ${kept.length}`
      )
      for (const line of kept) console.log(`  ${line.slice(0, 100)}`)
      if (process.env.DUMP) {
        console.log(score)
        for (const line of differences) console.log(line)
        console.log(JSON.stringify(reading.draft, null, 1))
      }
      assert.isAbove(comparison.total, 20)
      assert.isAtLeast(
        comparison.identical / comparison.total,
        MINIMUM[name] ?? 1,
        differences.join('\n')
      )
    })

  test('{$self}: its PDF, read back by pdftotext, compares as the source (council:compare)')
    .with(VARIANTS)
    .run(async ({ assert }, name) => {
      const comparison = await pdfRoundTrip(variant(name))
      const [, ...differences] = formatReport(name, comparison)
      console.log(
        `${name.replace(/\.txt$/, '')} (PDF): ${comparison.identical}/${comparison.total}`
      )
      if (process.env.DUMP) for (const line of differences) console.log(line)
      assert.isAtLeast(
        comparison.identical / comparison.total,
        MINIMUM_PDF[name] ?? MINIMUM[name] ?? 1,
        differences.join('\n')
      )
    })
    .timeout(60_000)

  test('{$self}: every source line is used by the printed document')
    .with(VARIANTS)
    .run(({ assert }, name) => {
      const text = variant(name)
      const { printed } = roundTrip(text)
      const unused = lineUsage(text, printed)
        .lines.filter((line) => !line.used && !line.structural)
        .map((line) => `${line.number}: ${line.text.trim()}`)
      assert.deepEqual(unused, [])
    })
})

test.group('Council document reader: what the variants put in the register', () => {
  const read = (name: string) =>
    CouncilDocumentReader.reading(variant(name), noMatches, templates).draft
  const contracts = (name: string) =>
    read(name).annexes.flatMap((annex) => (annex.kind === 'contract' ? [annex.contract] : []))

  test('a contractor with 法人番号, a subcontract with its approval and its own terms', ({
    assert,
  }) => {
    const draft = read('01_md_tax_subcontract.txt')
    const [contract, subcontract] = contracts('01_md_tax_subcontract.txt')
    assert.deepInclude(contract.contractor!, {
      name: '株式会社新宿情報サービス',
      corporateNumber: '6011101012349',
    })
    assert.deepEqual(contract.media, ['paper', 'electronic'])
    assert.equal(contract.mediaDetails.electronic, '（USBメモリ（暗号化））')
    assert.deepEqual(
      [...new Set(contract.items.map((item) => item.groupHeading))],
      ['【申告者】', '【扶養親族】']
    )
    assert.equal(subcontract.parentAnnex, 0)
    assert.equal(subcontract.contractor?.name, '株式会社データエントリー東京')
    // Its 法人番号 fails the check digit: left out, and the officer is told.
    assert.isNull(subcontract.contractor?.corporateNumber)
    assert.deepInclude(draft.remarks, {
      section: '別紙2',
      message: 'corporate_number_invalid',
      data: { number: '3011001098765' },
    })
    assert.equal(subcontract.approvedOn, '2024-04-01')
    assert.equal(subcontract.approvedBy, '区長')
    assert.lengthOf(draft.termSets, 2)
    assert.lengthOf(draft.termSets[0].clauses, 24)
    assert.equal(draft.termSets[1].appliesTo, 'subcontractor')
    assert.deepEqual(
      draft.item.basis.map((basis) => basis.articles),
      [['◇第14条第1項（業務委託）', '第14条第2項（再委託）']]
    )
    assert.equal(draft.item.documentNumber, '令和６年度 第２回 資料５－１')
  })

  test('an undecided contractor chosen by proposal; a period from the signing of the contract', ({
    assert,
  }) => {
    const draft = read('02_md_nursery_proposal.txt')
    assert.deepEqual(draft.system.subjectGroups, [
      '保育園の入園を申し込む保護者',
      '入園を申し込む児童',
      '同居の親族',
    ])
    const [contract] = contracts('02_md_nursery_proposal.txt')
    assert.isNull(contract.contractor)
    assert.equal(contract.selectionMethod, 'proposal')
    assert.equal(contract.undecidedNote, 'プロポーザル方式により選定予定')
    assert.lengthOf(contract.contractorMeasures, 3)
  })

  test('periods without a start date, measures numbered otherwise than the template', ({
    assert,
  }) => {
    const [nursery] = contracts('02_md_nursery_proposal.txt')
    assert.deepInclude(nursery, {
      periodType: 'fixed',
      periodLead: '契約締結日から',
      startsOn: null,
      endsOn: '2025-03-31',
    })
    const [parking] = contracts('09_plain_parking_permit.txt')
    assert.deepInclude(parking, {
      periodType: 'renewed_yearly',
      periodLead: '令和６年度から',
      periodNote: '毎年度更新',
    })
    // '１．' is not the template's '1 ': the measures keep their own numbers.
    const [meal] = contracts('03_plain_meal_yearly.txt')
    assert.equal(meal.wardMeasures[0], '１．契約にあたり、別紙「特記事項」を付す。')
    const [checkup] = contracts('06_md_health_checkup.txt')
    assert.deepEqual(checkup.media, ['electronic'])
    assert.equal(checkup.mediaDetails.electronic, '（USBメモリ（暗号化））')
    assert.deepEqual(
      checkup.items.map((item) => item.name),
      ['氏名', '住所', '生年月日', '性別', '電話番号', '受診希望日']
    )
  })

  test('items in groups: 【…】 lines and a table inside the cell', ({ assert }) => {
    const [childcare] = contracts('08_md_childcare_support.txt')
    assert.equal(childcare.items[0].direction, 'collected')
    assert.deepEqual(
      childcare.items.map((item) => `${item.groupHeading}${item.name}`).slice(5, 8),
      ['【利用会員】子どものアレルギーの有無', '【協力会員】氏名', '【協力会員】住所']
    )
    assert.isNull(childcare.itemsNote)
    const [removal] = contracts('04_md_bicycle_two_contracts.txt')
    assert.equal(removal.subjectsText, '撤去された自転車の所有者の\n区分\t項目')
    assert.deepEqual(
      removal.items.map((item) => `${item.groupHeading}:${item.name}`),
      ['所有者:氏名', '所有者:住所', '所有者:電話番号', '自転車:防犯登録番号', '自転車:車体番号']
    )
  })

  test('periods renewed every year, several contracts sharing one set', ({ assert }) => {
    const [meal] = contracts('03_plain_meal_yearly.txt')
    assert.equal(meal.periodType, 'renewed_yearly')
    assert.equal(meal.startsOn, '2024-04-01')
    assert.deepEqual(meal.media, ['paper'])
    const shared = contracts('04_md_bicycle_two_contracts.txt')
    assert.lengthOf(shared, 2)
    assert.deepEqual(
      shared.map((contract) => contract.termSet),
      [0, 0]
    )
    assert.equal(shared[0].endsOn, '2026-03-31')
  })
})
