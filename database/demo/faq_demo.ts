import { DateTime } from 'luxon'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import FaqEntry, { type FaqLink } from '#models/faq_entry'
import FaqVersion from '#models/faq_version'
import Topic from '#models/topic'
import User from '#models/user'
import FaqSearch from '#services/faq/faq_search'

interface DemoFaq {
  department: string
  topic: string
  question: string
  answer: string
  keywords?: string
  links?: FaqLink[]
  notes?: string
  callCenter?: boolean
  /** published (approved v1), pending (published v1 + a changed v2 awaiting approval), draft (never published). */
  state: 'published' | 'pending' | 'draft'
  /** The changed answer of a pending entry. */
  changedAnswer?: string
}

const CITY = 'https://www.city.example.jp'

/**
 * FAQ of the demo ward. 区政情報課 holds the call-center contract of
 * 三幸株式会社, so the entries marked for the call center, of every
 * department (区政情報課 and 危機管理課), are what contractor@ can read;
 * contractor2@ (no call-center contract) reads none.
 */
const DEMO_FAQS: DemoFaq[] = [
  {
    department: 'kikikanri',
    topic: 'safety',
    question: '防災訓練はいつ行われますか',
    answer:
      '各地域の防災訓練は、毎年9月の「防災の日」前後と1月の「防災とボランティアの日」前後に、地域の防災区民組織と区が合同で行います。日程は区報と区ホームページでお知らせします。',
    keywords: '避難訓練 総合防災訓練',
    links: [{ label: '防災訓練の日程', url: `${CITY}/bosai/kunren.html` }],
    notes: '地域ごとの日程は危機管理課 危機管理係（内線2201）で確認できる。',
    state: 'published',
  },
  {
    department: 'kikikanri',
    topic: 'safety',
    question: '避難所はどこですか',
    answer:
      'お住まいの地域の区立小・中学校などが避難所です。防災マップで、ご自宅に近い避難所をご確認ください。',
    keywords: '避難場所 防災マップ ハザードマップ',
    links: [{ label: '防災マップ', url: `${CITY}/bosai/map.html` }],
    notes: '住所から避難所を調べるときは防災マップの町丁目一覧を使う。',
    callCenter: true,
    state: 'published',
  },
  {
    department: 'kikikanri',
    topic: 'safety',
    question: '家庭での備蓄はどのくらい必要ですか',
    answer:
      '飲料水（1人1日3リットル）と食料を最低3日分、できれば1週間分用意してください。携帯トイレや常備薬も忘れずに備えましょう。',
    keywords: '備蓄品 非常食',
    state: 'published',
  },
  {
    department: 'kusei-joho',
    topic: 'family_register',
    question: '住民票の写しはどこで取れますか',
    answer:
      '区役所本庁舎の戸籍住民課、各特別出張所の窓口で取れます。マイナンバーカードをお持ちの方は、コンビニエンスストアのマルチコピー機でも取得できます。',
    keywords: '住民票 コンビニ交付',
    notes: '代理人請求は委任状が必要。詳細は戸籍住民課へ転送。',
    callCenter: true,
    state: 'published',
  },
  {
    department: 'kusei-joho',
    topic: 'family_register',
    question: '印鑑登録の手続きに必要なものは',
    answer:
      '登録する印鑑と、ご本人の顔写真付きの本人確認書類（マイナンバーカード、運転免許証など）をお持ちください。',
    keywords: '印鑑証明 実印',
    callCenter: true,
    state: 'published',
  },
  {
    department: 'kusei-joho',
    topic: 'administration',
    question: '区役所の開庁時間を教えてください',
    answer:
      '平日の午前8時30分から午後5時までです。土曜日・日曜日・祝日・年末年始（12月29日から1月3日）は閉庁します。一部の窓口は第2・第4日曜日に開いています。',
    keywords: '受付時間 休日開庁',
    notes: '休日開庁の対象業務は区ホームページの一覧を案内。',
    callCenter: true,
    state: 'published',
  },
  {
    department: 'kocho',
    topic: 'administration',
    question: '区へ意見や要望を伝えるにはどうすればよいですか',
    answer:
      '区ホームページの意見入力欄、区長へのはがき、一般投書、メール、FAXでお寄せください。いただいたご意見には、原則として受付から14日程度（休日、祝日及び年末年始を除く）でお答えします。',
    keywords: '区長への手紙 意見 要望',
    links: [{ label: '区政へのご意見', url: `${CITY}/kusei/iken.html` }],
    state: 'pending',
    changedAnswer:
      '区ホームページの意見入力欄、区長へのはがき、一般投書、メール、FAX、コールセンターでお寄せください。いただいたご意見には、原則として受付から14日程度（休日、祝日及び年末年始を除く）でお答えします。',
  },
  {
    department: 'kotsu',
    topic: 'traffic',
    question: '駐輪場の定期利用はどのように申し込みますか',
    answer:
      '区営駐輪場の管理事務所で申し込んでください。空きがない場合はキャンセル待ちに登録できます。',
    keywords: '自転車置き場 定期 駐輪',
    notes: '満車の駐輪場は近隣の民営駐輪場を案内する。',
    state: 'published',
  },
  {
    department: 'kotsu',
    topic: 'traffic',
    question: '放置自転車が撤去されました。どこで返してもらえますか',
    answer:
      '撤去した自転車は区の自転車保管所で保管しています。本人確認書類と鍵をお持ちのうえ、撤去保管手数料をお支払いください。',
    keywords: '撤去 保管所',
    state: 'published',
  },
  {
    department: 'kocho',
    topic: 'waste',
    question: '粗大ごみの出し方を教えてください',
    answer:
      '粗大ごみ受付センターに電話かインターネットで申し込み、有料粗大ごみ処理券を貼って、指定日の朝8時までに出してください。',
    keywords: '粗大ゴミ 大型ごみ 処理券',
    state: 'published',
  },
  {
    department: 'kocho',
    topic: 'children',
    question: '保育園の入園申込みはいつまでですか',
    answer:
      '4月入園の一次募集は前年の11月頃です。途中入園は入園希望月の前月10日までに申し込んでください。',
    keywords: '保育所 入園',
    state: 'published',
  },
  {
    department: 'kocho',
    topic: 'environment',
    question: '公園でのボール遊びはできますか（作成中）',
    answer: 'ボール遊びができる公園は限られています。各公園の掲示をご確認ください。',
    keywords: '公園 ボール',
    state: 'draft',
  },
]

