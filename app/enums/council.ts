/** 諮問 (needs approval), 報告, 事前報告. */
export const COUNCIL_KINDS = ['consultation', 'report', 'prior_report'] as const
export type CouncilKind = (typeof COUNCIL_KINDS)[number]

export const COUNCIL_STATUSES = ['draft', 'submitted', 'on_agenda', 'decided'] as const
export type CouncilStatus = (typeof COUNCIL_STATUSES)[number]

/** 承認, 了承, 継続審議, 不承認. */
export const COUNCIL_OUTCOMES = ['approved', 'acknowledged', 'continued', 'rejected'] as const
export type CouncilOutcome = (typeof COUNCIL_OUTCOMES)[number]

/** Outcomes after which the register state the item covered counts as approved. */
export const ACCEPTING_OUTCOMES: readonly CouncilOutcome[] = ['approved', 'acknowledged']
