/** Spaces and every hyphen/dash/long-mark people type between digit groups. */
const SEPARATORS = /[\s\-‐‑‒–—―−ｰー]/gu

/**
 * 法人番号 (corporate number): 13 digits, the first of which is the check
 * digit (検査用数字) over the 12-digit base number (基礎番号):
 *
 *   check = 9 - (Σ_{n=1..12} P_n × Q_n mod 9)
 *
 * P_n is the n-th digit of the base number counted from its last (rightmost)
 * digit, Q_n is 1 for odd n and 2 for even n (法人番号の指定等に関する省令 第2条).
 */
export default class CorporateNumber {
  /** Full-width digits to ASCII, spaces and hyphens removed: '７０００-0120-50002' → '7000012050002'. */
  static normalize(input: string): string {
    return input.normalize('NFKC').replace(SEPARATORS, '')
  }

  /** Exactly 13 ASCII digits (after normalize). */
  static hasThirteenDigits(value: string): boolean {
    return /^\d{13}$/.test(value)
  }

  /** The check digit (1–9) of a 12-digit base number. */
  static checkDigitOf(base: string): number {
    if (!/^\d{12}$/.test(base)) throw new RangeError(`Not a 12-digit base number: ${base}`)
    let sum = 0
    for (let n = 1; n <= 12; n++) {
      const digit = Number(base[12 - n])
      sum += digit * (n % 2 === 1 ? 1 : 2)
    }
    return 9 - (sum % 9)
  }

  /** 13 digits whose first digit matches the check digit of the other 12. */
  static isValid(input: string): boolean {
    const value = CorporateNumber.normalize(input)
    if (!CorporateNumber.hasThirteenDigits(value)) return false
    return Number(value[0]) === CorporateNumber.checkDigitOf(value.slice(1))
  }
}
