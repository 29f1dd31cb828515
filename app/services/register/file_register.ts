import env from '#start/env'
import PersonalDataSystem from '#models/personal_data_system'
import type { CsvColumn } from '#services/csv/csv_export'
import ApprovedState from '#services/register/approved_state'
import type { SystemSnapshot } from '#services/register/system_snapshot'

/** One entry of the 個人情報ファイル簿 (法75条, items of 法74条1項 and 令20条). */
export interface FileRegisterEntry {
  id: number
  fileName: string
  organisation: string
  department: string
  purpose: string
  recordedItems: string
  recordScope: string
  collectionMethod: string
  specialCare: string
  regularRecipients: string
  disclosureOffice: string
  otherLawProcedures: string
  fileType: string
}

export const FILE_REGISTER_COLUMNS: CsvColumn[] = [
  { key: 'fileName', header: '個人情報ファイルの名称' },
  { key: 'organisation', header: '行政機関等の名称' },
  { key: 'department', header: '個人情報ファイルが利用に供される事務をつかさどる組織の名称' },
  { key: 'purpose', header: '個人情報ファイルの利用目的' },
  { key: 'recordedItems', header: '記録項目' },
  { key: 'recordScope', header: '記録範囲' },
  { key: 'collectionMethod', header: '記録情報の収集方法' },
  { key: 'specialCare', header: '要配慮個人情報が含まれるときは、その旨' },
  { key: 'regularRecipients', header: '記録情報の経常的提供先' },
  { key: 'disclosureOffice', header: '開示請求等を受理する組織の名称及び所在地' },
  { key: 'otherLawProcedures', header: '訂正及び利用停止に関する他の法令の規定による特別の手続等' },
  { key: 'fileType', header: '個人情報ファイルの種別' },
]

/** A system that would be published but has no council-approved version yet. */
export interface WithheldSystem {
  id: number
  departmentId: number
  name: string
  department: string
}

/**
 * The published personal-information file register (個人情報ファイル簿).
 *
 * Lists systems marked for publication that are in operation now (their
 * current lifecycle), each with the values of its latest council-approved
 * version (ApprovedState), never the live register row: an edit shows once
 * the council approves it. A system in operation that the council never
 * approved is withheld (not listed at all, since even its name is unapproved
 * data); `withheld` names those for ward staff so they can be submitted.
 */
export default class FileRegister {
  static async entries(): Promise<FileRegisterEntry[]> {
    const { entries } = await FileRegister.build()
    return entries
  }

  static async build(): Promise<{ entries: FileRegisterEntry[]; withheld: WithheldSystem[] }> {
    const systems = await PersonalDataSystem.query()
      .where('publishedInFileRegister', true)
      .where('lifecycle', 'operating')
      .preload('department', (department) => department.preload('parent'))
      .orderBy('departmentId')
      .orderBy('name')
    const approved = await ApprovedState.approvedVersions()
    const organisation = env.get('WARD_NAME', '〇〇区')
    const office = env.get('DISCLOSURE_OFFICE', '区政情報課')

    const entries: Array<FileRegisterEntry & { departmentOrder: number }> = []
    const withheld: WithheldSystem[] = []
    for (const system of systems) {
      const version = approved.get(system.id)
      if (!version) {
        withheld.push({
          id: system.id,
          departmentId: system.departmentId,
          name: system.name,
          department: system.department.name,
        })
        continue
      }
      entries.push(FileRegister.#entry(system, version.snapshot, organisation, office))
    }
    entries.sort(
      (a, b) =>
        a.departmentOrder - b.departmentOrder ||
        (a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : 0)
    )
    return { entries: entries.map(({ departmentOrder, ...entry }) => entry), withheld }
  }

  /** One entry from an approved snapshot; only the organisation chain above the department is read live. */
  static #entry(
    system: PersonalDataSystem,
    snapshot: SystemSnapshot,
    organisation: string,
    office: string
  ): FileRegisterEntry & { departmentOrder: number } {
    const approved = snapshot.system
    // The 部 above the 課 is organisational, not approved content; it is added only
    // while the system still belongs to the department the council approved.
    const department =
      system.department.name === approved.department
        ? [system.department.parent?.name, system.department.name].filter(Boolean).join('')
        : approved.department
    return {
      id: system.id,
      departmentOrder: system.departmentId,
      fileName: approved.name,
      organisation,
      department,
      purpose: approved.purpose,
      recordedItems: snapshot.dataItems.map((item) => item.name).join('、'),
      recordScope:
        snapshot.subjectGroups.map((group) => group.description).join('、') ||
        approved.subjectsSummary ||
        '',
      collectionMethod: approved.collectionMethod ?? '',
      specialCare: snapshot.dataItems.some((item) => item.specialCare !== null)
        ? '含む'
        : '含まない',
      regularRecipients: approved.regularRecipients ?? 'なし',
      disclosureOffice: office,
      otherLawProcedures: approved.otherLawProcedures ?? 'なし',
      fileType: approved.fileType === 'computer' ? '電算処理ファイル' : 'マニュアル処理ファイル',
    }
  }
}
