import { readFileSync } from 'node:fs'
import { test } from '@japa/runner'
import CouncilDocumentReader, { type ReaderMatches } from '#services/council/import/draft_builder'
import { formatReport } from '#services/council/compare/compare'
import SourceTextReader from '#services/council/import/source_text'
import { COUNCIL_000, COUNCIL_001, COUNCIL_004 } from '../../fixtures/council_documents.js'
import { familyMarkdown } from '../../fixtures/council_compare_family.js'
import { councilDocx, councilPdf } from '../../fixtures/import/source_files.js'
import { noMatches, roundTrip, templates } from './reader_support.js'

const SEEDS = ['000_7d152e217bd49c2e.txt', '001_820e07acc9fcada2.txt', '004_1402d2ef23b0738c.txt']

const seed = (name: string) =>
  readFileSync(new URL(`../../fixtures/seeds/${name}`, import.meta.url), 'utf8')

test.group('Council document reader: the seeds', () => {
  test('{$self} prints back identical, row for row')
    .with(SEEDS)
    .run(({ assert }, name) => {
      const { reading, comparison } = roundTrip(seed(name))
      if (process.env.DUMP) console.log(JSON.stringify(reading.draft, null, 1))
      const [, ...differences] = formatReport(name, comparison)
      assert.isAbove(comparison.total, 30)
      assert.equal(comparison.identical, comparison.total, differences.join('\n'))
    })
})

test.group('Council document reader: other forms of the documents', () => {
  test('{$self}: the PDF of the document and its Word file print back identical')
    .with(['000', '001', '004'] as const)
    .run(async ({ assert }, name) => {
      const data = { '000': COUNCIL_000, '001': COUNCIL_001, '004': COUNCIL_004 }[name]
      for (const [kind, file] of [
        ['pdf', await councilPdf(data)],
        ['docx', await councilDocx(data)],
      ] as const) {
        const source = await SourceTextReader.fromBuffer(file, `${name}.${kind}`)
        const { comparison } = roundTrip(source.text, noMatches, source.kind)
        const [, ...differences] = formatReport(`${name}.${kind}`, comparison)
        assert.isAbove(comparison.total, 30)
        assert.equal(comparison.identical, comparison.total, differences.join('\n'))
      }
    })

  test('a document of the family: subcontract, extra rows, shared headings, 第N条 clauses', ({
    assert,
  }) => {
    const text = familyMarkdown()
    const { reading, comparison } = roundTrip(text)
    const [score, ...differences] = formatReport('family', comparison)
    console.log(score)
    for (const line of differences) console.log(line)
    assert.isAtLeast(comparison.identical / comparison.total, 0.9)
    const contracts = reading.draft.annexes.filter((annex) => annex.kind === 'contract')
    assert.isTrue(contracts.some((annex) => annex.contract.parentAnnex !== null))
  })
})

