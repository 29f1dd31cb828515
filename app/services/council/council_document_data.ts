/**
 * Plain input for the council document (審議会 諮問・報告事項) PDF: no models, no DB.
 * The layout mirrors the council documents in tests/fixtures/seeds/ (see app/services/council/council_document_pdf.ts).
 */

/** One row of a two-column table (label | value). */
export interface CouncilDocumentRow {
  label: string
  /**
   * A string may contain \n (the line breaks are kept); a string[] is rendered as one line per
   * element (numbered or bulleted lines such as '① …', '1 …', '・…', '○…'). Consecutive lines
   * that contain a tab print as a table (cells split at the tabs, as pasted from a spreadsheet).
   */
  value: string | string[]
}

/** One 別紙 (annex) table: a system, a contract or a subcontract. */
export interface CouncilDocumentAnnex {
  /** e.g. '◇１．電子計算機による個人情報の処理委託等（第14条第１項）・・・事前報告' (optional caption lines above the table, seed 001 style) */
  captions: string[]
  /** the 件名 line of the annex, e.g. '新宿区コールセンターFAQシステム及び新宿区区民意見システムの再構築について' */
  subject: string
  rows: CouncilDocumentRow[]
  /** The special terms attached to this annex's contract, printed right after it. */
  specialTerms?: CouncilDocumentSpecialTerms | null
}

export interface CouncilDocumentBasis {
  /** '諮問' | '報告' | '事前報告' */
  kind: string
  /** e.g. '第16条第1項本文（電子計算機による個人情報の処理開発、変更）' */
  articles: string[]
}

export interface CouncilDocumentClause {
  number: number
  /** The number as written ('１', '10', '第3条'); absent = number. */
  numberLabel?: string | null
  /**
   * Without the parentheses, e.g. '秘密の保持'; '' when the clause has none. A heading equal to
   * the previous clause's is printed once (a heading shared by consecutive clauses).
   */
  heading: string
  /** Without the leading number; \n separates paragraphs. */
  body: string
  /** Sub-items as written with their markers ('(1) …', 'ア …'); an item without one is numbered （n）. */
  items: string[]
}

export interface CouncilDocumentSpecialTerms {
  /** '特記事項' */
  title: string
  clauses: CouncilDocumentClause[]
}

export interface CouncilDocumentData {
  /** Top-right header, e.g. '平成19年度 第7回 資料33' (null when not yet on an agenda) */
  header: string | null
  /** '情報公開・個人情報保護審議会 諮問・報告事項' */
  title: string
  /** 件名 */
  subject: string
  basis: CouncilDocumentBasis[]
  /** e.g. '（担当部課：区長室危機管理課） 担当係 危機管理 担当者 福田 内線（2473）' */
  contact: string | null
  /** 事業の概要: 事業名, 担当課, 目的, 対象者, 事業内容 */
  overview: CouncilDocumentRow[]
  annexes: CouncilDocumentAnnex[]
  /** Documents frozen before terms followed their annex: printed after the last annex. */
  specialTerms?: CouncilDocumentSpecialTerms[]
}
