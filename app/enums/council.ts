/** 諮問 (needs approval), 報告, 事前報告. */
export const COUNCIL_KINDS = ['consultation', 'report', 'prior_report'] as const
export type CouncilKind = (typeof COUNCIL_KINDS)[number]

/** 作成中, 上位者承認済み (not yet submitted), 提出済み, 議題予定, 決定済み. */
export const COUNCIL_STATUSES = ['draft', 'approved', 'submitted', 'on_agenda', 'decided'] as const
export type CouncilStatus = (typeof COUNCIL_STATUSES)[number]

/** 承認, 了承, 継続審議, 不承認. */
export const COUNCIL_OUTCOMES = ['approved', 'acknowledged', 'continued', 'rejected'] as const
export type CouncilOutcome = (typeof COUNCIL_OUTCOMES)[number]

/** Outcomes after which the register state the item covered counts as approved. */
export const ACCEPTING_OUTCOMES: readonly CouncilOutcome[] = ['approved', 'acknowledged']

/** Statuses in which the department may still edit an item (an edit after approval needs approving again). */
export const EDITABLE_COUNCIL_STATUSES: readonly CouncilStatus[] = ['draft', 'approved']
