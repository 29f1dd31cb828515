import factory from '@adonisjs/lucid/factories'
import SpecialTermSet from '#models/special_term_set'
import SpecialTermClause from '#models/special_term_clause'

/** Clause positions: unique within a run (give `number` to print 1, 2, 3 …). */
let position = 0

/** One clause of a set; `number` is its position. */
export const SpecialTermClauseFactory = factory
  .define(SpecialTermClause, ({ faker }) => ({
    number: ++position,
    numberLabel: null,
    heading: '',
    body: `乙は、${faker.string.alpha(6)}を遵守しなければならない。`,
    items: [],
    duty: null,
    subcontractRule: null,
    requiresTraining: false,
  }))
  .state('forbidsSubcontracting', (clause) => {
    clause.heading = '再委託の禁止'
    clause.body = '乙は、個人情報を取り扱う業務を第三者に委託してはならない。'
    clause.subcontractRule = 'forbidden'
  })
  .state('writtenApproval', (clause) => {
    clause.heading = '再委託'
    clause.body =
      '乙は、あらかじめ甲の書面による承諾を得た場合を除き、個人情報を取り扱う業務を第三者に委託してはならない。'
    clause.subcontractRule = 'prior_written_approval'
  })
  .build()

/** A set of special terms (version 1 of its code), with clauses through `.with('clauses', n)`. */
export const SpecialTermSetFactory = factory
  .define(SpecialTermSet, ({ faker }) => ({
    code: `set-${faker.string.alphanumeric(8).toLowerCase()}`,
    version: 1,
    name: '個人情報の取扱いに関する特記事項',
    appliesTo: 'contractor' as const,
    effectiveFrom: null,
    notes: null,
  }))
  .state('forSubcontractors', (set) => {
    set.appliesTo = 'subcontractor'
  })
  .relation('clauses', () => SpecialTermClauseFactory)
  .build()
