import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import Topic from '#models/topic'
import Contract from '#models/contract'
import FaqEntry from '#models/faq_entry'
import { UserFactory } from '#database/factories/user_factory'
import { ContractorFactory } from '#database/factories/contractor_factory'
import { FaqEntryFactory } from '#database/factories/faq_factory'
import { departmentTree } from '#tests/helpers'
import { makeContract, makeSystem } from '#tests/register_helpers'

/**
 * Published entries of 危機管理課 (防災, one marked for the call center) and
 * 広聴担当課 (駐輪), a draft of 広聴担当課; the call-center contractor, whose
 * contract (marked as the call-center contract) is held by 広聴担当課, and
 * another contractor with an ordinary contract on 危機管理課's system.
 */
async function scene() {
  const tree = await departmentTree()
  const safety = await Topic.findByOrFail('code', 'safety')
  const traffic = await Topic.findByOrFail('code', 'traffic')
  const officer = await UserFactory.apply('privacyOfficer').create()
  const [bosai, stockpile, churin] = await FaqEntryFactory.apply('published')
    .merge([
      {
        departmentId: tree.kikikanri.id,
        topicId: safety.id,
        question: '防災訓練はいつありますか',
        answer: '毎年9月の防災の日の前後に、各地域で防災訓練を行います。',
        keywords: '避難訓練',
        internalNotes: '日程の詳細は危機管理課 内線2201。',
        visibleToCallCenter: true,
      },
      {
        departmentId: tree.kikikanri.id,
        topicId: safety.id,
        question: '備蓄品の目安を教えてください',
        answer: '水と食料を最低3日分、できれば1週間分用意してください。',
        internalNotes: 'コールセンター非公開：備蓄倉庫の場所は答えない。',
        visibleToCallCenter: false,
      },
      {
        departmentId: tree.kocho.id,
        topicId: traffic.id,
        question: '駐輪場の定期利用の申込み方法',
        answer: '区営駐輪場の窓口で申し込んでください。',
        keywords: '自転車置き場',
        internalNotes: '満車の場合は近隣の民営駐輪場を案内。',
      },
    ])
    .createMany(3)
  // A draft (indexed for the staff search by the factory).
  const draft = await FaqEntryFactory.merge({
    departmentId: tree.kocho.id,
    topicId: traffic.id,
    question: '放置自転車の撤去について（作成中）',
    answer: '撤去した自転車は保管所で返還します。',
    internalNotes: '下書きのメモ',
  }).create()

  const kochoSystem = await makeSystem(officer, tree.kocho.id)
  const kikiSystem = await makeSystem(officer, tree.kikikanri.id)
  const [callCenter, other] = await ContractorFactory.merge([
    { name: '三幸株式会社' },
    { name: '安心メール配信株式会社' },
  ]).createMany(2)
  const callCenterContract = await makeContract(officer, kochoSystem, {
    contractorId: callCenter.id,
    title: 'コールセンター業務委託',
    callCenter: true,
  })
  await makeContract(officer, kikiSystem, {
    contractorId: other.id,
    title: '防災メール配信業務委託',
  })
  const callCenterUser = await UserFactory.apply('contractor')
    .merge({ contractorId: callCenter.id })
    .create()
  const otherContractorUser = await UserFactory.apply('contractor')
    .merge({ contractorId: other.id })
    .create()
  return {
    tree,
    officer,
    callCenterContract,
    safety,
    traffic,
    bosai,
    stockpile,
    churin,
    draft,
    callCenterUser,
    otherContractorUser,
  }
}

