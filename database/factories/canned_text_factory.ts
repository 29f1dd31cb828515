import factory from '@adonisjs/lucid/factories'
import CannedText from '#models/canned_text'

/** A 定型文 (give it a departmentId). */
export const CannedTextFactory = factory
  .define(CannedText, () => ({
    title: 'ご意見へのお礼',
    body: 'このたびは貴重なご意見をお寄せいただき、ありがとうございました。',
  }))
  .build()
