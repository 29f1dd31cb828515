import { test } from '@japa/runner'
import { compareCouncilDocument } from '#services/council/compare/compare'

/**
 * council:compare with rows the templates do not model (an item's extra rows): a label outside
 * the known vocabulary is still one row, in the PDF text and in either form of reference.
 */

// What `pdftotext -layout -fixed 5.25` prints for an overview and an annex with extra rows.
const PDF_TEXT = [
  '          情報公開・個人情報保護審議会 諮問・報告事項',
  '',
  ' 件    名   コールセンター業務委託について',
  '',
  '事業の概要',
  '',
  '根拠法令            新宿区個人情報保護条例',
  '                第14条第1項',
  '',
  '事業名             区民意見システム',
  '',
  '目的              区民からの申請を処理する。',
  '',
  '\f別紙1',
  '',
  '      件名         コールセンター業務委託',
  '',
  '委託先              三幸株式会社',
  '',
  '委託先の選定方法         ・ 公募型プロポーザル方式により選定する。',
  '                 ・ 選定委員会：区長室長ほか４名',
  '',
  '再委託の有無           無',
  '',
  '委託理由             専門的な知識が必要なため',
  '',
  '備考               契約は単年度',
  '',
].join('\n')

const MARKDOWN_REFERENCE = [
  '情報公開・個人情報保護審議会 諮問・報告事項',
  '件名\tコールセンター業務委託について',
  '## 事業の概要',
  '根拠法令\t<p>新宿区個人情報保護条例</p> <p>第14条第１項</p>',
  '事業名\t区民意見システム',
  '目的\t区民からの申請を処理する。',
  '## 件名 コールセンター業務委託',
  '委託先\t三幸株式会社',
  '委託先の選定方法\t<p>・公募型プロポーザル方式により選定する。</p> <p>・選定委員会：区長室長ほか４名</p>',
  '再委託の有無\t無',
  '委託理由\t専門的な知識が必要なため',
  '備考\t契約は単年度',
].join('\n\n')

const rowOf = (comparison: ReturnType<typeof compareCouncilDocument>, label: string) =>
  comparison.rows.find((row) => row.label === label)

test.group('council:compare: rows not in the template', () => {
  test('a markdown-ish reference (label<TAB>value) with unknown labels: every row identical', ({
    assert,
  }) => {
    const comparison = compareCouncilDocument(PDF_TEXT, MARKDOWN_REFERENCE)
    for (const label of ['根拠法令', '委託先の選定方法', '再委託の有無', '備考']) {
      assert.isTrue(rowOf(comparison, label)?.identical, label)
    }
    assert.equal(comparison.identical, comparison.total)
  })

  test('an extra row whose value differs counts as one differing row, not as a shifted table', ({
    assert,
  }) => {
    const comparison = compareCouncilDocument(
      PDF_TEXT,
      MARKDOWN_REFERENCE.replace('再委託の有無\t無', '再委託の有無\t有')
    )
    assert.isFalse(rowOf(comparison, '再委託の有無')?.identical)
    assert.equal(comparison.identical, comparison.total - 1)
  })

  test('a reference missing the extra row: the PDF row is one extra row, the others stay identical', ({
    assert,
  }) => {
    const comparison = compareCouncilDocument(
      PDF_TEXT,
      MARKDOWN_REFERENCE.replace('\n\n備考\t契約は単年度', '')
    )
    assert.equal(comparison.total - comparison.identical, 1)
    assert.isNull(rowOf(comparison, '備考')?.expected)
  })
  test('a plain-text reference (extracted from a PDF): unknown labels are found from the PDF being compared', ({
    assert,
  }) => {
    const plain = [
      '情報公開・個人情報保護審議会 諮問・報告事項',
      '件',
      '名',
      'コールセンター業務委託について',
      ' 事業の概要',
      '根拠法令 新宿区個人情報保護条例',
      '第14条第１項',
      '事業名 区民意見システム',
      '目的 区民からの申請を処理する。',
      '別紙',
      '件名 コールセンター業務委託',
      '委託先',
      '三幸株式会社',
      '委託先の選定方法',
      '・公募型プロポーザル方式により選定する。',
      '・選定委員会：区長室長ほか４名',
      '再委託の有無 無',
      '委託理由 専門的な知識が必要なため',
      '備考 契約は単年度',
    ].join('\n')
    const comparison = compareCouncilDocument(PDF_TEXT, plain)
    for (const label of ['根拠法令', '委託先の選定方法', '再委託の有無', '備考']) {
      assert.isTrue(rowOf(comparison, label)?.identical, label)
    }
  })
})
