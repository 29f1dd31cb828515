/**
 * 個人情報の取扱いに関する特記事項 — the special terms (特記事項) attached to outsourcing
 * contracts, transcribed verbatim from the council documents in tests/fixtures/seeds/.
 *
 * 甲 is the ward (the outsourcing department), 乙 the contractor. `duty` marks the clauses that
 * create an oversight duty for the ward; `subcontractRule` the rule a 再委託の禁止 clause creates
 * (000's clause 9 forbids subcontracting; the 13-clause set's clause 6 allows only work without
 * personal data, with 甲's consent). A roster of 取扱責任者/取扱者 ('roster') is not a
 * clause in these sets (it appears in the seeds' measures text 「取扱責任者及び取扱者を
 * あらかじめ指定する」), so no clause carries it.
 *
 * Transcription rules: characters exactly as in the seed; only the extraction's line breaks,
 * page breaks and trailing spaces are removed, and each clause is one paragraph. `body` omits the
 * leading clause number; `heading` omits the surrounding parentheses; `items` omit the (1)… prefixes.
 *
 * tests/unit/register/special_terms_data.spec.ts checks every body and item against the seed text.
 */

export type ClauseDuty =
  | 'audit'
  | 'roster'
  | 'training'
  | 'incident_report'
  | 'return_erasure'
  | 'periodic_report'
  | 'subcontract_approval'

export interface ClauseData {
  number: number
  /** e.g. '秘密の保持' (without the parentheses) */
  heading: string
  /** The clause text without the leading number. */
  body: string
  /** Enumerated sub-items without the (1)… prefixes. */
  items?: string[]
  /** The oversight duty this clause creates for the ward, if any. */
  duty?: ClauseDuty
  /** The subcontracting rule the clause creates, if any (see #services/clause_rules). */
  subcontractRule?: 'forbidden' | 'no_personal_data_only' | 'prior_written_approval'
  /** The clause requires staff training (always so when `duty` is 'training'). */
  requiresTraining?: boolean
}

export interface ClauseSetData {
  code: string
  name: string
  version: number
  appliesTo: 'contractor' | 'subcontractor'
  /** File name of the seed document in tests/fixtures/seeds/ the text is taken from. */
  sourceSeed: string
  clauses: ClauseData[]
}

/**
 * The 13-item set. It appears in two seeds:
 *   - 001_820e07acc9fcada2.txt (平成19年度 コールセンター業務委託, a PDF text extraction) and
 *   - 004_1402d2ef23b0738c.txt (地域安全・安心情報のメール配信に関する業務委託).
 * Same headings and wording in both; the only differences are character widths:
 *   - clause numbers 1–9 are full-width in 001 (１…９), half-width in 004;
 *   - clause 13: 001 「第１項から第１１項」, 004 「第1項から第11項」 → 004 form used;
 *   - clause 1: 001 「業務（以下「業務」という。）」 with full-width parentheses, 004
 *     「業務(以下「業務」という。)」 with ASCII parentheses → full-width form used (as in 001 and
 *     in the identical clause 1 of the 16-item set).
 * Text source: 004 for clauses 2–13 (2–12 are identical in 001), 001 for clause 1.
 */
