import { randomBytes } from 'node:crypto'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import CouncilImport from '#models/council_import'
import CouncilItem, { type CouncilBasis } from '#models/council_item'
import CouncilItemAnnex from '#models/council_item_annex'
import Contract from '#models/contract'
import ContractDataItem from '#models/contract_data_item'
import Contractor from '#models/contractor'
import DataItem from '#models/data_item'
import Department from '#models/department'
import PersonalDataSystem from '#models/personal_data_system'
import SpecialTermSet from '#models/special_term_set'
import type SpecialTermClause from '#models/special_term_clause'
import SubjectGroup from '#models/subject_group'
import type User from '#models/user'
import CreateSpecialTermSet from '#actions/register/create_special_term_set'
import type { SpecialTermSetInput } from '#actions/register/create_special_term_version'
import SaveContract from '#actions/register/save_contract'
import AuditLogger, { type AuditActor, type AuditEntry } from '#services/audit_logger'
import SystemSnapshots from '#services/register/system_snapshot'
import DutyLedger from '#services/oversight/duty_ledger'
import SubcontractRules from '#services/register/clause_rules'
import CorporateNumber from '#services/register/corporate_number'
import { comparable, comparableCompany } from '#services/register/register_matches'
import { EXTRA_ROW_FIRST, type ExtraRow } from '#services/council/template_rows'
import { jaText } from '#services/ja_text'
import DomainError from '#exceptions/domain_error'
import { CHILD_LEVEL, type DepartmentLevel } from '#enums/department_level'
import { ROW_KEYS, type RowOverrides, type TemplateKind } from '#enums/document_template'
import { PERIOD_TYPES, RECORD_MEDIA, SELECTION_METHODS, type ContractStatus } from '#enums/register'
import { ITEMS_LAYOUTS, STARTS_ON_PRECISIONS } from '#enums/contracts'
import type {
  DraftAnnexWording,
  DraftContract,
  DraftParty,
  ImportDraft,
} from '#services/council/import/import_draft'
import RowBatch from '#services/row_batch'

const M = 'council_imports.confirm'

/** A contract annex of the draft, with its place among the annexes. */
interface ContractAnnex {
  index: number
  contract: DraftContract
  wording: DraftAnnexWording
  /** Per contract item, the index of the system's data item it names. */
  itemIndexes: number[]
}

const orNull = (value: string | null | undefined) =>
  value !== null && value !== undefined && value.trim() !== '' ? value : null

/** 別紙 number of an annex as the messages name it (1…n, in document order). */
const annexData = (index: number) => ({ annex: index + 1 })

/**
 * Saves a checked import draft (取込みの下書き) as the register and council records it
 * describes, in one transaction: the department (matched, or created under the 部 its name
 * starts with), new contractors, one system with its subject groups and data items, new
 * special-terms sets, the contracts and subcontracts with their items and oversight duties,
 * and one draft council item with its annexes worded as the document. The system gets one
 * register version (審議会資料から取り込み) and every created record an audit entry.
 *
 * A draft missing what the register needs (件名, the system's name and purpose, a basis, each
 * contract's title, reason and period …) is refused before anything is written, with a
 * Japanese message on the field concerned; any failure later rolls everything back and the
 * import stays a draft.
 */
export default class ConfirmCouncilImport {
  constructor(private auditLog: AuditLogger) {}

