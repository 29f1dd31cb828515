/**
 * Rules a special-terms clause creates for subcontracting (再委託), as the
 * seeds write them:
 *   - forbidden: 乙は、…業務を一切第三者に委託してはならない。 (seed 000, clause 9)
 *   - no_personal_data_only: …ただし、個人情報を除いた情報に係る業務については、甲の承諾が
 *     あるときはこの限りではない。 (seeds 001 and 004, clause 6)
 *   - prior_written_approval: あらかじめ甲の書面による承諾を得た場合を除き、… (later sets)
 * A clause without a rule (null) restricts nothing beyond the register's own rule (a
 * subcontract that handles personal data waits for the ward's approval).
 */
export const SUBCONTRACT_RULES = [
  'forbidden',
  'no_personal_data_only',
  'prior_written_approval',
] as const
export type SubcontractRule = (typeof SUBCONTRACT_RULES)[number]

/** How a contract's work ends: a period that is not renewed, or a termination (解除・中途終了). */
export const CONTRACT_END_REASONS = ['not_renewed', 'terminated'] as const
export type ContractEndReason = (typeof CONTRACT_END_REASONS)[number]
