import type {
  CouncilDocumentData,
  CouncilDocumentRow,
} from '#services/council/council_document_data'

const SENTENCE = '区民から寄せられた意見・要望を受け付け、担当課へ転送し、回答を記録する。'

function rows(count: number): CouncilDocumentRow[] {
  return Array.from({ length: count }, (_, index) => ({
    label: `項目${index + 1}（記録の範囲）`,
    value:
      index % 3 === 0
        ? [`①${SENTENCE}`, `②${SENTENCE.repeat(2)}`, `・${SENTENCE}`, `○${SENTENCE}`]
        : SENTENCE.repeat(1 + (index % 5) * 2),
  }))
}

/**
 * A made-up council document shaped like real ones (cover page, two annexes with lists and rows
 * that break across pages, special terms with sub-items; 12 pages), which web processes render
 * as they start so that the first document a user asks for is quick (PdfRendererProvider).
 * Nobody sees it.
 */
export const COUNCIL_DOCUMENT_SAMPLE: CouncilDocumentData = {
  header: '令和7年度 第1回 資料1',
  title: '情報公開・個人情報保護審議会 諮問・報告事項',
  subject: '区民意見システムの再構築について',
  basis: [
    { kind: '報告', articles: ['第16条第1項本文（電子計算機による個人情報の処理開発、変更）'] },
  ],
  contact: '（担当部課：区長室広聴課） 担当係 広聴係 担当者 区民 内線（1234）',
  overview: rows(5),
  annexes: [1, 2].map((number) => ({
    captions: [`◇${number}．電子計算機による個人情報の処理委託等（第14条第１項）・・・事前報告`],
    subject: '区民意見システムの再構築について',
    rows: rows(10),
    specialTerms: {
      title: '特記事項',
      clauses: Array.from({ length: 8 }, (_, index) => ({
        number: index + 1,
        heading: index % 4 === 0 ? '秘密の保持' : `第${index + 1}条の見出し`,
        body: SENTENCE.repeat(3),
        items: index % 3 === 0 ? [`(1) ${SENTENCE}`, `(2) ${SENTENCE}`, `ア ${SENTENCE}`] : [],
      })),
    },
  })),
}