  async handle(record: CouncilImport, user: User): Promise<CouncilItem> {
    if (record.status !== 'draft') throw new DomainError(`${M}.not_draft`, { field: 'form' })
    const draft = structuredClone(record.draft)
    const contractAnnexes = ConfirmCouncilImport.check(draft)
    const actor: AuditActor = { type: 'user', id: user.id, label: user.email }

    const itemId = await db.transaction(async (trx) => {
      const audit = (entry: AuditEntry) => this.auditLog.record({ ...entry, actor }, trx)
      const fresh = await CouncilImport.query({ client: trx })
        .where('id', record.id)
        .if(trx.dialect.name === 'postgres', (query) => query.forUpdate())
        .firstOrFail()
      if (fresh.status !== 'draft') throw new DomainError(`${M}.not_draft`, { field: 'form' })
      const origin = { councilImportId: record.id }

      const department = await this.#department(draft.department, trx, audit, origin)
      ConfirmCouncilImport.#keepWrittenDepartment(draft, department)

      // Contractors: matched ones must still exist; new ones once per name / 法人番号.
      const contractorIds = new Map<DraftContract, number | null>()
      const created = new Map<string, Contractor>()
      const matchedContractors = await ConfirmCouncilImport.#existingIds(
        Contractor,
        contractAnnexes.map(({ contract }) => contract.contractor?.id),
        trx
      )
      for (const { index, contract } of contractAnnexes) {
        contractorIds.set(
          contract,
          contract.contractor
            ? await this.#contractor(
                contract.contractor,
                index,
                { matched: matchedContractors, created },
                trx,
                audit,
                origin
              )
            : null
        )
      }

      const system = await this.#system(draft, department.id, trx, audit, origin)
      const dataItems = await this.#dataItems(draft, system, trx, audit, origin)

      // Special-terms sets: the matched version, or a new set.
      const setIds: number[] = []
      const matchedSets = await ConfirmCouncilImport.#existingIds(
        SpecialTermSet,
        draft.termSets.map((termSet) => termSet.match?.setId),
        trx
      )
      for (const [index, termSet] of draft.termSets.entries()) {
        if (termSet.match) {
          if (!matchedSets.has(termSet.match.setId)) {
            throw new DomainError(`${M}.term_set_unknown`, {
              field: `termSets.${index}.match`,
              data: { name: termSet.match.name },
            })
          }
          setIds.push(termSet.match.setId)
          continue
        }
        const input: SpecialTermSetInput = {
          name: termSet.name.trim(),
          appliesTo: termSet.appliesTo,
          clauses: termSet.clauses.map((clause, position) => ({
            numberLabel:
              orNull(clause.numberLabel)?.trim() ??
              (clause.number !== position + 1 ? String(clause.number) : undefined),
            heading: clause.heading,
            body: clause.body,
            items: clause.items,
          })),
        }
        const set = await new CreateSpecialTermSet(this.auditLog).handle(input, trx)
        setIds.push(set.id)
      }

