import type { DateTime } from 'luxon'
import type { SubcontractRule } from '#enums/clause_rules'
import { printedItems } from '#services/register/special_terms_text'
import { jaText } from '#services/ja_text'

/**
 * The rules special-terms clauses create, read and enforced. Pure functions, no database:
 * the special-terms form suggests a clause's rule from its text, and saving or approving a
 * subcontract checks it against the rules of the parent contract's clauses.
 *
 * What each rule allows (the parent contract's set decides; every clause with a rule counts):
 *   - forbidden: no subcontract at all, whatever it handles and whoever the parties are;
 *   - no_personal_data_only: only work that involves no personal data, with the ward's (甲)
 *     consent, so such a subcontract also waits for the recorded approval;
 *   - prior_written_approval: any work, once the ward has approved it in writing before the
 *     subcontract starts: the approval records who approved, when, and the written approval
 *     (its document number, or its date and title).
 * An undecided contractor or subcontractor changes none of this.
 */

/** A clause's text as the suggestion reads it. */
export interface ClauseText {
  heading: string
  body: string
  items?: string[] | null
}

/** What a rule check needs of a clause: its number as printed, heading, text and rule. */
export interface RuleClause extends ClauseText {
  printedNumber: string
  subcontractRule: SubcontractRule | null
}

/** The subcontract as saved or approved. */
export interface SubcontractFacts {
  handlesPersonalData: boolean
  /** The day the subcontracted work starts, when known. */
  startsOn: DateTime | null
}

/** The approval as entered on the subcontract's page. */
export interface ApprovalFacts {
  approvedOn: DateTime
  approvedBy: string
  /** The written approval: its document number, or its date and title; null when none given. */
  reference: string | null
}

export type BreachReason =
  'forbidden' | 'personal_data' | 'written_approval_missing' | 'approval_not_prior'

/** A subcontract that breaks a clause: which clause, why, and the form field it concerns. */
export interface Breach {
  clause: RuleClause
  reason: BreachReason
  field: 'parentTerms' | 'handlesPersonalData' | 'approvalReference' | 'approvedOn'
  /** i18n key (register.contracts.rules.*) and its values: the clause quoted. */
  message: string
  values: Record<string, string>
}

const compact = (text: string) => text.replace(/[\s\u3000]/g, '')

const wholeText = (clause: ClauseText) =>
  compact([clause.heading, clause.body, ...(clause.items ?? [])].join(''))

/** The clause speaks of handing work to a third party (第三者に委託, 再委託). */
function aboutSubcontracting(clause: ClauseText): boolean {
  return (
    /再委託/.test(clause.heading) ||
    /(第三者|他の者|他者)に(再)?委託|再委託/.test(wholeText(clause))
  )
}

/**
 * The rule a clause obviously creates, from its text; null when it creates none or the text
 * is not plain enough to tell (the form leaves the choice to the user then):
 *   「…ただし、個人情報を除いた情報に係る業務については、甲の承諾があるときは…」 → no_personal_data_only
 *   「あらかじめ甲の書面による承諾を得た場合を除き、…第三者に委託してはならない」 → prior_written_approval
 *   「…業務を一切第三者に委託してはならない」 → forbidden
 */
export function suggestSubcontractRule(clause: ClauseText): SubcontractRule | null {
  if (!aboutSubcontracting(clause)) return null
  const text = wholeText(clause)
  if (/個人情報を(除|含まな|取り?扱わな)[いくかきっ]/.test(text) && /(承諾|承認|同意)/.test(text))
    return 'no_personal_data_only'
  if (/書面[^。]{0,20}(承諾|承認|同意)/.test(text)) return 'prior_written_approval'
  if (
    /委託し?てはならない|委託することはできない|委託することを禁止|再委託を禁止|再委託は(これを)?禁止|再委託(を|は)(一切)?(行|し)ってはならない/.test(
      text
    )
  ) {
    return 'forbidden'
  }
  return null
}

/** Whether a clause obviously requires the contractor to train its staff (従業員に対する教育). */
export function suggestRequiresTraining(clause: ClauseText): boolean {
  if (/教育|研修/.test(clause.heading)) return true
  return /(従業員|従事者|取扱者|作業員|作業者|社員|職員)[^。]{0,40}(教育|研修)[^。]{0,20}(実施|行|受け|させ)/.test(
    wholeText(clause)
  )
}

