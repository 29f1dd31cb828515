import PersonalDataSystem from '#models/personal_data_system'
import type RegisterScope from '#builders/register_scope'
import { jaText } from '#services/ja_text'
import type { CsvColumn, CsvRow } from '#services/csv/csv_export'

/** CSV cells use the Japanese labels of the UI. */
const label = (group: string, code: string | null) =>
  code ? jaText(`register.${group}.${code}`) : ''

/** Headers from register.csv.<group>.<key in snake_case>. */
const columns = (group: string, keys: string[]): CsvColumn[] =>
  keys.map((key) => ({
    key,
    header: jaText(`register.csv.${group}.${key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`),
  }))

/**
 * Rows of the register CSV exports, limited to what the user's scope shows.
 */
export default class RegisterCsv {
  /** Built on use: the translations are loaded after this module. */
  static systemColumns(): CsvColumn[] {
    return columns('system_columns', [
      'id',
      'name',
      'businessName',
      'department',
      'purpose',
      'subjects',
      'media',
      'lifecycle',
      'startedOn',
      'itemCount',
      'specialCare',
      'contractors',
      'version',
    ])
  }

  static dataItemColumns(): CsvColumn[] {
    return columns('item_columns', [
      'systemId',
      'system',
      'department',
      'groupHeading',
      'name',
      'note',
      'subjectGroup',
      'specialCare',
      'prohibited',
      'approvedOn',
      'approvedBy',
    ])
  }

  static async systemRows(scope: RegisterScope): Promise<CsvRow[]> {
    const systems = await scope
      .systems()
      .preload('department')
      .preload('subjectGroups')
      .preload('dataItems')
      .preload('contracts', (contracts) => contracts.preload('contractor'))
      .orderBy('id')
    return systems.map((system) => ({
      id: system.id,
      name: system.name,
      businessName: system.businessName,
      department: system.department.name,
      purpose: system.purpose,
      subjects:
        system.subjectGroups.map((group) => `${group.number} ${group.description}`).join('\n') ||
        system.subjectsSummary,
      media: system.media.map((medium) => label('media', medium)).join('、'),
      lifecycle: label('lifecycle', system.lifecycle),
      startedOn: system.startedOn,
      itemCount: system.dataItems.length,
      specialCare: system.hasSpecialCareData,
      contractors: [
        ...new Set(
          system.contracts.map(
            (contract) => contract.contractor?.name ?? jaText('register.contracts.undecided')
          )
        ),
      ].join('、'),
      version: system.version,
    }))
  }

  static async dataItemRows(scope: RegisterScope): Promise<CsvRow[]> {
    const items = await scope
      .dataItems()
      .preload('subjectGroup')
      .orderBy('systemId')
      .orderBy('sortOrder')
      .orderBy('id')
    const systems = await PersonalDataSystem.query()
      .whereIn('id', [...new Set(items.map((item) => item.systemId))])
      .preload('department')
    const systemById = new Map(systems.map((system) => [system.id, system]))
    return items.map((item) => ({
      systemId: item.systemId,
      system: systemById.get(item.systemId)?.name,
      department: systemById.get(item.systemId)?.department.name,
      groupHeading: item.groupHeading,
      name: item.name,
      note: item.note,
      subjectGroup: item.subjectGroup
        ? `${item.subjectGroup.number} ${item.subjectGroup.description}`
        : '',
      specialCare: label('special_care', item.specialCareCategory),
      prohibited: label('prohibited', item.prohibitedCategory),
      approvedOn: item.prohibitedApprovedOn,
      approvedBy: item.prohibitedApprovedBy,
    }))
  }
}