      // Contracts first, then subcontracts (their parents exist by then).
      const contracts = new Map<number, Contract>()
      const ruleClauses = new Map<number, SpecialTermClause[]>()
      const ordered = [
        ...contractAnnexes.filter(({ contract }) => contract.parentAnnex === null),
        ...contractAnnexes.filter(({ contract }) => contract.parentAnnex !== null),
      ]
      for (const annex of ordered) {
        const contract = await this.#contract(
          annex,
          system.id,
          contractorIds.get(annex.contract) ?? null,
          annex.contract.parentAnnex === null ? null : contracts.get(annex.contract.parentAnnex)!,
          annex.contract.termSet === null ? null : setIds[annex.contract.termSet],
          dataItems,
          ruleClauses,
          trx
        )
        contracts.set(annex.index, contract)
        await audit({
          action: contract.parentContractId ? 'subcontract.create' : 'contract.create',
          subject: contract,
          changedFields: Object.keys(contract.$attributes).filter((key) => key !== 'id'),
          details: origin,
        })
      }

      const item = await this.#councilItem(draft, department.id, user, trx)
      await RowBatch.insert(
        CouncilItemAnnex,
        draft.annexes.map((annex, order) => {
          const kind: TemplateKind =
            annex.kind === 'system'
              ? 'system_annex'
              : annex.contract.parentAnnex === null
                ? 'contract_annex'
                : 'subcontract_annex'
          return {
            itemId: item.id,
            systemId: system.id,
            contractId: annex.kind === 'contract' ? contracts.get(order)!.id : null,
            sortOrder: order,
            ...ConfirmCouncilImport.#annexColumns(annex.wording, kind),
          }
        }),
        trx
      )
      await audit({
        action: 'council_item.create',
        subject: item,
        changedFields: ['subject', 'basis', 'annexes'],
        details: origin,
      })

      const version = await SystemSnapshots.record(
        system.id,
        jaText(`${M}.version_summary`, { subject: draft.item.subject.trim() }),
        user.id,
        trx
      )

      fresh.useTransaction(trx)
      fresh.merge({ status: 'confirmed', councilItemId: item.id, confirmedAt: DateTime.now() })
      await fresh.save()
      await audit({
        action: 'council_import.confirm',
        subject: fresh,
        details: {
          councilItemId: item.id,
          systemId: system.id,
          version: version.version,
          departmentCreated: draft.department.id === null,
          contractorsCreated: created.size,
          contracts: contractAnnexes.length,
          termSetsCreated: draft.termSets.filter((set) => !set.match).length,
        },
      })
      return item.id
    })
    await record.refresh()
    return CouncilItem.findOrFail(itemId)
  }

  /**
   * Everything the register needs from the draft, before anything is written: the first
   * problem as a DomainError on its field. Returns the contract annexes with, for each
   * contract item, the data item of the system it names.
   */
  static check(draft: ImportDraft): ContractAnnex[] {
    const refuse = (key: string, field: string, data?: Record<string, unknown>): never => {
      throw new DomainError(`${M}.${key}`, { field, data })
    }
    const tooLong = (
      value: string | null | undefined,
      max: number,
      field: string,
      label: string
    ) => {
      if (value && value.trim().length > max) refuse('too_long', field, { label, max })
    }

    if (!orNull(draft.item?.subject)) refuse('subject_required', 'item.subject')
    tooLong(draft.item.subject, 300, 'item.subject', '件名')
    tooLong(draft.item.documentNumber, 30, 'item.documentNumber', '資料番号')
    tooLong(draft.item.departmentLabel, 200, 'item.departmentLabel', '担当部課')
    tooLong(draft.item.contactSection, 100, 'item.contactSection', '担当係')
    tooLong(draft.item.contactPerson, 100, 'item.contactPerson', '担当者')
    tooLong(draft.item.contactExtension, 30, 'item.contactExtension', '内線')
    if (!draft.item.basis?.some((entry) => entry.articles.some((article) => orNull(article)))) {
      refuse('basis_required', 'item.basis')
    }
    if (draft.department.id === null) {
      if (!orNull(draft.department.name)) refuse('department_required', 'department.name')
      tooLong(draft.department.name, 100, 'department.name', '担当課')
    }

    const system = draft.system
    if (!orNull(system?.name)) refuse('system_name_required', 'system.name')
    tooLong(system.name, 200, 'system.name', '登録業務の名称')
    tooLong(system.businessName, 200, 'system.businessName', '事業名')
    if (!orNull(system.purpose)) refuse('purpose_required', 'system.purpose')
    for (const [index, item] of system.dataItems.entries()) {
      if (!orNull(item.name)) refuse('data_item_name_required', `system.dataItems.${index}.name`)
      tooLong(item.name, 100, `system.dataItems.${index}.name`, '記録項目')
      tooLong(item.groupHeading, 300, `system.dataItems.${index}.groupHeading`, '見出し')
    }
    if (system.media.some((medium) => !RECORD_MEDIA.includes(medium))) {
      refuse('media_invalid', 'system.media')
    }

    for (const [index, termSet] of draft.termSets.entries()) {
      const field = `termSets.${index}`
      if (termSet.match) continue
      if (!orNull(termSet.name))
        refuse('term_set_name_required', `${field}.name`, { set: index + 1 })
      tooLong(termSet.name, 200, `${field}.name`, '特記事項の名称')
      if (termSet.clauses.length === 0)
        refuse('term_set_empty', `${field}.clauses`, { set: index + 1 })
      for (const [position, clause] of termSet.clauses.entries()) {
        if (!orNull(clause.body)) {
          refuse('clause_body_required', `${field}.clauses.${position}.body`, {
            set: index + 1,
            clause: position + 1,
          })
        }
        tooLong(clause.heading, 100, `${field}.clauses.${position}.heading`, '見出し')
        tooLong(clause.numberLabel, 30, `${field}.clauses.${position}.numberLabel`, '項番号')
      }
    }

    if (draft.annexes.length === 0) refuse('annex_required', 'annexes')
    const annexes: ContractAnnex[] = []
    for (const [index, annex] of draft.annexes.entries()) {
      const field = `annexes.${index}`
      const data = annexData(index)
      tooLong(annex.wording.holderLabel, 200, `${field}.wording.holderLabel`, '保有課')
      if (annex.kind !== 'contract') continue
      const contract = annex.contract
      const at = `${field}.contract`
      if (!orNull(contract.title)) refuse('contract_title_required', `${at}.title`, data)
      tooLong(contract.title, 200, `${at}.title`, '件名')
      if (!orNull(contract.reason)) refuse('contract_reason_required', `${at}.reason`, data)
      if (!PERIOD_TYPES.includes(contract.periodType)) {
        refuse('period_type_required', `${at}.periodType`, data)
      }
      if (contract.selectionMethod && !SELECTION_METHODS.includes(contract.selectionMethod)) {
        refuse('selection_method_invalid', `${at}.selectionMethod`, data)
      }
      if (!ITEMS_LAYOUTS.includes(contract.itemsLayout)) {
        refuse('items_layout_invalid', `${at}.itemsLayout`, data)
      }
      if (!STARTS_ON_PRECISIONS.includes(contract.startsOnPrecision)) {
        refuse('date_invalid', `${at}.startsOn`, data)
      }
      if (contract.media.some((medium) => !RECORD_MEDIA.includes(medium))) {
        refuse('media_invalid', `${at}.media`, data)
      }
      if (contract.contractor) {
        if (contract.contractor.id === null) {
          if (!orNull(contract.contractor.name)) {
            refuse('contractor_name_required', `${at}.contractor.name`, data)
          }
          tooLong(contract.contractor.name, 200, `${at}.contractor.name`, '委託先')
          const number = contract.contractor.corporateNumber
          if (orNull(number) && !CorporateNumber.isValid(number!)) {
            refuse('corporate_number_invalid', `${at}.contractor.corporateNumber`, data)
          }
        }
      } else if (!orNull(contract.undecidedNote) && !contract.selectionMethod) {
        refuse('contractor_required', `${at}.contractor`, data)
      }
      for (const [name, value] of [
        ['startsOn', contract.startsOn],
        ['endsOn', contract.endsOn],
        ['approvedOn', contract.approvedOn],
      ] as const) {
        if (value && !DateTime.fromISO(value).isValid) refuse('date_invalid', `${at}.${name}`, data)
      }
      tooLong(contract.approvedBy, 100, `${at}.approvedBy`, '承認')
      if (contract.parentAnnex !== null) {
        const parent = draft.annexes[contract.parentAnnex]
        if (
          parent?.kind !== 'contract' ||
          parent.contract.parentAnnex !== null ||
          contract.parentAnnex === index
        ) {
          refuse('parent_invalid', `${at}.parentAnnex`, data)
        }
      }
      if (
        contract.termSet !== null &&
        (!Number.isInteger(contract.termSet) || !draft.termSets[contract.termSet])
      ) {
        refuse('term_set_invalid', `${at}.termSet`, data)
      }

      // Each item names a data item of the system (same name and note), each at most once per direction.
      const used = new Set<string>()
      const itemIndexes = contract.items.map((item, position) => {
        const found = system.dataItems.findIndex(
          (candidate, candidateIndex) =>
            comparable(candidate.name) === comparable(item.name) &&
            comparable(candidate.note) === comparable(item.note) &&
            !used.has(`${item.direction}:${candidateIndex}`)
        )
        if (found < 0) {
          refuse('contract_item_unknown', `${at}.items.${position}.name`, {
            ...data,
            name: item.name,
          })
        }
        tooLong(item.groupHeading, 300, `${at}.items.${position}.groupHeading`, '見出し')
        used.add(`${item.direction}:${found}`)
        return found
      })
      annexes.push({ index, contract, wording: annex.wording, itemIndexes })
    }
    return annexes
  }

  /** The matched department, or a new one placed under the unit its name starts with. */
  async #department(
    party: DraftParty,
    trx: TransactionClientContract,
    audit: (entry: AuditEntry) => Promise<void>,
    origin: { councilImportId: number }
  ): Promise<Department> {
    if (party.id !== null) {
      const found = await Department.find(party.id, { client: trx })
      if (!found) {
        throw new DomainError(`${M}.department_unknown`, {
          field: 'department.name',
          data: { name: party.name },
        })
      }
      return found
    }
    const all = await Department.query({ client: trx }).orderBy('id')
    const byId = new Map(all.map((department) => [department.id, department]))
    const name = party.name.replace(/\s+/gu, '')
    const target = comparable(name)

    // The unit whose name (with its parents' names in front, as 区長室区政情報課) starts the name.
    let parent: Department | null = null
    let prefixLength = 0
    for (const department of all) {
      if (CHILD_LEVEL[department.level] === null) continue
      let path = department.name
      let above = department.parentId ? byId.get(department.parentId) : undefined
      for (;;) {
        const key = comparable(path)
        if (target.startsWith(key) && target.length > key.length && key.length > prefixLength) {
          parent = department
          prefixLength = key.length
        }
        if (!above) break
        path = above.name + path
        above = above.parentId ? byId.get(above.parentId) : undefined
      }
    }
    let rest = name
    if (parent) {
      for (let length = 1; length <= name.length; length++) {
        if (comparable(name.slice(0, length)).length === prefixLength) {
          rest = name.slice(length)
          break
        }
      }
    }
    // Without a known unit above it, a new 部 (the top of the tree): the office can move it later.
    const level: DepartmentLevel = parent ? CHILD_LEVEL[parent.level]! : 'bu'
    const sortOrder = Math.max(0, ...all.map((department) => department.sortOrder)) + 1
    const department = await Department.create(
      {
        code: await ConfirmCouncilImport.#newDepartmentCode(trx),
        name: rest,
        level,
        parentId: parent?.id ?? null,
        sortOrder,
      },
      { client: trx }
    )
    await audit({
      action: 'department.create',
      subject: department,
      changedFields: ['code', 'name', 'level', 'parentId', 'sortOrder'],
      details: origin,
    })
    return department
  }

  /** e.g. imp-20261122-3fa9c1 (20 characters at most, unique). */
  static async #newDepartmentCode(trx: TransactionClientContract): Promise<string> {
    for (;;) {
      const code = `imp-${DateTime.now().toFormat('yyyyLLdd')}-${randomBytes(3).toString('hex')}`
      if (!(await Department.findBy('code', code, { client: trx }))) return code
    }
  }

  /** Of the ids the draft matched, those still in the table: one read for all of them. */
  static async #existingIds(
    model: typeof Contractor | typeof SpecialTermSet,
    ids: Array<number | null | undefined>,
    trx: TransactionClientContract
  ): Promise<Set<number>> {
    const wanted = [...new Set(ids.filter((id): id is number => typeof id === 'number'))]
    if (wanted.length === 0) return new Set()
    const rows = await trx.from(model.table).whereIn('id', wanted).select('id')
    return new Set(rows.map((row: { id: number | string }) => Number(row.id)))
  }

  /**
   * The matched contractor (still there: `contractors.matched`), or a new one, created once
   * per name / 法人番号 (`contractors.created`).
   */
  async #contractor(
    party: DraftParty,
    index: number,
    contractors: { matched: Set<number>; created: Map<string, Contractor> },
    trx: TransactionClientContract,
    audit: (entry: AuditEntry) => Promise<void>,
    origin: { councilImportId: number }
  ): Promise<number> {
    if (party.id !== null) {
      if (!contractors.matched.has(party.id)) {
        throw new DomainError(`${M}.contractor_unknown`, {
          field: `annexes.${index}.contract.contractor.name`,
          data: { ...annexData(index), name: party.name },
        })
      }
      return party.id
    }
    const created = contractors.created
    const corporateNumber = orNull(party.corporateNumber)
      ? CorporateNumber.normalize(party.corporateNumber!)
      : null
    const key = corporateNumber ?? comparableCompany(party.name)
    const known = created.get(key)
    if (known) return known.id
    const contractor = await Contractor.create(
      { name: party.name.trim(), corporateNumber },
      { client: trx }
    )
    created.set(key, contractor)
    await audit({
      action: 'contractor.create',
      subject: contractor,
      changedFields: corporateNumber ? ['name', 'corporateNumber'] : ['name'],
      details: origin,
    })
    return contractor.id
  }

  /** The system with its numbered subject groups (①②… as 1…n). */
  async #system(
    draft: ImportDraft,
    departmentId: number,
    trx: TransactionClientContract,
    audit: (entry: AuditEntry) => Promise<void>,
    origin: { councilImportId: number }
  ): Promise<PersonalDataSystem> {
    const source = draft.system
    const system = await PersonalDataSystem.create(
      {
        departmentId,
        name: source.name.trim(),
        businessName: orNull(source.businessName),
        purpose: source.purpose,
        subjectsSummary: orNull(source.subjectsSummary),
        description: orNull(source.description),
        recordingComputer: orNull(source.recordingComputer),
        media: source.media,
        lifecycle: 'operating',
        startedOn: null,
        retiredOn: null,
        changeReason: orNull(source.changeReason),
        changeContent: orNull(source.changeContent),
        developmentMeasures: orNull(source.developmentMeasures),
        changeSchedule: orNull(source.changeSchedule),
        collectionMethod: null,
        regularRecipients: null,
        fileType: 'computer',
        publishedInFileRegister: false,
        otherLawProcedures: null,
      },
      { client: trx }
    )
    const groups = source.subjectGroups.filter((group) => orNull(group))
    await RowBatch.insert(
      SubjectGroup,
      groups.map((description, index) => ({ systemId: system.id, number: index + 1, description })),
      trx
    )
    await audit({
      action: 'system.create',
      subject: system,
      changedFields: [
        ...Object.keys(system.$attributes).filter((key) => key !== 'id'),
        ...(groups.length ? ['subjectGroups'] : []),
      ],
      details: origin,
    })
    return system
  }

  /** The system's data items in document order (sortOrder 1…n), each with its group's heading. */
  async #dataItems(
    draft: ImportDraft,
    system: PersonalDataSystem,
    trx: TransactionClientContract,
    audit: (entry: AuditEntry) => Promise<void>,
    origin: { councilImportId: number }
  ): Promise<DataItem[]> {
    if (draft.system.dataItems.length === 0) return []
    await RowBatch.insert(
      DataItem,
      draft.system.dataItems.map((item, index) => ({
        systemId: system.id,
        name: item.name.trim(),
        note: orNull(item.note),
        groupHeading: orNull(item.groupHeading)?.trim() ?? null,
        sortOrder: index + 1,
        subjectGroupId: null,
        specialCareCategory: null,
        prohibitedCategory: null,
      })),
      trx
    )
    // The system is new: its items are these, in the order given.
    const items = await DataItem.query({ client: trx })
      .where('systemId', system.id)
      .orderBy('sortOrder')
    await audit({
      action: 'data_item.bulk_update',
      subject: system,
      changedFields: ['dataItems'],
      details: { ...origin, added: items.length, changed: 0, removed: 0, total: items.length },
    })
    return items
  }

  /**
   * A contract or subcontract as SaveContract stores it, with its items and duties.
   * `ruleClauses`: the rule clauses of the parents' sets, read once per set.
   */
  async #contract(
    annex: ContractAnnex,
    systemId: number,
    contractorId: number | null,
    parent: Contract | null,
    specialTermSetId: number | null,
    dataItems: DataItem[],
    ruleClauses: Map<number, SpecialTermClause[]>,
    trx: TransactionClientContract
  ): Promise<Contract> {
    const parentId = parent?.id ?? null
    const source = annex.contract
    const precision = source.startsOnPrecision
    const startsOn = source.startsOn ? DateTime.fromISO(source.startsOn) : null
    const media = source.media
    const contract = new Contract()
    contract.useTransaction(trx)
    contract.merge({
      systemId,
      parentContractId: parentId,
      contractorId,
      title: source.title.trim(),
      selectionMethod: source.selectionMethod ?? null,
      undecidedNote: orNull(source.undecidedNote),
      reason: source.reason,
      tasks: source.tasks.filter((task) => orNull(task)),
      subjectsText: orNull(source.subjectsText),
      itemsLayout: source.itemsLayout,
      itemsNote: orNull(source.itemsNote),
      periodType: source.periodType,
      periodLead: orNull(source.periodLead),
      startsOn: startsOn && precision === 'month' ? startsOn.startOf('month') : startsOn,
      startsOnPrecision: precision,
      endsOn:
        source.periodType === 'fixed' && source.endsOn ? DateTime.fromISO(source.endsOn) : null,
      periodNote: orNull(source.periodNote),
      media,
      mediaDetails: Object.fromEntries(
        Object.entries(source.mediaDetails ?? {}).filter(
          ([medium, detail]) => media.includes(medium as (typeof media)[number]) && orNull(detail)
        )
      ),
      wardMeasuresOperational: source.wardMeasures.filter((line) => orNull(line)),
      wardMeasuresSystem: [],
      contractorMeasuresOperational: source.contractorMeasures.filter((line) => orNull(line)),
      contractorMeasuresSystem: [],
      specialTermSetId,
      handlesPersonalData: true,
      approvedOn: parentId && source.approvedOn ? DateTime.fromISO(source.approvedOn) : null,
      approvedBy: parentId ? orNull(source.approvedBy) : null,
      reportFrequency: null,
      deletionCertificateDays: 30,
    })
    contract.status = await ConfirmCouncilImport.#status(contract, parent, ruleClauses, trx)
    await contract.save()

    // Per direction in print order; a group's heading on its first item (null continues the group).
    const links: Array<Partial<ContractDataItem>> = []
    for (const direction of ['collected', 'provided'] as const) {
      let previous: string | null = null
      let position = 0
      source.items.forEach((item, index) => {
        if (item.direction !== direction) return
        const heading = orNull(item.groupHeading)?.trim() ?? null
        links.push({
          contractId: contract.id,
          dataItemId: dataItems[annex.itemIndexes[index]].id,
          direction,
          groupHeading: heading !== null && heading !== previous ? heading : null,
          note: orNull(item.note),
          sortOrder: position++,
        })
        previous = heading
      })
    }
    await RowBatch.insert(ContractDataItem, links, trx)
    await DutyLedger.recompute(contract.id, this.auditLog, trx)
    return contract
  }

  /** As SaveContract: a contract is active once its contractor is known; a subcontract once approved when it needs approval. */
  static async #status(
    contract: Contract,
    parent: Contract | null,
    ruleClauses: Map<number, SpecialTermClause[]>,
    trx: TransactionClientContract
  ): Promise<ContractStatus> {
    if (!parent) return contract.contractorId ? 'active' : 'draft'
    const setId = parent.specialTermSetId
    if (setId && !ruleClauses.has(setId)) {
      ruleClauses.set(setId, await SaveContract.ruleClauses(setId, trx))
    }
    const clauses = setId ? ruleClauses.get(setId)! : []
    return SubcontractRules.needsApproval(clauses, contract.handlesPersonalData) &&
      !contract.approvedOn
      ? 'pending_approval'
      : 'active'
  }

  /**
   * A new department is named without the unit above it (区長室区政情報課 → 区政情報課 under
   * 区長室); where the document printed the whole name, the item and its annexes keep it.
   */
  static #keepWrittenDepartment(draft: ImportDraft, department: Department) {
    const written = draft.department.name.trim()
    if (draft.department.id !== null || comparable(written) === comparable(department.name)) return
    draft.item.departmentLabel = orNull(draft.item.departmentLabel) ?? written
    for (const annex of draft.annexes) {
      annex.wording.holderLabel = orNull(annex.wording.holderLabel) ?? written
    }
  }

  /** The draft council item, written by the confirming officer. */
  async #councilItem(
    draft: ImportDraft,
    departmentId: number,
    user: User,
    trx: TransactionClientContract
  ): Promise<CouncilItem> {
    const source = draft.item
    const basis: CouncilBasis[] = source.basis
      .map((entry) => ({
        kind: entry.kind,
        articles: entry.articles.filter((article) => orNull(article)),
      }))
      .filter((entry) => entry.articles.length > 0)
    return CouncilItem.create(
      {
        meetingId: null,
        departmentId,
        documentNumber: orNull(source.documentNumber)?.trim() ?? null,
        subject: source.subject.trim(),
        basis,
        departmentLabel: orNull(source.departmentLabel)?.trim() ?? null,
        extraRows: ConfirmCouncilImport.#extraRows(source.extraRows, 'overview'),
        contactSection: orNull(source.contactSection),
        contactPerson: orNull(source.contactPerson),
        contactExtension: orNull(source.contactExtension),
        status: 'draft',
        createdByUserId: user.id,
        drafterUserIds: [user.id],
      },
      { client: trx }
    )
  }

  /** As SaveCouncilItem stores an annex's wording: empty = the default, captions without blank lines. */
  static #annexColumns(wording: DraftAnnexWording, kind: TemplateKind) {
    const captions = (wording.captions ?? [])
      .flatMap((caption) => caption.split(/\r?\n/))
      .map((line) => line.trimEnd())
      .filter((line) => line.trim() !== '')
    const rowOverrides: RowOverrides = {}
    for (const [key, override] of Object.entries(wording.rowOverrides ?? {})) {
      if (!ROW_KEYS[kind].includes(key)) continue
      const label = override.label?.trim()
      const entry = { ...(label ? { label } : {}), ...(override.hidden ? { hidden: true } : {}) }
      if (Object.keys(entry).length) rowOverrides[key] = entry
    }
    return {
      caption: captions.length ? captions.join('\n') : null,
      subject: orNull(wording.subject)?.trim() ?? null,
      holderLabel: orNull(wording.holderLabel)?.trim() ?? null,
      rowOverrides,
      extraRows: ConfirmCouncilImport.#extraRows(wording.extraRows, kind),
    }
  }

  /** Extra rows as SaveCouncilItem keeps them: a position the template lacks reads as the end. */
  static #extraRows(rows: ExtraRow[] | undefined, kind: TemplateKind): ExtraRow[] {
    return (rows ?? [])
      .map((row) => ({
        label: row.label?.trim() ?? '',
        value: (row.value ?? '').replace(/\r\n?/g, '\n').replace(/\s+$/u, ''),
        after: row.after === EXTRA_ROW_FIRST || ROW_KEYS[kind].includes(row.after) ? row.after : '',
      }))
      .filter((row) => row.label !== '' || row.value.trim() !== '')
  }
}
