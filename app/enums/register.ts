/**
 * Vocabulary of the register (個人情報の登録業務), as the seeds use it.
 */

/** Record media (記録媒体): several at once. */
export const RECORD_MEDIA = ['paper', 'electronic', 'usb', 'cloud'] as const
export type RecordMedium = (typeof RECORD_MEDIA)[number]

/** Lifecycle of a registered system. */
export const LIFECYCLES = ['planned', 'in_development', 'operating', 'retired'] as const
export type Lifecycle = (typeof LIFECYCLES)[number]

/** ファイルの種別 (令20条6項1号). */
export const FILE_TYPES = ['computer', 'manual'] as const
export type FileType = (typeof FILE_TYPES)[number]

/** 要配慮個人情報: 法2条3項 and 令2条, plus the ward's 条例要配慮個人情報. */
export const SPECIAL_CARE_CATEGORIES = [
  'race',
  'creed',
  'social_status',
  'medical_history',
  'criminal_record',
  'crime_victim',
  'disability',
  'health_check',
  'medical_guidance',
  'criminal_procedure',
  'juvenile_procedure',
  'ordinance',
] as const
export type SpecialCareCategory = (typeof SPECIAL_CARE_CATEGORIES)[number]

/** 収集禁止事項 (特記事項 5): collected only with a recorded approval. */
export const PROHIBITED_CATEGORIES = [
  'thought_creed_religion',
  'social_discrimination',
  'crime',
] as const
export type ProhibitedCategory = (typeof PROHIBITED_CATEGORIES)[number]

/** How an undecided contractor is to be chosen (or how one was chosen). */
export const SELECTION_METHODS = ['tokumei', 'nyusatsu', 'proposal', 'other'] as const
export type SelectionMethod = (typeof SELECTION_METHODS)[number]

/** 委託の開始時期及び期限. */
export const PERIOD_TYPES = ['fixed', 'open_ended', 'renewed_yearly'] as const
export type PeriodType = (typeof PERIOD_TYPES)[number]

/** Data items the contractor collects itself, or that the ward provides. */
export const ITEM_DIRECTIONS = ['collected', 'provided'] as const
export type ItemDirection = (typeof ITEM_DIRECTIONS)[number]

export const CONTRACT_STATUSES = ['draft', 'pending_approval', 'active', 'ended'] as const
export type ContractStatus = (typeof CONTRACT_STATUSES)[number]

/** Oversight duties a special-terms clause can create. */
export const CLAUSE_DUTIES = [
  'audit',
  'roster',
  'training',
  'incident_report',
  'return_erasure',
  'periodic_report',
  'subcontract_approval',
] as const
export type ClauseDutyKind = (typeof CLAUSE_DUTIES)[number]

/** Periodic reports a contract may ask for (e.g. monthly subscriber and delivery figures). */
export const REPORT_FREQUENCIES = ['monthly', 'quarterly', 'yearly'] as const
export type ReportFrequency = (typeof REPORT_FREQUENCIES)[number]

/**
 * State of an oversight duty as stored; due/overdue is derived from the due date.
 * 'submitted' = 提出済・確認待ち (the contractor filed, the ward has not checked yet);
 * 'returned' = 差戻し (the ward sent the submission back: the contractor owes it again).
 */
export const DUTY_STATES = ['open', 'submitted', 'returned', 'satisfied', 'waived'] as const
export type DutyState = (typeof DUTY_STATES)[number]

/** States in which the contractor (or the ward, for audits) still owes the duty. */
export const OUTSTANDING_DUTY_STATES = ['open', 'returned'] as const satisfies DutyState[]

/** The ward's check of a submission (消去証明書, 定期報告): 確認待ち, 確認済み, 差戻し. */
export const REVIEW_STATUSES = ['submitted', 'verified', 'rejected'] as const
export type ReviewStatus = (typeof REVIEW_STATUSES)[number]

/** States that are not done yet: outstanding or awaiting the ward's check. */
export const UNDONE_DUTY_STATES = ['open', 'returned', 'submitted'] as const satisfies DutyState[]
