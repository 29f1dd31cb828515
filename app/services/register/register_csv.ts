import PersonalDataSystem from '#models/personal_data_system'
import type RegisterScope from '#builders/register_scope'
import { jaText } from '#services/ja_text'
import type { CsvColumn, CsvRow } from '#services/csv/csv_export'

/** CSV cells use the Japanese labels of the UI. */
const label = (group: string, code: string | null) =>
  code ? jaText(`register.${group}.${code}`) : ''

/**
 * Rows of the register CSV exports, limited to what the user's scope shows.
 */
export default class RegisterCsv {
  static SYSTEM_COLUMNS: CsvColumn[] = [
    { key: 'id', header: 'ID' },
    { key: 'name', header: '登録業務の名称' },
    { key: 'businessName', header: '事業名' },
    { key: 'department', header: '保有課' },
    { key: 'purpose', header: '目的' },
    { key: 'subjects', header: '個人の範囲' },
    { key: 'media', header: '記録媒体' },
    { key: 'lifecycle', header: '状態' },
    { key: 'startedOn', header: '開始日' },
    { key: 'itemCount', header: '記録項目数' },
    { key: 'specialCare', header: '要配慮個人情報' },
    { key: 'contractors', header: '委託先' },
    { key: 'version', header: '版' },
  ]

  static DATA_ITEM_COLUMNS: CsvColumn[] = [
    { key: 'systemId', header: '登録業務ID' },
    { key: 'system', header: '登録業務の名称' },
    { key: 'department', header: '保有課' },
    { key: 'groupHeading', header: '見出し' },
    { key: 'name', header: '記録項目' },
    { key: 'note', header: '注記' },
    { key: 'subjectGroup', header: '個人の範囲' },
    { key: 'specialCare', header: '要配慮個人情報の区分' },
    { key: 'prohibited', header: '収集禁止事項の区分' },
    { key: 'approvedOn', header: '収集の承認日' },
    { key: 'approvedBy', header: '承認者' },
  ]

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
