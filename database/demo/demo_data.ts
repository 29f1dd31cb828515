import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Department from '#models/department'
import Contractor from '#models/contractor'
import User from '#models/user'
import DepartmentApprover from '#models/department_approver'
import Citizen from '#models/citizen'
import type { Role } from '#enums/role'
import type { DepartmentLevel } from '#enums/department_level'
import { loadRegisterDemo } from '#database/demo/register_demo'
import { loadCouncilDemo } from '#database/demo/seed_council_items'
import DocumentTemplate from '#models/document_template'
import { loadFaqDemo } from '#database/demo/faq_demo'
import { loadCannedTextDemo } from '#database/demo/canned_text_demo'
import { loadOpinionDemo } from '#database/demo/opinion_demo'

/** The password of every demo account (documented in the README). */
export const DEMO_PASSWORD = 'daicho-demo'

export class DemoDataRefused extends Error {}

/** [code, name, level, parent code] – modelled on the seed documents' ward. */
const DEPARTMENTS: Array<[string, string, DepartmentLevel, string | null]> = [
  ['kucho', '区長室', 'bu', null],
  ['kusei-joho', '区政情報課', 'ka', 'kucho'],
  ['kusei-joho-1', '区政情報係', 'kakari', 'kusei-joho'],
  ['kocho', '広聴担当課', 'ka', 'kucho'],
  ['kocho-1', '広聴係', 'kakari', 'kocho'],
  ['kikikanri', '危機管理課', 'ka', 'kucho'],
  ['kikikanri-1', '危機管理係', 'kakari', 'kikikanri'],
  ['somu', '総合政策部', 'bu', null],
  ['joho-seisaku', '情報政策課', 'ka', 'somu'],
  ['toshi', 'みどり土木部', 'bu', null],
  ['kotsu', '交通対策課', 'ka', 'toshi'],
]

/** [email, name, role, department code | null, contractor name | null] */
const USERS: Array<[string, string, Role, string | null, string | null]> = [
  ['admin@demo.daicho.jp', '管理 太郎', 'admin', 'joho-seisaku', null],
  ['privacy@demo.daicho.jp', '保護 花子', 'privacy_officer', 'kusei-joho', null],
  ['staff@demo.daicho.jp', '広聴 一郎', 'department_staff', 'kocho', null],
  ['supervisor@demo.daicho.jp', '課長 次郎', 'supervisor', 'kocho', null],
  ['supervisor-kusei@demo.daicho.jp', '課長 四郎', 'supervisor', 'kusei-joho', null],
  ['supervisor-kikikanri@demo.daicho.jp', '課長 五郎', 'supervisor', 'kikikanri', null],
  ['kikikanri@demo.daicho.jp', '危機 三郎', 'department_staff', 'kikikanri', null],
  ['operator@demo.daicho.jp', '応答 さくら', 'operator', 'kusei-joho', null],
  ['contractor@demo.daicho.jp', '受託 健太', 'contractor', null, '三幸株式会社'],
  ['contractor2@demo.daicho.jp', '配信 美咲', 'contractor', null, '安心メール配信株式会社'],
]

/** [department code, approver's email]: the departments that draft replies, FAQ and council items. */
const APPROVERS: Array<[string, string]> = [
  ['kocho', 'supervisor@demo.daicho.jp'],
  ['kusei-joho', 'supervisor-kusei@demo.daicho.jp'],
  ['kikikanri', 'supervisor-kikikanri@demo.daicho.jp'],
]

const CONTRACTORS = [
  { name: '三幸株式会社', address: '東京都新宿区（デモ）' },
  { name: '安心メール配信株式会社', address: '東京都千代田区（デモ・架空の事業者）' },
]

/**
 * Loads the demo organisation, contractors, one account per role, the
 * special-terms library, the three seed registrations and a demo citizen — only into an empty database, never in production.
 */
export default class DemoData {
  /**
   * The ward's organisation and its staff accounts (password `daicho-demo`): what a ward has
   * before anything is registered. With `contractors: false`, no contractor and no contractor
   * account (the round-trip tests enter contractors through the forms).
   */
  static async loadOrganisation(trx: TransactionClientContract, { contractors = true } = {}) {
    const departmentIds = new Map<string, number>()
    for (const [index, [code, name, level, parentCode]] of DEPARTMENTS.entries()) {
      const department = await Department.create(
        {
          code,
          name,
          level,
          parentId: parentCode ? departmentIds.get(parentCode)! : null,
          sortOrder: index,
        },
        { client: trx }
      )
      departmentIds.set(code, department.id)
    }
    const contractorIds = new Map<string, number>()
    for (const attributes of contractors ? CONTRACTORS : []) {
      const contractor = await Contractor.create(attributes, { client: trx })
      contractorIds.set(contractor.name, contractor.id)
    }
    for (const [email, fullName, role, departmentCode, contractorName] of USERS) {
      if (contractorName && !contractorIds.has(contractorName)) continue
      await User.create(
        {
          email,
          fullName,
          role,
          password: DEMO_PASSWORD,
          departmentId: departmentCode ? departmentIds.get(departmentCode)! : null,
          contractorId: contractorName ? contractorIds.get(contractorName)! : null,
          locale: 'ja',
          isActive: true,
          isDemo: true,
          failedLoginCount: 0,
        },
        { client: trx }
      )
    }
    // Every department that drafts replies, FAQ or council items names its 課長 as approver.
    for (const [departmentCode, email] of APPROVERS) {
      const approver = await User.query({ client: trx }).where('email', email).firstOrFail()
      await DepartmentApprover.create(
        {
          departmentId: departmentIds.get(departmentCode)!,
          userId: approver.id,
          capacity: 'approver',
        },
        { client: trx }
      )
    }
    return { departmentIds, contractorIds }
  }

  static async load({ inProduction }: { inProduction: boolean }): Promise<'loaded' | 'skipped'> {
    if (inProduction) {
      throw new DemoDataRefused('Demo data and demo accounts are refused when NODE_ENV=production')
    }
    const existing = await db.from('users').count('* as total').first()
    if (Number(existing?.total ?? 0) > 0) return 'skipped'

    await db.transaction(async (trx) => {
      const { departmentIds, contractorIds } = await DemoData.loadOrganisation(trx)
      await loadRegisterDemo(trx, departmentIds, contractorIds)
      await loadCouncilDemo(trx)
      await loadFaqDemo(trx, departmentIds)
      await loadCannedTextDemo(trx, departmentIds)
      const citizen = await Citizen.create(
        {
          email: 'citizen@demo.daicho.jp',
          fullName: '新宿 区民',
          phone: '03-0000-0000',
          password: DEMO_PASSWORD,
          isDemo: true,
          failedLoginCount: 0,
          emailVerifiedAt: DateTime.now(),
        },
        { client: trx }
      )
      await loadOpinionDemo(trx, departmentIds, citizen.id)
    })
    // The council document templates (the migration seeds them; a reset test database has none).
    await DocumentTemplate.ensureAll()
    return 'loaded'
  }
}