export const SPECIAL_TERMS_13: ClauseSetData = {
  code: 'standard-13',
  name: '個人情報の取扱いに関する特記事項（13項）',
  version: 1,
  appliesTo: 'contractor',
  sourceSeed: '004_1402d2ef23b0738c.txt',
  clauses: [
    // Text as in seed 001 (identical to clause 1 of the 16-item set in seed 000);
    // seed 004 has ASCII parentheses here: 業務(以下「業務」という。)
    {
      number: 1,
      heading: '基本的事項',
      body: '乙は、個人情報の保護及び情報セキュリティの重要性について十分な認識を持ち、この契約による業務（以下「業務」という。）を行うに当たっては、必要な措置を講じなければならない。',
    },
    {
      number: 2,
      heading: '秘密の保持',
      body: '乙は、業務に関して知り得た情報を一切第三者に漏らしてはならない。この契約が終了した後においても同様とする。',
    },
    {
      number: 3,
      heading: '目的外利用及び第三者への提供等の禁止',
      body: '乙は、業務に関して知り得た情報を、この契約の目的以外に利用し、又は第三者に提供し、若しくは使用させてはならない。ただし、個人情報を除いた情報については、甲の承諾があるときはこの限りではない。',
    },
    {
      number: 4,
      heading: '適正な管理',
      body: '乙は、業務に関する情報について、施錠できる保管庫に保管する等善良な管理者の注意をもって保管及び管理にあたらなければならない。',
    },
    {
      number: 5,
      heading: '複写等の禁止',
      body: '乙は、業務を行うため甲から貸与された情報を複写し、又は複製してはならない。ただし、個人情報を除いた情報については、甲の承諾があるときはこの限りではない。',
    },
    {
      number: 6,
      heading: '再委託の禁止',
      body: '乙は、業務を一切第三者に委託してはならない。ただし、個人情報を除いた情報に係る業務については、甲の承諾があるときはこの限りではない。',
      duty: 'subcontract_approval',
      subcontractRule: 'no_personal_data_only',
    },
    {
      number: 7,
      heading: '資料等の返還等',
      body: '乙は、業務を行うために甲から提供され、又は乙が収集し、若しくは作成した情報が記録された資料等を、この契約の終了後直ちに甲に返還し、又は引き渡すものとする。ただし、甲が別に指示したときは、その指示によるものとする。',
      duty: 'return_erasure',
    },
    {
      number: 8,
      heading: '業務に関する報告',
      body: '乙は、甲の求めがあった場合は、業務に関する報告を行うものとする。',
      duty: 'periodic_report',
    },
    {
      number: 9,
      heading: '監査',
      body: '乙は、甲の立入調査等による監査を受けるものとする。',
      duty: 'audit',
    },
    {
      number: 10,
      heading: '従業員に対する教育',
      body: '乙は、乙の従業員に対する個人情報の適正な管理及び情報セキュリティに関する教育を実施しなければならない。',
      duty: 'training',
    },
    {
      number: 11,
      heading: '事故発生時等における報告',
      body: '乙は、業務上の事故が発生し、若しくは発生するおそれがあるとき又は前各項に掲げる事項に違反したときは、速やかに甲に対して通知するとともに、その状況について書面をもって報告し、甲の指示に従うものとする。',
      duty: 'incident_report',
    },
    {
      number: 12,
      heading: '公表',
      body: '甲は、乙が前各項に掲げる事項に違反し、又は怠ったときは、その事実を公表することができる。',
    },
    // Seed 004 form (half-width digits); seed 001 reads 第１項から第１１項.
    {
      number: 13,
      heading: '損害の賠償',
      body: '乙は、第1項から第11項までに掲げる事項に違反し、又は怠ったことにより甲又は第三者に損害を与えたときは、その損害を賠償するものとする。',
    },
  ],
}

/**
 * The 16-item set, from 000_7d152e217bd49c2e.txt (新宿区コールセンターFAQシステム及び新宿区区民意見
 * システムの再構築に係る業務の委託, 平成25年). Compared with the 13-item set it adds 適正収集,
 * 本人収集及び利用目的の明示 and 収集禁止事項, speaks of 個人情報 throughout (the 13-item set says
 * 情報 and allows exceptions for non-personal information with 甲's consent), requires erasure of
 * data on 乙's computers, and requires 乙 to make its staff aware of 新宿区個人情報保護条例.
 */
