import env from '#start/env'
import PersonalDataSystem from '#models/personal_data_system'
import type { CsvColumn } from '#services/csv/csv_export'
import { jaText } from '#services/ja_text'
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

/** The statutory items, in the order of 法74条1項; built on use (the translations load after this module). */
export function fileRegisterColumns(): CsvColumn[] {
  return (
    [
      ['fileName', 'file_name'],
      ['organisation', 'organisation'],
      ['department', 'department'],
      ['purpose', 'purpose'],
      ['recordedItems', 'recorded_items'],
      ['recordScope', 'record_scope'],
      ['collectionMethod', 'collection_method'],
      ['specialCare', 'special_care'],
      ['regularRecipients', 'regular_recipients'],
      ['disclosureOffice', 'disclosure_office'],
      ['otherLawProcedures', 'other_law_procedures'],
      ['fileType', 'file_type'],
    ] satisfies Array<[keyof FileRegisterEntry, string]>
  ).map(([key, label]) => ({ key, header: jaText(`register.file_register.columns.${label}`) }))
}

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
    const organisation = env.get(
      'WARD_NAME',
      jaText('register.file_register.values.default_organisation')
    )
    const office = env.get(
      'DISCLOSURE_OFFICE',
      jaText('register.file_register.values.default_disclosure_office')
    )

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
      specialCare: jaText(
        snapshot.dataItems.some((item) => item.specialCare !== null)
          ? 'register.file_register.values.special_care_included'
          : 'register.file_register.values.special_care_not_included'
      ),
      regularRecipients: approved.regularRecipients ?? jaText('register.file_register.values.none'),
      disclosureOffice: office,
      otherLawProcedures:
        approved.otherLawProcedures ?? jaText('register.file_register.values.none'),
      fileType: jaText(
        `register.file_type.${approved.fileType === 'computer' ? 'computer' : 'manual'}`
      ),
    }
  }
}
