import { readFileSync } from 'node:fs'
import { SEED_000, SEED_001, SEED_004 } from '#database/demo/seed_systems'

/**
 * What a privacy officer types into the forms to enter each seed council document
 * (tests/fixtures/seeds/*.txt): values copied from the document, through the register data of
 * database/demo/seed_systems.ts where that holds the same text. Nothing here is written to the
 * database; tests/browser/council_round_trip.spec.ts types it into the forms.
 */

export type Medium = 'paper' | 'electronic' | 'usb' | 'cloud'

/** The wording of one annex as the document states it (council item form). */
export interface AnnexWording {
  subject?: string
  captions?: string[]
  holderLabel?: string
  /** Row key → label as the document writes it. */
  labels?: Record<string, string>
  /** Row keys the document does not print. */
  hidden?: string[]
}

export interface RoundTripEntry {
  /** File name in tests/fixtures/seeds/. */
  seed: string
  /** A contractor to register first (/contractors). */
  contractor?: string
  system: {
    department: string
    name: string
    businessName: string
    purpose: string
    subjectsSummary: string
    subjectGroups: string[]
    recordingComputer: string
    media: Medium[]
    description: string
    changeReason?: string
    changeContent?: string
    developmentMeasures?: string
    changeSchedule?: string
  }
  /** The list pasted into the bulk item table, as the document writes it. */
  itemsPaste: string
  /** Name of the special-terms set; its text is pasted from the document. */
  termsName: string
  contract: {
    title: string
    contractor?: string
    undecidedNote?: string
    selectionMethod?: 'tokumei' | 'nyusatsu' | 'proposal' | 'other'
    subjectsText?: string
    /** Every item of the system is ticked in this table, in the order entered. */
    direction: 'provided' | 'collected'
    /** Group heading on the n-th ticked item. */
    headings?: Record<number, string>
    itemsLayout: 'comma' | 'lines' | 'bullets'
    itemsNote?: string
    media: Medium[]
    reason: string
    /** Blocks separated by a blank line. */
    tasks: string
    periodLead?: string
    periodType: 'fixed' | 'open_ended' | 'renewed_yearly'
    startsOn: string
    startsOnPrecision?: 'day' | 'month'
    endsOn?: string
    periodNote?: string
    wardMeasures: string[]
    contractorMeasures: string[]
    reportFrequency?: 'monthly' | 'quarterly' | 'yearly'
  }
  item: {
    subject: string
    consultation: string[]
    report: string[]
    priorReport: string[]
    departmentLabel?: string
    contactSection?: string
    contactPerson?: string
    contactExtension?: string
    includeSystem: boolean
    system?: AnnexWording
    contractAnnex: AnnexWording
  }
  /** Put on a meeting's agenda (approve → submit → schedule). */
  agenda?: { fiscalYear: number; number: number; documentNumber: string }
}

const seedsDir = new URL('../fixtures/seeds/', import.meta.url)

/** The text of a seed document. */
export function seedText(seed: string): string {
  return readFileSync(new URL(seed, seedsDir), 'utf8')
}