export const SPECIAL_TERMS_16: ClauseSetData = {
  code: 'standard-16',
  name: '個人情報の取扱いに関する特記事項（16項）',
  version: 1,
  appliesTo: 'contractor',
  sourceSeed: '000_7d152e217bd49c2e.txt',
  clauses: [
    {
      number: 1,
      heading: '基本的事項',
      body: '乙は、個人情報の保護及び情報セキュリティの重要性について十分な認識を持ち、この契約による業務（以下「業務」という。）を行うに当たっては、必要な措置を講じなければならない。',
    },
    {
      number: 2,
      heading: '秘密の保持',
      body: '乙は、業務に関して知り得た個人情報を一切第三者に漏らしてはならない。この契約が終了した後においても同様とする。',
    },
    {
      number: 3,
      heading: '適正収集',
      body: '乙は、業務を行うために個人情報を収集するときは、その利用目的をできる限り特定し、その利用目的を達成するために必要な最小限の範囲内で、公正かつ適正な手段によって収集しなければならない。',
    },
    {
      number: 4,
      heading: '本人収集及び利用目的の明示',
      body: '乙は、業務を行うために個人情報を収集するときは、本人に対しその利用目的を明示し、かつ、本人から直接これを収集しなければならない。ただし、甲の承諾があるときは、この限りではない。',
    },
    {
      number: 5,
      heading: '収集禁止事項',
      body: '乙は、業務を行うに当たっては、甲の承諾があるときを除き、次に掲げる事項に関する個人情報の収集を行ってはならない。',
      items: [
        '思想、信条及び宗教に関する事項',
        '社会的差別の原因となる事実に関する事項',
        '犯罪に関する事項',
        'その他区民の個人的秘密が侵害されるおそれがあると甲が認めた事項',
      ],
    },
    {
      number: 6,
      heading: '目的外利用及び第三者への提供等の禁止',
      body: '乙は、業務に関して知り得た個人情報を、この契約の目的以外に利用し、又は第三者に提供し、若しくは使用させてはならない。',
    },
    {
      number: 7,
      heading: '適正な管理',
      body: '乙は、業務に伴い取り扱う個人情報について、施錠できる保管庫に保管する等善良な管理者の注意をもって保管及び管理にあたらなければならない。',
    },
    {
      number: 8,
      heading: '複写等の禁止',
      body: '乙は、業務を行うために甲から提供され、又は乙が収集した個人情報を複写し、又は複製してはならない。',
    },
    {
      number: 9,
      heading: '再委託の禁止',
      body: '乙は、業務を行うに当たって、個人情報を取り扱う業務を一切第三者に委託してはならない。',
      duty: 'subcontract_approval',
      subcontractRule: 'forbidden',
    },
    // Seed 000 breaks this sentence across a page ("…乙が業務を行うに当たり" / "乙の電子計算機を使用した…"); joined here.
    {
      number: 10,
      heading: '資料等の返還等',
      body: '乙は、この契約の終了後は、業務を行うために甲から提供され、又は乙が収集し、若しくは作成した個人情報が記録された資料等を甲に返還し、又は引き渡すものとし、乙が業務を行うに当たり乙の電子計算機を使用した場合には、当該電子計算機に記録された業務に係る個人情報を消去するものとする。ただし、甲が別に指示したときは、その指示によるものとする。',
      duty: 'return_erasure',
    },
    {
      number: 11,
      heading: '業務に関する報告',
      body: '乙は、甲の求めがあった場合は、業務に関する個人情報の取扱い状況の報告を行うものとする。',
      duty: 'periodic_report',
    },
    {
      number: 12,
      heading: '監査',
      body: '乙は、業務に関する個人情報の管理状況について、甲の立入調査等による監査を受けるものとする。',
      duty: 'audit',
    },
    {
      number: 13,
      heading: '従業員に対する教育',
      body: '乙は、乙の従業員に対する個人情報の適正な管理及び情報セキュリティに関する教育を実施するとともに、新宿区個人情報保護条例について周知するものとする。',
      duty: 'training',
    },
    {
      number: 14,
      heading: '事故発生時等における報告',
      body: '乙は、業務に関する個人情報の取扱いに関して事故が発生し、若しくは発生するおそれがあるとき又は前各項に掲げる事項に違反したときは、速やかに甲に対して通知するとともに、その状況について書面をもって報告し、甲の指示に従うものとする。',
      duty: 'incident_report',
    },
    {
      number: 15,
      heading: '公表',
      body: '甲は、乙が前各項に掲げる事項に違反し、又は怠ったときは、その事実を公表することができる。',
    },
    {
      number: 16,
      heading: '損害の賠償',
      body: '乙は、第1項から第14項までに掲げる事項に違反し、又は怠ったことにより甲又は第三者に損害を与えたときは、その損害を賠償するものとする。',
    },
  ],
}

/** Both sets, smallest first. */
export const SPECIAL_TERMS_SETS: ClauseSetData[] = [SPECIAL_TERMS_13, SPECIAL_TERMS_16]