test.group('Council document reader: the register values', () => {
  test('000: the system with its groups, items and computer; an undecided contract', ({
    assert,
  }) => {
    const { draft } = CouncilDocumentReader.reading(seed(SEEDS[0]), noMatches, templates)
    assert.deepEqual(draft.item.basis, [
      {
        kind: 'consultation',
        articles: ['◇第16条第1項本文（電子計算機による個人情報の処理開発、変更）'],
      },
      { kind: 'report', articles: ['◇第14条第1項（業務委託）'] },
    ])
    assert.equal(draft.system.name, 'コールセンター及び区民意見システム')
    assert.lengthOf(draft.system.subjectGroups, 3)
    assert.isTrue(draft.system.subjectGroups[0].startsWith('区長への投書'))
    assert.deepEqual(
      draft.system.dataItems.map((item) => item.name + (item.note ?? '')),
      [
        'ID',
        'パスワード',
        '氏名',
        '郵便番号',
        '住所',
        '電話番号',
        'メールアドレス(ID登録用)',
        'FAX番号',
        '意見等の内容',
        '回答内容',
      ]
    )
    assert.match(draft.system.recordingComputer!, /^情報政策課が管理する統合基盤上/)
    const [systemAnnex, contractAnnex] = draft.annexes
    assert.equal(systemAnnex.kind, 'system')
    assert.equal(contractAnnex.kind, 'contract')
    if (contractAnnex.kind !== 'contract') return
    const contract = contractAnnex.contract
    assert.isNull(contract.contractor)
    assert.equal(contract.undecidedNote, '未定(6月に特命随契で事業者を指定する予定)')
    assert.equal(contract.selectionMethod, 'tokumei')
    assert.lengthOf(contract.tasks, 2)
    assert.equal(contract.startsOn, '2013-06-01')
    assert.equal(contract.startsOnPrecision, 'month')
    assert.equal(contract.endsOn, '2014-03-31')
    assert.lengthOf(contract.wardMeasures, 3)
    assert.equal(contract.wardMeasures[0], '契約にあたり、別紙「特記事項」を付す。')
    assert.equal(contract.termSet, 0)
    assert.lengthOf(draft.termSets[0].clauses, 16)
    assert.deepEqual(draft.termSets[0].clauses[4].items[0], '(1) 思想、信条及び宗教に関する事項')
    // The document's own characters, not their NFKC form.
    assert.include(draft.termSets[0].clauses[0].body, '（以下「業務」という。）')
  })

  test('001: a PDF extraction: the contractor, period with lead and note, full-width text kept', ({
    assert,
  }) => {
    const matches: ReaderMatches = {
      ...noMatches,
      department: (name) =>
        ['区政情報課', '区長室区政情報課'].includes(name)
          ? { id: 7, name: '区政情報課', parentName: '区長室' }
          : null,
      contractor: (name) => (name === '三幸株式会社' ? { id: 3, name: '三幸株式会社' } : null),
    }
    const { draft } = CouncilDocumentReader.reading(seed(SEEDS[1]), matches, templates)
    assert.deepEqual(draft.department, { name: '区政情報課', id: 7 })
    assert.isNull(draft.item.departmentLabel)
    assert.equal(draft.item.documentNumber, '平成１９年度 第７回 資料３３')
    assert.equal(draft.item.contactPerson, '梅澤')
    assert.equal(draft.item.contactExtension, '２１５２')
    const annex = draft.annexes[0]
    assert.equal(annex.kind, 'contract')
    if (annex.kind !== 'contract') return
    assert.equal(annex.wording.holderLabel, '区長室区政情報課')
    assert.lengthOf(annex.wording.captions, 3)
    assert.deepEqual(annex.contract.contractor, {
      name: '三幸株式会社',
      id: 3,
      corporateNumber: null,
    })
    assert.equal(annex.contract.periodLead, '現行の庁舎総合管理業務委託契約に基づき、')
    assert.equal(annex.contract.startsOn, '2008-03-03')
    assert.equal(annex.contract.endsOn, '2010-03-31')
    assert.equal(annex.contract.periodNote, 'とする。')
    assert.equal(annex.contract.itemsLayout, 'bullets')
    assert.equal(annex.contract.subjectsText, '問合せをした方の')
    assert.deepEqual(
      annex.contract.items.map((item) => item.name + (item.note ?? '')),
      [
        '氏名',
        '開庁時に連絡がとれる電話番号',
        '問合せ内容',
        '住所（必要な場合のみ）',
        'Ｅメールアドレス（必要な場合のみ）',
        'ＦＡＸ番号（必要な場合のみ）',
      ]
    )
    assert.equal(
      annex.contract.wardMeasures[1],
      'オペレーターの端末操作にあたり、ユーザーＩＤ及びパスワードによる認証を行い、セキュリティの徹底を図る。'
    )
    assert.lengthOf(draft.termSets[0].clauses, 13)
  })

  test('004: a tender still to come, items listed under a numbered heading, an open period', ({
    assert,
  }) => {
    const { draft } = CouncilDocumentReader.reading(seed(SEEDS[2]), noMatches, templates)
    assert.deepEqual(draft.department, { name: '区長室危機管理課', id: null })
    assert.isNull(draft.item.departmentLabel)
    assert.deepEqual(
      draft.remarks.map((remark) => remark.message),
      ['department_new']
    )
    const annex = draft.annexes[0]
    if (annex.kind !== 'contract') return assert.fail('a contract annex')
    assert.equal(annex.wording.holderLabel, '危機管理課')
    assert.equal(annex.contract.undecidedNote, '入札により決定した委託業者')
    assert.equal(annex.contract.selectionMethod, 'nyusatsu')
    assert.equal(annex.contract.periodType, 'open_ended')
    assert.equal(annex.contract.startsOn, '2007-09-01')
    assert.deepEqual(
      annex.contract.items.map((item) => item.name),
      [
        'メールアドレス',
        'パスワード',
        '配信を希望する情報のカテゴリー',
        '登録者へのメール送信の情報',
      ]
    )
    assert.equal(annex.contract.items[0].groupHeading, '2 処理を依頼する個人情報の項目')
    assert.equal(annex.contract.itemsNote, '3 記録するコンピュータ 委託業者のコンピュータ')
  })

  test('a text that is no council document is refused with a Japanese message', ({ assert }) => {
    for (const text of ['請求書\n合計金額 10,000円\n振込先 ○○銀行', 'こんにちは']) {
      assert.throws(
        () => CouncilDocumentReader.reading(text, noMatches, templates),
        /council_imports\.errors\.not_a_council_document|審議会資料/
      )
    }
  })

  test('a row the register cannot print as written is kept as written, with a remark', ({
    assert,
  }) => {
    // A period without dates and media the register has no word for stay as written.
    const text = seed(SEEDS[2])
      .replace('平成19年9月1日 から(以降継続)', '平成19年度から当面の間')
      .replace('委託理由\t', '処理させる情報項目の記録媒体\t光ディスク及び磁気テープ\n委託理由\t')
    const { reading, comparison } = roundTrip(text)
    assert.equal(comparison.identical, comparison.total)
    assert.isTrue(
      reading.draft.remarks.some(
        (remark) => remark.message.endsWith('_unread') || remark.message === 'row_kept_as_written'
      )
    )
  })
})