test.group('FAQ: citizen site and search', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('no login needed: topics with counts, topic page, and the entry', async ({ client }) => {
    const { safety, bosai } = await scene()
    const index = await client.get('/faq')
    index.assertStatus(200)
    index.assertTextIncludes('防災・防犯・安全')
    index.assertTextIncludes('2件')
    const topic = await client.get(`/faq/topics/${safety.id}`)
    topic.assertTextIncludes('防災訓練はいつありますか')
    topic.assertTextIncludes('備蓄品の目安を教えてください')
    const page = await client.get(`/faq/${bosai.id}`)
    page.assertTextIncludes('毎年9月の防災の日の前後に')
  })

  test('Japanese search finds two-character words: 防災, 駐輪; two words must both match', async ({
    client,
    assert,
  }) => {
    await scene()
    const bosai = await client.get('/faq').qs({ q: '防災' })
    bosai.assertTextIncludes('「防災」の検索結果：1件')
    bosai.assertTextIncludes('防災訓練はいつありますか')
    const churin = await client.get('/faq').qs({ q: '駐輪' })
    churin.assertTextIncludes('駐輪場の定期利用の申込み方法')
    // Katakana/hiragana and full-width forms are folded: キーワード 「自転車置き場」.
    const foldedHits = await client.get('/faq').qs({ q: '自転車 置き場' })
    foldedHits.assertTextIncludes('駐輪場の定期利用')
    const both = await client.get('/faq').qs({ q: '防災 駐輪' })
    both.assertTextIncludes('該当する質問は見つかりませんでした')
    // A single character falls back to LIKE.
    const singleCharacterHits = await client.get('/faq').qs({ q: '水' })
    singleCharacterHits.assertTextIncludes('備蓄品の目安')
    assert.isTrue(true)
  })

  test('citizens never see internal notes, drafts, or staff pages', async ({ client, assert }) => {
    const { bosai, draft } = await scene()
    const page = await client.get(`/faq/${bosai.id}`)
    assert.notInclude(page.text(), '内線2201')
    const notFound = await client.get(`/faq/${draft.id}`)
    notFound.assertStatus(404)
    const search = await client.get('/faq').qs({ q: '放置自転車' })
    search.assertTextIncludes('該当する質問は見つかりませんでした')
    // Notes are not searchable by citizens either.
    const noHits = await client.get('/faq').qs({ q: '内線' })
    noHits.assertTextIncludes('該当する質問は見つかりませんでした')
    const staffSearch = await client.get('/faq-entries/search').qs({ q: '防災' }).redirects(0)
    staffSearch.assertStatus(302)
  })
})