/** The special terms of a seed document as one would copy them: from the 特記事項 heading to the end. */
export function seedTermsText(seed: string): string {
  const lines = seedText(seed).split('\n')
  const start = lines.findIndex((line) => line.replace(/[#\s\u3000]/gu, '') === '特記事項')
  if (start < 0) throw new Error(`no 特記事項 in ${seed}`)
  return lines.slice(start).join('\n')
}

const lines = (...values: string[]) => values.join('\n')

/** 000: 新宿区コールセンターFAQシステム及び新宿区区民意見システムの再構築等 (諮問 + 報告, two annexes). */
const ENTRY_000: RoundTripEntry = {
  seed: '000_7d152e217bd49c2e.txt',
  system: {
    department: '広聴担当課',
    name: SEED_000.name,
    businessName: SEED_000.businessName!,
    purpose: SEED_000.purpose,
    subjectsSummary: SEED_000.subjectsSummary!,
    subjectGroups: SEED_000.subjectGroups,
    recordingComputer: SEED_000.recordingComputer!,
    media: ['electronic'],
    description: SEED_000.description!,
    changeReason: SEED_000.changeReason!,
    changeContent: SEED_000.changeContent!,
    developmentMeasures: SEED_000.developmentMeasures!,
    changeSchedule: SEED_000.changeSchedule!,
  },
  itemsPaste:
    'ID、パスワード、氏名、郵便番号、住所、電話番号、メールアドレス(ID登録用)、FAX番号、意見等の内容、回答内容',
  termsName: '個人情報の取扱いに関する特記事項（16項目）',
  contract: {
    title: SEED_000.contract.title,
    undecidedNote: '未定(6月に特命随契で事業者を指定する予定)',
    selectionMethod: 'tokumei',
    subjectsText: '【該当者(※)に係る情報項目】',
    direction: 'provided',
    itemsLayout: 'comma',
    itemsNote: lines(
      '※ 「該当者」の定義',
      '1 区長への投書(一般投書、区長へのはがき、メール)として、区へ意見等を提出した者',
      '2 担当課へ区のホームページから問合せを行い、かつ、回答を要望する者',
      '3 コールセンター対象外業務についてコールセンターに問合せを行い、かつ、後日、担当課から回答を要望する者'
    ),
    media: ['electronic'],
    reason: SEED_000.contract.reason,
    tasks: SEED_000.contract.tasks.join('\n\n'),
    periodType: 'fixed',
    startsOn: '2013-06-01',
    startsOnPrecision: 'month',
    endsOn: '2014-03-31',
    wardMeasures: SEED_000.contract.wardOperational,
    contractorMeasures: SEED_000.contract.contractorOperational,
  },
  item: {
    subject: '新宿区コールセンターFAQシステム及び新宿区区民意見システムの再構築等について',
    consultation: ['◇第16条第1項本文（電子計算機による個人情報の処理開発、変更）'],
    report: ['◇第14条第1項（業務委託）'],
    priorReport: [],
    departmentLabel: '広聴担当課',
    includeSystem: true,
    system: {
      subject: '新宿区コールセンターFAQシステム及び新宿区区民意見システムの再構築について',
    },
    contractAnnex: {},
  },
}

/** 001: コールセンター業務委託 (平成19年度 第7回 資料33, 事前報告, captions above the annex). */
const ENTRY_001: RoundTripEntry = {
  seed: '001_820e07acc9fcada2.txt',
  contractor: '三幸株式会社',
  system: {
    department: '区政情報課',
    name: SEED_001.name,
    businessName: SEED_001.businessName!,
    purpose: SEED_001.purpose,
    subjectsSummary: SEED_001.subjectsSummary!,
    subjectGroups: SEED_001.subjectGroups,
    recordingComputer: SEED_001.recordingComputer!,
    media: ['electronic'],
    // Two paragraphs, as in the document.
    description: SEED_001.description!.replace('。閉庁時間中', '。\n閉庁時間中'),
  },
  itemsPaste: lines(
    '・氏名',
    '・開庁時に連絡がとれる電話番号',
    '・問合せ内容',
    '・住所（必要な場合のみ）',
    '・Ｅメールアドレス（必要な場合のみ）',
    '・ＦＡＸ番号（必要な場合のみ）'
  ),
  termsName: '個人情報の取扱いに関する特記事項（コールセンター）',
  contract: {
    title: SEED_001.contract.title,
    contractor: '三幸株式会社',
    subjectsText: '問合せをした方の',
    direction: 'collected',
    itemsLayout: 'bullets',
    // The register records the medium; this document does not print the row (hidden below).
    media: ['electronic'],
    reason: SEED_001.contract.reason,
    tasks: SEED_001.contract.tasks[0].replace('。閉庁時間中', '。\n閉庁時間中'),
    periodLead: '現行の庁舎総合管理業務委託契約に基づき、',
    periodType: 'fixed',
    startsOn: '2008-03-03',
    endsOn: '2010-03-31',
    periodNote: 'とする。',
    // In the document's order (operational and system measures interleaved).
    wardMeasures: [
      '契約変更にあたり、別紙「特記事項」を付す。',
      'オペレーターの端末操作にあたり、ユーザーＩＤ及びパスワードによる認証を行い、セキュリティの徹底を図る。',
      '専用回線を経由する端末を使用し、オペレーター室以外での使用を不可能にする。',
      '収集した個人情報は、収集後1年をもって区政情報課で履歴を削除する。',
    ],
    contractorMeasures: SEED_001.contract.contractorOperational,
  },
  item: {
    subject: 'コールセンター業務委託について',
    consultation: [],
    report: [],
    priorReport: ['◇第14条第1項（個人情報の収集及び個人情報の電子計算機処理の委託）'],
    contactPerson: '梅澤',
    contactExtension: '２１５２',
    includeSystem: false,
    contractAnnex: {
      captions: [
        '別紙（業務委託＝個人情報の提供を伴わない委託＝個人情報の収集委託等）',
        '◇１．電子計算機による個人情報の処理委託等（第14条第１項）・・・事前報告',
        '◇２．個人情報の収集を伴う委託等（第14条第１項）・・・事前報告',
      ],
      holderLabel: '区長室区政情報課',
      labels: { data_items: '委託に伴い事業者に処理させる情報項目（だれの、どのような項目か）' },
      hidden: ['media'],
    },
  },
  agenda: { fiscalYear: 2007, number: 7, documentNumber: '資料33' },
}

/** 004: 地域安全・安心情報のメール配信に関する業務委託 (事前報告, contractor chosen by tender). */
const ENTRY_004: RoundTripEntry = {
  seed: '004_1402d2ef23b0738c.txt',
  system: {
    department: '危機管理課',
    name: SEED_004.name,
    businessName: SEED_004.businessName!,
    purpose: SEED_004.purpose,
    subjectsSummary: SEED_004.subjectsSummary!,
    subjectGroups: SEED_004.subjectGroups,
    recordingComputer: SEED_004.recordingComputer!,
    media: ['electronic'],
    description: SEED_004.description!,
  },
  itemsPaste: lines(...SEED_004.items),
  termsName: '個人情報の取扱いに関する特記事項（メール配信）',
  contract: {
    title: SEED_004.contract.title,
    undecidedNote: '入札により決定した委託業者',
    selectionMethod: 'nyusatsu',
    subjectsText: lines('1 処理を依頼する個人の範囲', '　メール配信を希望する区民等'),
    direction: 'collected',
    headings: { 0: '2 処理を依頼する個人情報の項目' },
    itemsLayout: 'lines',
    itemsNote: lines('3 記録するコンピュータ', '　委託業者のコンピュータ'),
    media: ['electronic'],
    reason: SEED_004.contract.reason,
    tasks: SEED_004.contract.tasks[0],
    periodType: 'open_ended',
    startsOn: '2007-09-01',
    wardMeasures: SEED_004.contract.wardOperational,
    contractorMeasures: SEED_004.contract.contractorOperational,
    reportFrequency: 'monthly',
  },
  item: {
    subject: '地域安全・安心情報のメール配信に関する業務委託について',
    consultation: [],
    report: [],
    priorReport: ['第14条第1項（個人情報の電子計算機処理の委託）'],
    contactSection: '危機管理',
    contactPerson: '福田',
    contactExtension: '2473',
    includeSystem: false,
    contractAnnex: {
      labels: {
        data_items:
          '委託に伴い事業者処理させる情報項目等(だれの、どのような項目か、どのようなコンピュータで処理するのか)',
      },
      hidden: ['media'],
    },
  },
}

export const ROUND_TRIP_ENTRIES: RoundTripEntry[] = [ENTRY_000, ENTRY_001, ENTRY_004]
