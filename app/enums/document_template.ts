/**
 * Council document templates (様式): which rows an annex table prints, in which
 * order, under which label, and how plain lists are numbered. The privacy
 * office edits the labels and order (/document-templates); the keys tie a row
 * to the register value it prints. The defaults are the ward's current wording.
 */

export const TEMPLATE_KINDS = [
  'overview',
  'system_annex',
  'contract_annex',
  'subcontract_annex',
] as const
export type TemplateKind = (typeof TEMPLATE_KINDS)[number]

export const TEMPLATE_NAMES: Record<TemplateKind, string> = {
  overview: '事業の概要',
  system_annex: '別紙（電子計算機処理・登録業務）',
  contract_annex: '別紙（業務委託）',
  subcontract_annex: '別紙（再委託）',
}

/** How the document numbers a plain list (measures, subject groups, tasks) entered without markers. */
export const NUMBERING_STYLES = ['halfwidth', 'fullwidth', 'circled', 'paren', 'none'] as const
export type NumberingStyle = (typeof NUMBERING_STYLES)[number]

export interface TemplateRow {
  /** Which register value the row prints (one of ROW_KEYS[kind]). */
  key: string
  label: string
  /** Printed even when the value is empty. */
  always: boolean
}

/** Per annex: another label for one row, or the row hidden, for this item only. */
export type RowOverrides = Record<string, { label?: string; hidden?: boolean }>

/** Rows of each kind with their default (the ward's) labels, in default order. */
export const DEFAULT_TEMPLATE_ROWS: Record<TemplateKind, TemplateRow[]> = {
  overview: [
    { key: 'business_name', label: '事業名', always: true },
    { key: 'department', label: '担当課', always: true },
    { key: 'purpose', label: '目的', always: true },
    { key: 'subjects', label: '対象者', always: true },
    { key: 'description', label: '事業内容', always: true },
  ],
  system_annex: [
    { key: 'holder_department', label: '保有課(担当課)', always: true },
    { key: 'system_name', label: '登録業務の名称', always: true },
    {
      key: 'recorded_items',
      label: '記録される情報項目(だれの、どのような項目が、どこにコンピュータに記録されるのか)',
      always: true,
    },
    { key: 'change_reason', label: '新規開発・追加・変更の理由', always: false },
    { key: 'change_content', label: '新規開発・追加・変更の内容', always: false },
    {
      key: 'development_measures',
      label: '開発等を委託する場合における個人情報保護対策',
      always: false,
    },
    { key: 'change_schedule', label: '新規開発・追加・変更の時期', always: false },
  ],
  contract_annex: [
    { key: 'holder_department', label: '保有課(担当課)', always: true },
    { key: 'system_name', label: '登録業務の名称', always: true },
    { key: 'contractor', label: '委託先', always: true },
    {
      key: 'data_items',
      label: '委託に伴い事業者処理させる情報項目(だれの、どのような項目か)',
      always: true,
    },
    { key: 'media', label: '処理させる情報項目の記録媒体', always: false },
    { key: 'reason', label: '委託理由', always: true },
    { key: 'content', label: '委託の内容', always: true },
    { key: 'period', label: '委託の開始時期及び期限', always: true },
    { key: 'ward_measures', label: '委託にあたり区が行う情報保護対策', always: true },
    { key: 'contractor_measures', label: '受託事業者に行わせる情報保護対策', always: true },
  ],
  subcontract_annex: [
    { key: 'holder_department', label: '保有課(担当課)', always: true },
    { key: 'system_name', label: '登録業務の名称', always: true },
    { key: 'contractor', label: '委託先', always: true },
    { key: 'subcontractor', label: '再委託先', always: true },
    { key: 'subcontract_approval', label: '再委託の承認', always: false },
    {
      key: 'data_items',
      label: '再委託先に処理させる情報項目(だれの、どのような項目か)',
      always: true,
    },
    { key: 'media', label: '処理させる情報項目の記録媒体', always: false },
    { key: 'reason', label: '再委託の理由', always: true },
    { key: 'content', label: '再委託の内容', always: true },
    { key: 'period', label: '再委託の開始時期及び期限', always: true },
    { key: 'ward_measures', label: '再委託にあたり区が行う情報保護対策', always: false },
    { key: 'contractor_measures', label: '再委託先に行わせる情報保護対策', always: true },
  ],
}

/** The keys a row of each kind may print. */
export const ROW_KEYS: Record<TemplateKind, string[]> = Object.fromEntries(
  Object.entries(DEFAULT_TEMPLATE_ROWS).map(([kind, rows]) => [kind, rows.map((row) => row.key)])
) as Record<TemplateKind, string[]>

/** Sub-labels inside the system annex's 記録される情報項目 row. */
export const DEFAULT_RECORDED_ITEMS_PARTS = {
  subjects: '個人の範囲',
  items: '記録する個人情報の項目',
  computer: '記録するコンピュータ',
}
