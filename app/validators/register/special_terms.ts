import vine from '@vinejs/vine'
import { CLAUSE_DUTIES } from '#enums/register'
import { SUBCONTRACT_RULES } from '#enums/clause_rules'
import { choice, labelled } from '#validators/form_messages'

/** Sub-items: one per line, each kept as written with its marker ((1) …, ア …); blank lines dropped. */
const itemLines = () =>
  vine
    .string()
    .maxLength(20000)
    .optional()
    .transform((value) =>
      value
        .split(/\r\n|\r|\n/)
        .map((line) => line.trim())
        .filter(Boolean)
    )

/**
 * A special-terms set (a new set or the next version of one), as the form sends it once the
 * clause blocks are a list (see #services/special_terms_form: removed and empty blocks dropped,
 * sorted by their order field).
 */
export const specialTermSetValidator = vine.compile(
  vine.object({
    name: vine.string().trim().minLength(1).maxLength(200),
    appliesTo: vine.enum(['contractor', 'subcontractor'] as const),
    effectiveFrom: vine.date({ formats: ['YYYY-MM-DD'] }).optional(),
    notes: vine.string().trim().maxLength(2000).optional(),
    /** Number the clauses again in their new order (each label keeps its style: １, 第3条). */
    renumber: vine.boolean().optional(),
    clauses: vine
      .array(
        vine.object({
          /** The number as written (１, 10, 第3条); empty = printed as the clause's position. */
          numberLabel: vine.string().trim().maxLength(30).optional(),
          /** Optional: '' = no heading (also for the second clause under a shared heading). */
          heading: vine.string().trim().maxLength(100).optional(),
          body: vine
            .string()
            .trim()
            .minLength(1)
            .maxLength(5000)
            .transform((value) => value.replace(/\r\n|\r/g, '\n')),
          items: itemLines(),
          duty: vine.enum(CLAUSE_DUTIES).optional(),
          /** The subcontracting rule the clause creates (none when left empty). */
          subcontractRule: vine.enum(SUBCONTRACT_RULES).optional(),
          /** The clause requires staff training (a clause whose duty is training always does). */
          requiresTraining: vine.boolean().optional(),
        })
      )
      .minLength(1)
      .maxLength(2000),
  })
)

/** The text pasted to be split into clauses (preview). */
export const specialTermTextValidator = vine.compile(
  vine.object({
    text: vine.string().trim().maxLength(500000),
  })
)

/* The form's labels (#validators/form_messages): a clause's fields as its block names them. */
labelled(specialTermSetValidator, {
  name: 'register.terms.name',
  appliesTo: choice('register.terms.applies_to'),
  effectiveFrom: 'register.terms.effective_from',
  notes: 'register.terms.notes',
  renumber: 'register.terms.renumber',
  clauses: 'register.terms.clauses_heading',
  numberLabel: 'register.terms.number_label',
  heading: 'register.terms.heading',
  body: 'register.terms.body',
  items: 'register.terms.items',
  duty: choice('register.terms.duty'),
  subcontractRule: choice('register.terms.subcontract_rule'),
  requiresTraining: 'register.terms.requires_training',
})
labelled(specialTermTextValidator, { text: 'register.terms.text' })
