import { DateTime } from 'luxon'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import PersonalDataSystem from '#models/personal_data_system'
import SubjectGroup from '#models/subject_group'
import DataItem from '#models/data_item'
import Contract from '#models/contract'
import ContractDataItem from '#models/contract_data_item'
import SpecialTermSet from '#models/special_term_set'
import SpecialTermClause from '#models/special_term_clause'
import SystemSnapshots from '#services/register/system_snapshot'
import DutyLedger from '#services/oversight/duty_ledger'
import { SPECIAL_TERMS_SETS } from '#database/demo/special_terms_data'
import { SEED_SYSTEMS, type DemoSystem } from '#database/demo/seed_systems'
import AuditLogger from '#services/audit_logger'

const date = (value: string | null) =>
  value ? DateTime.fromISO(value, { zone: 'Asia/Tokyo' }) : null

/**
 * Loads the special-terms library and the three seed registrations (with
 * their data items, contracts and attached terms) as version 1 of each.
 */
export async function loadRegisterDemo(
  trx: TransactionClientContract,
  departmentIds: Map<string, number>,
  contractorIds: Map<string, number>
) {
  const termSets = new Map<string, number>()
  for (const data of SPECIAL_TERMS_SETS) {
    const set = await SpecialTermSet.create(
      { code: data.code, version: data.version, name: data.name, appliesTo: data.appliesTo },
      { client: trx }
    )
    for (const clause of data.clauses) {
      await SpecialTermClause.create(
        {
          setId: set.id,
          number: clause.number,
          heading: clause.heading,
          body: clause.body,
          items: clause.items ?? [],
          duty: clause.duty ?? null,
          subcontractRule: clause.subcontractRule ?? null,
          requiresTraining: clause.duty === 'training' || clause.requiresTraining === true,
        },
        { client: trx }
      )
    }
    termSets.set(data.code, set.id)
  }
  await loadSeedSystems(trx, departmentIds, contractorIds, termSets)
}

/** The three seed registrations under the special-terms sets given by code (again, for a larger register). */
export async function loadSeedSystems(
  trx: TransactionClientContract,
  departmentIds: Map<string, number>,
  contractorIds: Map<string, number>,
  termSets: Map<string, number>
) {
  for (const seed of SEED_SYSTEMS) {
    await loadSystem(trx, seed, departmentIds, contractorIds, termSets)
  }
}

async function loadSystem(
  trx: TransactionClientContract,
  seed: DemoSystem,
  departmentIds: Map<string, number>,
  contractorIds: Map<string, number>,
  termSets: Map<string, number>
) {
  const system = await PersonalDataSystem.create(
    {
      departmentId: departmentIds.get(seed.department)!,
      name: seed.name,
      businessName: seed.businessName,
      purpose: seed.purpose,
      subjectsSummary: seed.subjectsSummary,
      description: seed.description,
      recordingComputer: seed.recordingComputer,
      media: seed.media,
      lifecycle: seed.lifecycle,
      startedOn: date(seed.startedOn),
      changeReason: seed.changeReason,
      changeContent: seed.changeContent,
      developmentMeasures: seed.developmentMeasures,
      changeSchedule: seed.changeSchedule,
      collectionMethod: seed.collectionMethod,
      regularRecipients: seed.regularRecipients,
      fileType: 'computer',
      publishedInFileRegister: true,
      version: 0,
    },
    { client: trx }
  )
  for (const [index, description] of seed.subjectGroups.entries()) {
    await SubjectGroup.create(
      { systemId: system.id, number: index + 1, description },
      { client: trx }
    )
  }
  const items = new Map<string, number>()
  for (const [index, name] of seed.items.entries()) {
    const item = await DataItem.create(
      { systemId: system.id, name, sortOrder: index },
      { client: trx }
    )
    items.set(name, item.id)
  }

  const terms = seed.contract
  const contract = await Contract.create(
    {
      systemId: system.id,
      contractorId: terms.contractor ? contractorIds.get(terms.contractor)! : null,
      title: terms.title,
      selectionMethod: terms.selectionMethod,
      undecidedNote: terms.undecidedNote,
      reason: terms.reason,
      tasks: terms.tasks,
      periodType: terms.periodType,
      startsOn: date(terms.startsOn),
      endsOn: date(terms.endsOn),
      periodNote: terms.periodNote,
      periodLead: terms.periodLead ?? null,
      startsOnPrecision: terms.startsOnPrecision ?? 'day',
      subjectsText: terms.subjectsText ?? null,
      itemsNote: terms.itemsNote ?? null,
      itemsLayout: terms.itemsLayout ?? 'comma',
      media: terms.media,
      wardMeasuresOperational: terms.wardOperational,
      wardMeasuresSystem: terms.wardSystem,
      contractorMeasuresOperational: terms.contractorOperational,
      contractorMeasuresSystem: terms.contractorSystem,
      specialTermSetId: termSets.get(terms.terms)!,
      handlesPersonalData: true,
      status: terms.contractor ? 'active' : 'draft',
      reportFrequency: terms.reportFrequency ?? null,
      callCenter: terms.callCenter ?? false,
    },
    { client: trx }
  )
  const names = (list: string[] | 'all') => (list === 'all' ? seed.items : list)
  for (const [direction, list] of [
    ['collected', terms.collected],
    ['provided', terms.provided],
  ] as const) {
    for (const [sortOrder, name] of names(list).entries()) {
      await ContractDataItem.create(
        {
          contractId: contract.id,
          dataItemId: items.get(name)!,
          direction,
          sortOrder,
          groupHeading: terms.itemHeadings?.[name] ?? null,
        },
        { client: trx }
      )
    }
  }
  await DutyLedger.recompute(contract.id, AuditLogger.system, trx)
  await SystemSnapshots.record(system.id, '初期登録（審議会資料より）', null, trx)
}
