import { test } from '@japa/runner'
import vine, { errors } from '@vinejs/vine'
import { DateTime } from 'luxon'
import CorporateNumber from '#services/register/corporate_number'
import Contractor from '#models/contractor'
import { corporateNumberRule, phoneNumberRule } from '#validators/register/contractor'
import { WARD_ZONE } from '#services/ward_calendar'

/**
 * Published corporate numbers (国税庁法人番号公表サイト), each checked by
 * hand against the formula: 国税庁 (base 000012050002: Σ = 11, 9 − 2 = 7),
 * 国立国会図書館 (000011000005: Σ = 8, 9 − 8 = 1), トヨタ自動車株式会社
 * (180301018771: Σ = 53, 9 − 8 = 1).
 */
const PUBLISHED = ['7000012050002', '1000011000005', '1180301018771']

const jst = (iso: string) => DateTime.fromISO(iso, { zone: WARD_ZONE })

const schema = vine.compile(
  vine.object({
    corporateNumber: vine.string().trim().use(corporateNumberRule()).optional(),
    phone: vine.string().trim().use(phoneNumberRule()).optional(),
  })
)

async function messagesFor(data: Record<string, unknown>) {
  try {
    await schema.validate(data)
    return []
  } catch (error) {
    if (error instanceof errors.E_VALIDATION_ERROR)
      return error.messages as Array<{ field: string; rule: string; message: string }>
    throw error
  }
}

test.group('CorporateNumber', () => {
  test('published numbers have a valid check digit', ({ assert }) => {
    for (const number of PUBLISHED) {
      assert.equal(CorporateNumber.checkDigitOf(number.slice(1)), Number(number[0]), number)
      assert.isTrue(CorporateNumber.isValid(number), number)
    }
  })

  test('a remainder of 0 gives check digit 9', ({ assert }) => {
    // Σ = 9×1 → 9 mod 9 = 0 → 9 − 0 = 9.
    assert.equal(CorporateNumber.checkDigitOf('000000000009'), 9)
    assert.isTrue(CorporateNumber.isValid('9000000000009'))
  })

  test('odd positions from the right weigh 1, even positions 2', ({ assert }) => {
    // Only P_1 (rightmost) set: weight 1.
    assert.equal(CorporateNumber.checkDigitOf('000000000001'), 8)
    // Only P_2 set: weight 2.
    assert.equal(CorporateNumber.checkDigitOf('000000000010'), 7)
    // Only P_12 (leftmost) set: weight 2.
    assert.equal(CorporateNumber.checkDigitOf('100000000000'), 7)
  })

  test('every other check digit is refused', ({ assert }) => {
    for (const number of PUBLISHED) {
      for (let digit = 0; digit <= 9; digit++) {
        if (digit === Number(number[0])) continue
        assert.isFalse(
          CorporateNumber.isValid(`${digit}${number.slice(1)}`),
          `${digit}${number.slice(1)}`
        )
      }
    }
  })

  test('a swapped pair of base digits is detected', ({ assert }) => {
    // 7000012050002 → 7000010250002 (2 and 0 swapped)
    assert.isFalse(CorporateNumber.isValid('7000010250002'))
  })

  test('full-width digits, hyphens and spaces are normalised', ({ assert }) => {
    assert.equal(CorporateNumber.normalize('７０００－０１２０－５０００２'), '7000012050002')
    assert.equal(CorporateNumber.normalize(' 7-0000-1205-0002 '), '7000012050002')
    assert.equal(CorporateNumber.normalize('7 000012 050002'), '7000012050002')
    assert.equal(CorporateNumber.normalize('7‐000012‐050002'), '7000012050002')
    assert.isTrue(CorporateNumber.isValid('７０００－０１２０－５０００２'))
  })

  test('anything but 13 digits is not a corporate number', ({ assert }) => {
    assert.isFalse(CorporateNumber.isValid('700001205000'))
    assert.isFalse(CorporateNumber.isValid('70000120500021'))
    assert.isFalse(CorporateNumber.isValid('T7000012050002'))
    assert.isFalse(CorporateNumber.isValid('７０００ＡＢ２０５０００２'))
    assert.isFalse(CorporateNumber.isValid(''))
    assert.throws(() => CorporateNumber.checkDigitOf('12345'))
  })
})

test.group('Contractor validation rules', () => {
  test('the rule stores 13 ASCII digits', async ({ assert }) => {
    const output = await schema.validate({ corporateNumber: '７０００-０１２０-５０００２' })
    assert.equal(output.corporateNumber, '7000012050002')
  })

  test('a wrong check digit is refused with the Japanese message', async ({ assert }) => {
    assert.deepEqual(await messagesFor({ corporateNumber: '8000012050002' }), [
      {
        field: 'corporateNumber',
        rule: 'corporateNumberCheckDigit',
        message: '法人番号のチェックデジットが正しくありません',
      },
    ])
  })

  test('a number that is not 13 digits asks for 13 digits', async ({ assert }) => {
    assert.deepEqual(await messagesFor({ corporateNumber: '70000120500' }), [
      {
        field: 'corporateNumber',
        rule: 'corporateNumberFormat',
        message: '法人番号は13桁の数字で入力してください',
      },
    ])
  })

  test('phone numbers: Japanese formats pass, normalised to ASCII', async ({ assert }) => {
    for (const phone of [
      '03-1234-5678',
      '0312345678',
      '090-1234-5678',
      '0120-123-456',
      '０３－１２３４－５６７８',
    ]) {
      const output = await schema.validate({ phone })
      assert.match(output.phone!, /^[0-9-]+$/, phone)
    }
    for (const phone of ['1234', '03-1234-5678-9', 'abc', '+81 3 1234 5678x']) {
      const messages = await messagesFor({ phone })
      assert.equal(messages[0]?.rule, 'regex', phone)
    }
  })
})

test.group('Contractor Privacy Mark status', () => {
  const today = jst('2026-04-01T10:00')
  const withExpiry = (iso: string | null) => {
    const contractor = new Contractor()
    contractor.privacyMarkExpiresOn = iso ? DateTime.fromISO(iso) : null
    return contractor
  }

  test('none, expired, expiring within 90 days, valid', ({ assert }) => {
    assert.equal(withExpiry(null).privacyMarkStatus(today), 'none')
    assert.equal(withExpiry('2026-03-31').privacyMarkStatus(today), 'expired')
    assert.equal(withExpiry('2026-04-01').privacyMarkStatus(today), 'expiring')
    // 2026-04-01 + 90 days = 2026-06-30: the last day still flagged.
    assert.equal(withExpiry('2026-06-30').privacyMarkStatus(today), 'expiring')
    assert.equal(withExpiry('2026-07-01').privacyMarkStatus(today), 'valid')
  })

  test('needs attention only when expired or expiring', ({ assert }) => {
    assert.isTrue(withExpiry('2026-03-31').privacyMarkNeedsAttention(today))
    assert.isTrue(withExpiry('2026-05-01').privacyMarkNeedsAttention(today))
    assert.isFalse(withExpiry('2027-03-31').privacyMarkNeedsAttention(today))
    assert.isFalse(withExpiry(null).privacyMarkNeedsAttention(today))
  })

  test('today is the ward calendar date, whatever the zone of the moment', ({ assert }) => {
    // 2026-03-31T16:00Z is already 4/1 01:00 in Tokyo: a mark ending 3/31 has expired.
    assert.equal(
      withExpiry('2026-03-31').privacyMarkStatus(
        DateTime.fromISO('2026-03-31T16:00:00Z', { zone: 'utc' })
      ),
      'expired'
    )
  })
})