/**
 * Loads the demo FAQ: published entries (approved version 1 by the
 * supervisor), one change awaiting approval (published v1 plus a changed
 * v2 from staff@) and one draft; then builds both search indexes.
 */
export async function loadFaqDemo(
  trx: TransactionClientContract,
  departmentIds: Map<string, number>
) {
  const rows = await Topic.query({ client: trx })
  const topics = new Map(rows.map((topic) => [topic.code, topic.id]))
  const staff = await User.query({ client: trx }).where('email', 'staff@demo.daicho.jp').first()
  const supervisor = await User.query({ client: trx })
    .where('email', 'supervisor@demo.daicho.jp')
    .first()
  const approvedAt = DateTime.now().minus({ days: 30 })
  const ids: number[] = []
  for (const demo of DEMO_FAQS) {
    const content = {
      topicId: topics.get(demo.topic) ?? null,
      question: demo.question,
      answer: demo.answer,
      keywords: demo.keywords ?? '',
      relatedLinks: demo.links ?? [],
      internalNotes: demo.notes ?? null,
      visibleToCallCenter: demo.callCenter ?? false,
    }
    const entry = await FaqEntry.create(
      {
        ...content,
        departmentId: departmentIds.get(demo.department)!,
        status: 'draft',
        createdByUserId: staff?.id ?? null,
        updatedByUserId: staff?.id ?? null,
      },
      { client: trx }
    )
    ids.push(entry.id)
    if (demo.state === 'draft') continue
    const published = await FaqVersion.create(
      {
        ...content,
        faqEntryId: entry.id,
        version: 1,
        state: 'approved',
        requestedByUserId: staff?.id ?? null,
        requestedAt: approvedAt.minus({ days: 1 }),
        decidedByUserId: supervisor?.id ?? null,
        decidedAt: approvedAt,
      },
      { client: trx }
    )
    entry.merge({ status: 'published', publishedVersionId: published.id, publishedAt: approvedAt })
    if (demo.state === 'pending') {
      entry.merge({ answer: demo.changedAnswer!, status: 'awaiting_approval' })
      await FaqVersion.create(
        {
          ...entry.content(),
          faqEntryId: entry.id,
          version: 2,
          state: 'awaiting_approval',
          requestedByUserId: staff?.id ?? null,
          requestedAt: DateTime.now().minus({ hours: 3 }),
        },
        { client: trx }
      )
    }
    await entry.save()
  }
  await FaqSearch.reindexMany(ids, trx)
}
