import { readFileSync } from 'node:fs'
import { test } from '@japa/runner'
import {
  SPECIAL_TERMS_13,
  SPECIAL_TERMS_16,
  type ClauseDuty,
  type ClauseSetData,
} from '#database/demo/special_terms_data'

/** Copies of the seed council documents, kept in the repository (a clone has no shared folder). */
const readSeed = (name: string) =>
  readFileSync(new URL(`../../fixtures/seeds/${name}`, import.meta.url), 'utf8')

const stripWhitespace = (text: string) => text.replace(/\s+/g, '')
const halfWidthDigits = (text: string) =>
  text.replace(/[０-９]/g, (digit) => String.fromCharCode(digit.charCodeAt(0) - 0xfee0))

const SEED_000 = '000_7d152e217bd49c2e.txt'
const SEED_001 = '001_820e07acc9fcada2.txt'
const SEED_004 = '004_1402d2ef23b0738c.txt'

/** Whitespace-stripped seed texts; 001 (PDF extraction) also gets half-width digits. */
const seed000 = stripWhitespace(readSeed(SEED_000))
const seed001 = halfWidthDigits(stripWhitespace(readSeed(SEED_001)))
const seed004 = stripWhitespace(readSeed(SEED_004))

const HEADINGS_13 = [
  '基本的事項',
  '秘密の保持',
  '目的外利用及び第三者への提供等の禁止',
  '適正な管理',
  '複写等の禁止',
  '再委託の禁止',
  '資料等の返還等',
  '業務に関する報告',
  '監査',
  '従業員に対する教育',
  '事故発生時等における報告',
  '公表',
  '損害の賠償',
]

const HEADINGS_16 = [
  '基本的事項',
  '秘密の保持',
  '適正収集',
  '本人収集及び利用目的の明示',
  '収集禁止事項',
  '目的外利用及び第三者への提供等の禁止',
  '適正な管理',
  '複写等の禁止',
  '再委託の禁止',
  '資料等の返還等',
  '業務に関する報告',
  '監査',
  '従業員に対する教育',
  '事故発生時等における報告',
  '公表',
  '損害の賠償',
]

const DUTY_BY_HEADING: Record<string, ClauseDuty> = {
  監査: 'audit',
  従業員に対する教育: 'training',
  事故発生時等における報告: 'incident_report',
  資料等の返還等: 'return_erasure',
  再委託の禁止: 'subcontract_approval',
  業務に関する報告: 'periodic_report',
}

const dutiesOf = (set: ClauseSetData) =>
  set.clauses.filter((clause) => clause.duty).map((clause) => [clause.number, clause.duty])