/** 特記事項第9項（再委託の禁止）: the clause as the messages cite it. */
export function clauseCitation(clause: Pick<RuleClause, 'printedNumber' | 'heading'>): string {
  const number = clause.printedNumber.trim()
  const cited = number.startsWith('第') ? number : jaText('register.clause_number', { number })
  return clause.heading
    ? jaText('register.clause_citation_heading', { number: cited, heading: clause.heading })
    : jaText('register.clause_citation', { number: cited })
}

/** The clause's words as written: its paragraphs, then its sub-items. */
export function clauseQuote(clause: ClauseText): string {
  const paragraphs = clause.body
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
  return [...paragraphs, ...printedItems(clause.items ?? [])].join(' ')
}

function breach(
  clause: RuleClause,
  reason: BreachReason,
  extra: Record<string, string> = {}
): Breach {
  const field = (
    {
      forbidden: 'parentTerms',
      personal_data: 'handlesPersonalData',
      written_approval_missing: 'approvalReference',
      approval_not_prior: 'approvedOn',
    } as const
  )[reason]
  return {
    clause,
    reason,
    field,
    message: `register.contracts.rules.${reason}`,
    values: { clause: clauseCitation(clause), text: clauseQuote(clause), ...extra },
  }
}

export default class SubcontractRules {
  /** The clauses that create a rule, in their order. */
  static ruling<T extends RuleClause>(clauses: T[]): T[] {
    return clauses.filter(
      (clause) => clause.subcontractRule !== null && clause.subcontractRule !== undefined
    )
  }

  /**
   * The first clause a subcontract breaks by being saved as it is: any subcontract under a
   * forbidding clause, one that handles personal data under a clause that allows only work
   * without it. null when every rule allows it.
   */
  static onSave(clauses: RuleClause[], subcontract: SubcontractFacts): Breach | null {
    for (const clause of SubcontractRules.ruling(clauses)) {
      if (clause.subcontractRule === 'forbidden') return breach(clause, 'forbidden')
      if (clause.subcontractRule === 'no_personal_data_only' && subcontract.handlesPersonalData)
        return breach(clause, 'personal_data')
    }
    return null
  }

  /**
   * The first clause an approval breaks: what saving refuses, and under a clause that asks for
   * the ward's prior written approval, an approval without its written reference or dated
   * after the subcontract started.
   */
  static onApproval(
    clauses: RuleClause[],
    subcontract: SubcontractFacts,
    approval: ApprovalFacts,
    formatDate: (date: DateTime) => string
  ): Breach | null {
    const refused = SubcontractRules.onSave(clauses, subcontract)
    if (refused) return refused
    for (const clause of SubcontractRules.ruling(clauses)) {
      if (clause.subcontractRule !== 'prior_written_approval') continue
      if (!approval.reference || approval.reference.trim() === '')
        return breach(clause, 'written_approval_missing')
      if (
        subcontract.startsOn &&
        approval.approvedOn.startOf('day') > subcontract.startsOn.startOf('day')
      ) {
        return breach(clause, 'approval_not_prior', { start: formatDate(subcontract.startsOn) })
      }
    }
    return null
  }

  /**
   * Whether a subcontract waits for the ward's approval before it is active: one that handles
   * personal data always; any under a clause that allows subcontracting only with the ward's
   * consent (no_personal_data_only: 甲の承諾があるとき; prior_written_approval).
   */
  static needsApproval(clauses: RuleClause[], handlesPersonalData: boolean): boolean {
    return (
      handlesPersonalData ||
      SubcontractRules.ruling(clauses).some((clause) => clause.subcontractRule !== 'forbidden')
    )
  }

  /** The clauses with a rule, as pages show them: the rule, the clause cited and quoted. */
  static described(
    clauses: RuleClause[]
  ): Array<{ rule: SubcontractRule; citation: string; quote: string }> {
    return SubcontractRules.ruling(clauses).map((clause) => ({
      rule: clause.subcontractRule!,
      citation: clauseCitation(clause),
      quote: clauseQuote(clause),
    }))
  }

  /** The clause asking for the ward's prior written approval, if any (the approval form asks for its reference). */
  static writtenApprovalClause<T extends RuleClause>(clauses: T[]): T | null {
    return (
      SubcontractRules.ruling(clauses).find(
        (clause) => clause.subcontractRule === 'prior_written_approval'
      ) ?? null
    )
  }
}