test.group('FAQ: operators, staff and the contracted call center', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('operators find published answers with internal notes, by two-character words and two words', async ({
    client,
    assert,
  }) => {
    await scene()
    const operator = await UserFactory.apply('operator').create()
    const response = await client.get('/faq-entries/search').qs({ q: '防災' }).loginAs(operator)
    response.assertStatus(200)
    response.assertTextIncludes('防災訓練はいつありますか')
    response.assertTextIncludes('日程の詳細は危機管理課 内線2201。')
    // Internal notes are searchable for staff.
    const hits = await client.get('/faq-entries/search').qs({ q: '民営' }).loginAs(operator)
    hits.assertTextIncludes('駐輪場の定期利用の申込み方法')
    const twoWords = await client
      .get('/faq-entries/search')
      .qs({ q: '駐輪 窓口' })
      .loginAs(operator)
    twoWords.assertTextIncludes('駐輪場の定期利用の申込み方法')
    // Operators do not see drafts.
    const drafts = await client.get('/faq-entries/search').qs({ q: '放置自転車' }).loginAs(operator)
    drafts.assertTextIncludes('該当するFAQはありません')
    assert.isTrue(true)
  })

  test('department staff also find their own drafts, not other departments’', async ({
    client,
  }) => {
    const { tree } = await scene()
    const kocho = await UserFactory.merge({ departmentId: tree.kocho.id }).create()
    const kiki = await UserFactory.merge({ departmentId: tree.kikikanri.id }).create()
    const own = await client.get('/faq-entries/search').qs({ q: '放置自転車' }).loginAs(kocho)
    own.assertTextIncludes('放置自転車の撤去について（作成中）')
    own.assertTextIncludes('未公開（作業中の内容）')
    const noHits = await client.get('/faq-entries/search').qs({ q: '放置自転車' }).loginAs(kiki)
    noHits.assertTextIncludes('該当するFAQはありません')
  })

  test('a contracted call center reads entries marked for it, without internal notes', async ({
    client,
    assert,
  }) => {
    const { bosai, stockpile, churin, callCenterUser } = await scene()
    const response = await client
      .get('/faq-entries/search')
      .qs({ q: '防災' })
      .loginAs(callCenterUser)
    response.assertStatus(200)
    response.assertTextIncludes('防災訓練はいつありますか')
    assert.notInclude(response.text(), '内線2201')
    const allowed = await client.get(`/faq-entries/${bosai.id}`).loginAs(callCenterUser)
    allowed.assertStatus(200)
    // Not marked for the call center (whichever department).
    const stockpileEntry = await client.get(`/faq-entries/${stockpile.id}`).loginAs(callCenterUser)
    stockpileEntry.assertStatus(403)
    const churinEntry = await client.get(`/faq-entries/${churin.id}`).loginAs(callCenterUser)
    churinEntry.assertStatus(403)
    const stockpileSearch = await client
      .get('/faq-entries/search')
      .qs({ q: '備蓄' })
      .loginAs(callCenterUser)
    stockpileSearch.assertTextIncludes('該当するFAQはありません')
    const churinSearch = await client
      .get('/faq-entries/search')
      .qs({ q: '駐輪' })
      .loginAs(callCenterUser)
    churinSearch.assertTextIncludes('該当するFAQはありません')
    // Contractors never manage the FAQ.
    const manageIndex = await client.get('/faq-entries').loginAs(callCenterUser)
    manageIndex.assertStatus(403)
  })

  test('another contractor (a contract on the department’s systems, but not the call center) sees nothing', async ({
    client,
    assert,
  }) => {
    const { bosai, otherContractorUser } = await scene()
    const response = await client
      .get('/faq-entries/search')
      .qs({ q: '防災' })
      .loginAs(otherContractorUser)
    response.assertStatus(200)
    response.assertTextIncludes('該当するFAQはありません')
    const bosaiEntry = await client.get(`/faq-entries/${bosai.id}`).loginAs(otherContractorUser)
    bosaiEntry.assertStatus(403)
    // A contractor user without a contractor cannot even open the page.
    const stray = await UserFactory.apply('contractor').create()
    const straySearch = await client.get('/faq-entries/search').loginAs(stray)
    straySearch.assertStatus(403)
    assert.isTrue(true)
  })

  test('an ended contract no longer opens the FAQ; nor does the flag of an unapproved change', async ({
    client,
    assert,
  }) => {
    const { bosai, stockpile, callCenterUser } = await scene()
    // Marking an entry for the call center in a draft is not enough: the approved version decides.
    await stockpile.merge({ visibleToCallCenter: true, status: 'draft' }).save()
    const stockpileEntry = await client.get(`/faq-entries/${stockpile.id}`).loginAs(callCenterUser)
    stockpileEntry.assertStatus(403)
    await Contract.query().update({ status: 'ended' })
    const bosaiAfterContractEnd = await client
      .get(`/faq-entries/${bosai.id}`)
      .loginAs(callCenterUser)
    bosaiAfterContractEnd.assertStatus(403)
    const stillPublished = await FaqEntry.findOrFail(bosai.id)
    assert.equal(stillPublished.status, 'published')
  })

  test('the call-center flag works for every department, not only the one holding the contract; the contract form sets it', async ({
    client,
    assert,
  }) => {
    const { tree, officer, bosai, callCenterContract, callCenterUser } = await scene()
    // The contract is 広聴担当課's; 危機管理課 (no contract with the call center) and 広聴係 flag entries.
    const kakari = await FaqEntryFactory.apply('published')
      .merge({
        departmentId: tree.kochoKakari.id,
        question: '区民相談の予約方法',
        answer: '電話で区民相談室に予約してください。',
        visibleToCallCenter: true,
      })
      .create()
    for (const entry of [bosai, kakari]) {
      const page = await client.get(`/faq-entries/${entry.id}`).loginAs(callCenterUser)
      page.assertStatus(200)
    }
    const search = await client.get('/faq-entries/search').qs({ q: '防災' }).loginAs(callCenterUser)
    search.assertTextIncludes('防災訓練はいつありますか')
    const kakariSearch = await client
      .get('/faq-entries/search')
      .qs({ q: '区民相談' })
      .loginAs(callCenterUser)
    kakariSearch.assertTextIncludes('区民相談の予約方法')

    // The contract form shows the flag; unticked, the call center reads none of them.
    const form = await client.get(`/contracts/${callCenterContract.id}/edit`).loginAs(officer)
    form.assertTextIncludes(
      'name="callCenter" value="true" aria-describedby="field-callCenter-hint" checked'
    )
    const saved = await client
      .put(`/contracts/${callCenterContract.id}`)
      .loginAs(officer)
      .withCsrfToken()
      .form({
        title: 'コールセンター業務委託',
        reason: '専門的な知識が必要なため',
        periodType: 'open_ended',
        contractorId: String(callCenterContract.contractorId),
      })
      .redirects(0)
    saved.assertStatus(302)
    await callCenterContract.refresh()
    assert.isFalse(callCenterContract.callCenter)
    const refused = await client.get(`/faq-entries/${bosai.id}`).loginAs(callCenterUser)
    refused.assertStatus(403)
    const none = await client.get('/faq-entries/search').qs({ q: '防災' }).loginAs(callCenterUser)
    none.assertTextIncludes('該当するFAQはありません')

    // Ticked again through the form: every department's marked entries are back.
    await client
      .put(`/contracts/${callCenterContract.id}`)
      .loginAs(officer)
      .withCsrfToken()
      .form({
        title: 'コールセンター業務委託',
        reason: '専門的な知識が必要なため',
        periodType: 'open_ended',
        contractorId: String(callCenterContract.contractorId),
        callCenter: 'true',
      })
    await callCenterContract.refresh()
    assert.isTrue(callCenterContract.callCenter)
    const page = await client.get(`/contracts/${callCenterContract.id}`).loginAs(officer)
    page.assertTextIncludes('コールセンター業務')
    const back = await client.get(`/faq-entries/${bosai.id}`).loginAs(callCenterUser)
    back.assertStatus(200)
  })
})
