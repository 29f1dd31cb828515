import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import PersonalDataSystem from '#models/personal_data_system'
import SystemVersion from '#models/system_version'
import Contract from '#models/contract'
import { DateTime } from 'luxon'

/** The whole registered state of a system at one moment, as stored per version. */
export interface SystemSnapshot {
  system: {
    name: string
    businessName: string | null
    department: string
    purpose: string
    subjectsSummary: string | null
    description: string | null
    recordingComputer: string | null
    media: string[]
    lifecycle: string
    fileType: string
    collectionMethod: string | null
    regularRecipients: string | null
    /** 他の法令による特別の手続 (個人情報ファイル簿); only when set (versions recorded before it compare equal). */
    otherLawProcedures?: string
  }
  subjectGroups: Array<{ number: number; description: string }>
  /** group and note only when set (versions recorded before them compare equal). */
  dataItems: Array<{
    name: string
    group?: string
    note?: string
    subjectGroup: number | null
    specialCare: string | null
    prohibited: string | null
    approved: boolean
  }>
  contracts: Array<{
    id: number
    title: string
    contractor: string | null
    subcontractOf: number | null
    status: string
    media: string[]
    specialTerms: string | null
    collected: string[]
    provided: string[]
  }>
}

/**
 * Captures snapshots of a system and records them as numbered versions.
 */
export default class SystemSnapshots {
  /** The current state of a system, read inside `client` when given. */
  static async capture(systemId: number, client?: QueryClientContract): Promise<SystemSnapshot> {
    const options = client ? { client } : undefined
    const system = await PersonalDataSystem.query(options)
      .where('id', systemId)
      .preload('department')
      .preload('subjectGroups')
      .preload('dataItems')
      .firstOrFail()
    const contracts = await Contract.query(options)
      .where('systemId', systemId)
      .preload('contractor')
      .preload('specialTermSet')
      .preload('itemLinks', (links) => links.preload('dataItem'))
      .orderBy('id')
    return SystemSnapshots.of(system, contracts)
  }

  /**
   * The snapshot of a system already read: its department, subject groups and
   * data items loaded, and all its contracts (subcontracts included, by id)
   * with contractor, special terms and item links with their data items.
   */
  static of(system: PersonalDataSystem, contracts: Contract[]): SystemSnapshot {
    const groupNumber = new Map(system.subjectGroups.map((group) => [group.id, group.number]))
    const itemNames = (contract: Contract, direction: string) =>
      contract.itemLinks
        .filter((link) => link.direction === direction)
        .map((link) => link.dataItem.name)

    return {
      system: {
        name: system.name,
        businessName: system.businessName,
        department: system.department.name,
        purpose: system.purpose,
        subjectsSummary: system.subjectsSummary,
        description: system.description,
        recordingComputer: system.recordingComputer,
        media: [...system.media],
        lifecycle: system.lifecycle,
        fileType: system.fileType,
        collectionMethod: system.collectionMethod,
        regularRecipients: system.regularRecipients,
        ...(system.otherLawProcedures ? { otherLawProcedures: system.otherLawProcedures } : {}),
      },
      subjectGroups: system.subjectGroups.map(({ number, description }) => ({
        number,
        description,
      })),
      dataItems: system.dataItems.map((item) => ({
        name: item.name,
        ...(item.groupHeading ? { group: item.groupHeading } : {}),
        ...(item.note ? { note: item.note } : {}),
        subjectGroup: item.subjectGroupId ? (groupNumber.get(item.subjectGroupId) ?? null) : null,
        specialCare: item.specialCareCategory,
        prohibited: item.prohibitedCategory,
        approved: item.prohibitedApprovedOn !== null,
      })),
      contracts: contracts.map((contract) => ({
        id: contract.id,
        title: contract.title,
        contractor: contract.contractor?.name ?? null,
        subcontractOf: contract.parentContractId,
        status: contract.status,
        media: [...contract.media],
        specialTerms: contract.specialTermSet?.label ?? null,
        collected: itemNames(contract, 'collected'),
        provided: itemNames(contract, 'provided'),
      })),
    }
  }

  /** Stores the current state as the system's next version (inside the caller's transaction). */
  static async record(
    systemId: number,
    summary: string,
    userId: number | null,
    client: QueryClientContract
  ) {
    const snapshot = await SystemSnapshots.capture(systemId, client)
    const system = await PersonalDataSystem.query({ client })
      .where('id', systemId)
      .if(client.dialect.name === 'postgres', (query) => query.forUpdate())
      .firstOrFail()
    system.version += 1
    await system.save()
    return SystemVersion.create(
      {
        systemId,
        version: system.version,
        snapshot,
        summary: summary.slice(0, 200),
        changedByUserId: userId,
        createdAt: DateTime.now(),
      },
      { client }
    )
  }
}
