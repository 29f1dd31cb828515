import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import CannedText from '#models/canned_text'
import Department from '#models/department'

/** 定型文 of the demo ward: [department code, title, body]. */
const DEMO_CANNED_TEXTS: Array<[string, string, string]> = [
  [
    'kocho',
    'ご意見へのお礼',
    'このたびは、区政に対する貴重なご意見をお寄せいただき、誠にありがとうございました。',
  ],
  [
    'kocho',
    '検討のお知らせ',
    'いただいたご意見につきましては、担当課において内容を確認し、今後の区政運営の参考とさせていただきます。',
  ],
  [
    'kocho',
    '結び',
    '今後とも区政へのご理解とご協力をお願い申し上げます。\nご不明な点がございましたら、下記の担当までお問い合わせください。',
  ],
  [
    'kikikanri',
    '防災訓練の案内',
    '地域の防災訓練は、毎年9月と1月に地域の防災区民組織と区が合同で実施しています。日程は区報と区ホームページでお知らせします。',
  ],
]

/** The demo's canned reply texts, and 広聴担当課's own letterhead address and phone. */
export async function loadCannedTextDemo(
  trx: TransactionClientContract,
  departmentIds: Map<string, number>
) {
  for (const [code, title, body] of DEMO_CANNED_TEXTS) {
    await CannedText.create(
      { departmentId: departmentIds.get(code)!, title, body },
      { client: trx }
    )
  }
  const kocho = await Department.findOrFail(departmentIds.get('kocho')!, { client: trx })
  kocho.merge({ address: '〒160-8484 東京都新宿区歌舞伎町1-4-1 本庁舎3階', phone: '03-5273-4065' })
  await kocho.useTransaction(trx).save()
}
