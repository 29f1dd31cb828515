import env from '#start/env'
import PersonalDataSystem from '#models/personal_data_system'
import type { CsvColumn } from '#services/csv_export'

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

/**
 * The published personal-information file register, built from the
 * register: systems marked for publication that are still held.
 */
export default class FileRegister {
  static async entries(): Promise<FileRegisterEntry[]> {
    const systems = await PersonalDataSystem.query()
      .where('publishedInFileRegister', true)
      .whereNot('lifecycle', 'retired')
      .preload('department', (department) => department.preload('parent'))
      .preload('subjectGroups')
      .preload('dataItems')
      .orderBy('departmentId')
      .orderBy('name')
    const organisation = env.get('WARD_NAME', '〇〇区')
    const office = env.get('DISCLOSURE_OFFICE', '区政情報課')

    return systems.map((system) => ({
      id: system.id,
      fileName: system.name,
      organisation,
      department: [system.department.parent?.name, system.department.name].filter(Boolean).join(''),
      purpose: system.purpose,
      recordedItems: system.dataItems.map((item) => item.name).join('、'),
      recordScope:
        system.subjectGroups.map((group) => group.description).join('、') || system.subjectsSummary || '',
      collectionMethod: system.collectionMethod ?? '',
      specialCare: system.hasSpecialCareData ? '含む' : '含まない',
      regularRecipients: system.regularRecipients ?? 'なし',
      disclosureOffice: office,
      otherLawProcedures: system.otherLawProcedures ?? 'なし',
      fileType: system.fileType === 'computer' ? '電算処理ファイル' : 'マニュアル処理ファイル',
    }))
  }
}