test.group('Special terms data (特記事項)', () => {
  test('set metadata', ({ assert }) => {
    assert.equal(SPECIAL_TERMS_13.code, 'standard-13')
    assert.equal(SPECIAL_TERMS_13.name, '個人情報の取扱いに関する特記事項（13項）')
    assert.equal(SPECIAL_TERMS_13.version, 1)
    assert.equal(SPECIAL_TERMS_13.appliesTo, 'contractor')
    assert.equal(SPECIAL_TERMS_13.sourceSeed, SEED_004)

    assert.equal(SPECIAL_TERMS_16.code, 'standard-16')
    assert.equal(SPECIAL_TERMS_16.name, '個人情報の取扱いに関する特記事項（16項）')
    assert.equal(SPECIAL_TERMS_16.version, 1)
    assert.equal(SPECIAL_TERMS_16.appliesTo, 'contractor')
    assert.equal(SPECIAL_TERMS_16.sourceSeed, SEED_000)
  })

  test('clause counts and consecutive numbering from 1', ({ assert }) => {
    assert.lengthOf(SPECIAL_TERMS_13.clauses, 13)
    assert.lengthOf(SPECIAL_TERMS_16.clauses, 16)
    for (const set of [SPECIAL_TERMS_13, SPECIAL_TERMS_16]) {
      assert.deepEqual(
        set.clauses.map((clause) => clause.number),
        set.clauses.map((_, index) => index + 1),
        set.code
      )
    }
  })

  test('headings in seed order', ({ assert }) => {
    assert.deepEqual(
      SPECIAL_TERMS_13.clauses.map((clause) => clause.heading),
      HEADINGS_13
    )
    assert.deepEqual(
      SPECIAL_TERMS_16.clauses.map((clause) => clause.heading),
      HEADINGS_16
    )
    // …and each heading appears in its seeds, in parentheses (ASCII in 000/004, full-width in 001).
    for (const heading of HEADINGS_13) {
      assert.include(seed004, `(${heading})`)
      assert.include(seed001, `（${heading}）`)
    }
    for (const heading of HEADINGS_16) {
      assert.include(seed000, `(${heading})`)
    }
  })

  test('bodies are single paragraphs without the clause number', ({ assert }) => {
    for (const set of [SPECIAL_TERMS_13, SPECIAL_TERMS_16]) {
      for (const clause of set.clauses) {
        const where = `${set.code} clause ${clause.number}`
        assert.notMatch(clause.body, /\s/, `${where} contains whitespace`)
        assert.notMatch(clause.body, /^[0-9０-９]/, `${where} starts with its number`)
        assert.notMatch(clause.heading, /[()（）]/, `${where} heading has parentheses`)
        assert.isTrue(clause.body.endsWith('。'), `${where} does not end with 。`)
      }
    }
  })

  test('16-item set: every body appears verbatim in seed 000', ({ assert }) => {
    for (const clause of SPECIAL_TERMS_16.clauses) {
      assert.isTrue(
        seed000.includes(stripWhitespace(clause.body)),
        `clause ${clause.number} (${clause.heading}) not found in ${SEED_000}`
      )
    }
    // Clause 10 continues across a page break in the seed; it is one sentence here.
    assert.include(
      SPECIAL_TERMS_16.clauses[9].body,
      '乙が業務を行うに当たり乙の電子計算機を使用した場合には'
    )
  })

  test('16-item set: the (1)–(4) items of clause 5', ({ assert }) => {
    const clause5 = SPECIAL_TERMS_16.clauses[4]
    assert.equal(clause5.heading, '収集禁止事項')
    assert.deepEqual(clause5.items, [
      '思想、信条及び宗教に関する事項',
      '社会的差別の原因となる事実に関する事項',
      '犯罪に関する事項',
      'その他区民の個人的秘密が侵害されるおそれがあると甲が認めた事項',
    ])
    clause5.items!.forEach((item, index) => {
      assert.include(seed000, stripWhitespace(`(${index + 1}) ${item}`))
    })
    assert.isTrue(seed000.includes(stripWhitespace(clause5.body + '-(1)' + clause5.items![0])))
    for (const clause of [...SPECIAL_TERMS_13.clauses, ...SPECIAL_TERMS_16.clauses]) {
      if (clause !== clause5) assert.isUndefined(clause.items)
    }
  })

  test('13-item set: every body appears in seed 001 (digits normalised)', ({ assert }) => {
    for (const clause of SPECIAL_TERMS_13.clauses) {
      assert.isTrue(
        seed001.includes(stripWhitespace(clause.body)),
        `clause ${clause.number} (${clause.heading}) not found in ${SEED_001}`
      )
    }
  })

  test('13-item set: every body appears in seed 004 (clause 1 has ASCII parentheses there)', ({
    assert,
  }) => {
    for (const clause of SPECIAL_TERMS_13.clauses) {
      const body =
        clause.number === 1 ? clause.body.replace('（', '(').replace('）', ')') : clause.body
      assert.isTrue(
        seed004.includes(stripWhitespace(body)),
        `clause ${clause.number} (${clause.heading}) not found in ${SEED_004}`
      )
    }
    // Clause 1 is kept with full-width parentheses, as in seed 001 and the 16-item set.
    assert.equal(SPECIAL_TERMS_13.clauses[0].body, SPECIAL_TERMS_16.clauses[0].body)
    // Clause 13 uses 004's half-width digits (001 reads 第１項から第１１項).
    assert.include(SPECIAL_TERMS_13.clauses[12].body, '第1項から第11項まで')
  })

  test('oversight duties', ({ assert }) => {
    for (const set of [SPECIAL_TERMS_13, SPECIAL_TERMS_16]) {
      for (const clause of set.clauses) {
        assert.equal(clause.duty, DUTY_BY_HEADING[clause.heading], `${set.code} ${clause.heading}`)
        assert.notEqual(clause.duty, 'roster')
      }
    }
    assert.deepEqual(dutiesOf(SPECIAL_TERMS_13), [
      [6, 'subcontract_approval'],
      [7, 'return_erasure'],
      [8, 'periodic_report'],
      [9, 'audit'],
      [10, 'training'],
      [11, 'incident_report'],
    ])
    assert.deepEqual(dutiesOf(SPECIAL_TERMS_16), [
      [9, 'subcontract_approval'],
      [10, 'return_erasure'],
      [11, 'periodic_report'],
      [12, 'audit'],
      [13, 'training'],
      [14, 'incident_report'],
    ])
  })
})
