import { test } from '@japa/runner'
import { mkdir, writeFile } from 'node:fs/promises'
import app from '@adonisjs/core/services/app'
import testUtils from '@adonisjs/core/services/test_utils'
import CouncilItem from '#models/council_item'
import CouncilItemAnnex from '#models/council_item_annex'
import CouncilDocumentBuilder from '#services/council/council_document_builder'
import CouncilDocument from '#services/council/council_document_pdf'
import PdfRenderer from '#services/pdf_renderer'
import {
  compareCouncilDocument,
  extractPdfText,
  formatReport,
} from '#services/council/compare/compare'
import type {
  CouncilDocumentData,
  CouncilDocumentRow,
} from '#services/council/council_document_data'
import { UserFactory } from '#database/factories/user_factory'
import { ContractorFactory } from '#database/factories/contractor_factory'
import { departmentTree, bracketedFields } from '#tests/helpers'
import { makeContract, makeItem, makeSystem } from '#tests/register_helpers'

/**
 * Rows a real document has that the templates do not model (根拠法令, 委託先の選定方法, 備考 …),
 * entered per item on 事業の概要 and per annex, printed where the document has them.
 */

async function setup() {
  const tree = await departmentTree()
  const staff = await UserFactory.merge({ departmentId: tree.kocho.id }).create()
  const contractor = await ContractorFactory.merge({ name: '三幸株式会社' }).create()
  const system = await makeSystem(staff, tree.kocho.id, {
    name: '区民意見システム',
    description: '区民の意見を受け付ける。',
  })
  await makeItem(system.id, '氏名')
  const contract = await makeContract(staff, system, {
    contractorId: contractor.id,
    title: 'コールセンター業務委託',
  })
  return { staff, system, contract }
}

const SELECTION = '・公募型プロポーザル方式により選定する。\n・選定委員会：区長室長ほか４名'
const BASIS = '新宿区個人情報保護条例\n第14条第1項'

const blank = { extraAfter: '', extraLabel: '', extraValue: '' }

function itemForm(systemId: number, contractId: number, extra: Record<string, unknown> = {}) {
  return bracketedFields(
    {
      systemId,
      subject: 'コールセンター業務委託について',
      reportArticles: '◇第14条第1項（業務委託）',
      includeSystem: 'true',
      contractIds: [contractId],
      overviewExtraRows: [
        { extraAfter: '^', extraLabel: '根拠法令', extraValue: BASIS },
        { extraAfter: 'purpose', extraLabel: '実施時期', extraValue: '令和7年4月から' },
        blank,
      ],
      annexes: [
        { key: 'system', subject: '' },
        {
          key: `contract:${contractId}`,
          extraRows: [
            { extraAfter: 'contractor', extraLabel: '委託先の選定方法', extraValue: SELECTION },
            { extraAfter: 'contractor', extraLabel: '再委託の有無', extraValue: '無' },
            { extraAfter: '', extraLabel: '備考', extraValue: '契約は単年度' },
            blank,
            blank,
          ],
        },
      ],
      ...extra,
    },
    ''
  )
}

const squash = (text: string) => text.replace(/\s+/g, '')
const labelsOf = (rows: CouncilDocumentRow[]) => rows.map((row) => row.label)

async function pdfTextOf(data: CouncilDocumentData, name: string) {
  await mkdir(app.tmpPath('pdf'), { recursive: true })
  const file = app.tmpPath('pdf', `${name}.pdf`)
  await writeFile(file, await PdfRenderer.render(CouncilDocument.definition(data)))
  return { file, text: await extractPdfText(file) }
}

/** The document as a markdown-ish reference (label<TAB>value, '## 件名 …'), as `council:compare` reads one. */
function referenceOf(data: CouncilDocumentData): string {
  const value = (row: CouncilDocumentRow) =>
    (Array.isArray(row.value) ? row.value : row.value.split('\n'))
      .map((line) => `<p>${line}</p>`)
      .join(' ')
  const lines = [
    data.title,
    `件名\t${data.subject}`,
    '----\t---',
    '内容は別紙のとおり',
    '条例の根拠',
  ]
  for (const basis of data.basis) lines.push(`【${basis.kind}】`, ...basis.articles)
  if (data.contact) lines.push(data.contact)
  lines.push('## 事業の概要', ...data.overview.map((row) => `${row.label}\t${value(row)}`))
  for (const annex of data.annexes) {
    lines.push(
      ...annex.captions,
      `## 件名 ${annex.subject}`,
      ...annex.rows.map((row) => `${row.label}\t${value(row)}`)
    )
  }
  return lines.join('\n\n') + '\n'
}

test.group('Council items: rows not in the template', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.timeout(60_000)

  test('extra rows of the overview and of a contract annex are saved, shown again, kept by a second save and printed where they belong', async ({
    client,
    assert,
  }) => {
    const { staff, system, contract } = await setup()
    const created = await client
      .post('/council/items')
      .loginAs(staff)
      .withCsrfToken()
      .form(itemForm(system.id, contract.id))
      .redirects(0)
    created.assertStatus(302)
    const item = await CouncilItem.firstOrFail()
    assert.deepEqual(item.extraRows, [
      { label: '根拠法令', value: BASIS, after: '^' },
      { label: '実施時期', value: '令和7年4月から', after: 'purpose' },
    ])
    const annex = await CouncilItemAnnex.query()
      .where('itemId', item.id)
      .where('contractId', contract.id)
      .firstOrFail()
    assert.deepEqual(annex.extraRows, [
      { label: '委託先の選定方法', value: SELECTION, after: 'contractor' },
      { label: '再委託の有無', value: '無', after: 'contractor' },
      { label: '備考', value: '契約は単年度', after: '' },
    ])
    const systemAnnex = await CouncilItemAnnex.query()
      .where('itemId', item.id)
      .whereNull('contractId')
      .firstOrFail()
    assert.deepEqual(systemAnnex.extraRows, [])

    // The item page lists them.
    const page = await client.get(`/council/items/${item.id}`).loginAs(staff)
    page.assertStatus(200)
    page.assertTextIncludes('様式にない行（資料のとおり）')
    page.assertTextIncludes('委託先の選定方法：・公募型プロポーザル方式により選定する。')
    page.assertTextIncludes('実施時期')

    // The edit form shows them (with their positions) and three blank rows more.
    const edit = await client.get(`/council/items/${item.id}/edit`).loginAs(staff)
    edit.assertStatus(200)
    const html = edit.text()
    assert.include(html, 'name="overviewExtraRows[0][extraLabel]"')
    assert.include(html, 'value="根拠法令"')
    assert.include(html, '新宿区個人情報保護条例\n第14条第1項</textarea>')
    assert.match(html, /<option value="\^" selected>先頭<\/option>/)
    assert.match(html, /<option value="purpose" selected>「目的」の後<\/option>/)
    assert.include(html, 'name="overviewExtraRows[4][extraLabel]"') // 2 saved + 3 blank
    assert.notInclude(html, 'name="overviewExtraRows[5][extraLabel]"')
    assert.include(html, 'name="annexes[1][extraRows][5][extraLabel]"') // 3 saved + 3 blank
    assert.include(html, 'value="委託先の選定方法"')
    assert.match(html, /<option value="contractor" selected>「委託先」の後<\/option>/)
    assert.include(html, 'name="annexes[0][extraRows][2][extraLabel]"') // none saved: 3 blank

    // A second save as the form sends it back (a row removed by clearing it).
    const again = itemForm(system.id, contract.id, {
      subject: 'コールセンター業務委託の変更について',
    })
    again['overviewExtraRows[1][extraLabel]'] = ''
    again['overviewExtraRows[1][extraValue]'] = ''
    const updated = await client
      .put(`/council/items/${item.id}`)
      .loginAs(staff)
      .withCsrfToken()
      .form(again)
      .redirects(0)
    updated.assertStatus(302)
    await item.refresh()
    assert.deepEqual(item.extraRows, [{ label: '根拠法令', value: BASIS, after: '^' }])
    await annex.refresh()
    assert.lengthOf(annex.extraRows, 3)
    const editAgain = await client.get(`/council/items/${item.id}/edit`).loginAs(staff)
    assert.include(editAgain.text(), 'value="再委託の有無"')
    assert.include(editAgain.text(), 'value="備考"')

    // The document has them where the item says.
    const data = await CouncilDocumentBuilder.build(item.id)
    assert.deepEqual(labelsOf(data.overview), [
      '根拠法令',
      '事業名',
      '担当課',
      '目的',
      '対象者',
      '事業内容',
    ])
    assert.deepEqual(data.overview[0].value, BASIS)
    const contractRows = labelsOf(data.annexes[1].rows)
    const at = contractRows.indexOf('委託先')
    assert.deepEqual(contractRows.slice(at, at + 3), ['委託先', '委託先の選定方法', '再委託の有無'])
    assert.equal(contractRows.at(-1), '備考')
    assert.notInclude(labelsOf(data.annexes[0].rows), '備考')

    // The PDF prints them as written, and council:compare counts them as identical rows.
    const { text } = await pdfTextOf(data, `council-extra-rows-${item.id}`)
    for (const expected of [
      '根拠法令',
      '新宿区個人情報保護条例',
      '委託先の選定方法',
      '・公募型プロポーザル方式により選定する。',
      '・選定委員会：区長室長ほか４名',
      '再委託の有無',
      '備考',
      '契約は単年度',
    ]) {
      assert.include(squash(text), squash(expected))
    }
    const reference = referenceOf(data)
    await writeFile(app.tmpPath('pdf', `council-extra-rows-${item.id}.txt`), reference) // for `node ace council:compare`
    const comparison = compareCouncilDocument(text, reference)
    assert.equal(
      comparison.identical,
      comparison.total,
      formatReport('extra rows', comparison).join('\n')
    )
    for (const label of ['根拠法令', '委託先の選定方法', '再委託の有無', '備考']) {
      const row = comparison.rows.find((entry) => entry.label === label)
      assert.isDefined(row, `${label} is a row`)
      assert.isTrue(row!.identical, formatReport('extra rows', comparison).join('\n'))
    }
  })

  test('bad extra rows get a Japanese message on the form, what was typed is kept, never a 500', async ({
    client,
    assert,
  }) => {
    const { staff, system, contract } = await setup()
    // An over-long label.
    const tooLong = itemForm(system.id, contract.id)
    tooLong['annexes[1][extraRows][0][extraLabel]'] = 'あ'.repeat(501)
    const refused = await client
      .post('/council/items')
      .loginAs(staff)
      .withCsrfToken()
      .header('referer', `/council/items/create?systemId=${system.id}`)
      .form(tooLong)
      .redirects(0)
    refused.assertStatus(302)
    refused.assertFlashMessage('errors', {
      'annexes.1.extraRows.0.extraLabel': ['項目名は500文字以内で入力してください'],
    })
    const flashed = refused.flashMessages() as Record<string, any>
    assert.equal(flashed.overviewExtraRows[0].extraValue, BASIS)
    assert.equal(flashed.annexes[1].extraRows[1].extraLabel, '再委託の有無')
    assert.equal(
      await CouncilItem.query()
        .count('* as total')
        .first()
        .then((row) => Number(row!.$extras.total)),
      0
    )

    // A plain value where a list is expected: refused with the list's message, no 500.
    const notAList = itemForm(system.id, contract.id)
    for (const key of Object.keys(notAList))
      if (key.startsWith('overviewExtraRows')) delete notAList[key]
    notAList.overviewExtraRows = '根拠法令'
    const plain = await client
      .post('/council/items')
      .loginAs(staff)
      .withCsrfToken()
      .header('referer', `/council/items/create?systemId=${system.id}`)
      .form(notAList)
      .redirects(0)
    plain.assertStatus(302)
    plain.assertFlashMessage('errors', {
      overviewExtraRows: ['様式にない行（資料のとおり）は一覧として送信してください'],
    })

    // One row sent as an object (not indexed) reads as a one-row list and is saved.
    const oneRow = itemForm(system.id, contract.id)
    for (const key of Object.keys(oneRow))
      if (key.startsWith('overviewExtraRows')) delete oneRow[key]
    oneRow['overviewExtraRows[extraAfter]'] = 'subjects'
    oneRow['overviewExtraRows[extraLabel]'] = '備考'
    oneRow['overviewExtraRows[extraValue]'] = '一行だけ'
    const saved = await client
      .post('/council/items')
      .loginAs(staff)
      .withCsrfToken()
      .form(oneRow)
      .redirects(0)
    saved.assertStatus(302)
    const item = await CouncilItem.firstOrFail()
    assert.deepEqual(item.extraRows, [{ label: '備考', value: '一行だけ', after: 'subjects' }])

    // A position the template does not have (a tampered form) reads as the end.
    const tampered = itemForm(system.id, contract.id)
    tampered['annexes[1][extraRows][0][extraAfter]'] = 'no_such_row'
    await client
      .put(`/council/items/${item.id}`)
      .loginAs(staff)
      .withCsrfToken()
      .form(tampered)
      .redirects(0)
    const annex = await CouncilItemAnnex.query()
      .where('itemId', item.id)
      .where('contractId', contract.id)
      .firstOrFail()
    assert.equal(annex.extraRows[0].after, '')
  })

  test('the form shows a refused extra row with its message and the rows as typed', async ({
    client,
    assert,
  }) => {
    const { staff, system, contract } = await setup()
    const tooLong = itemForm(system.id, contract.id)
    tooLong['overviewExtraRows[1][extraLabel]'] = 'い'.repeat(501)
    const page = await client
      .post('/council/items')
      .loginAs(staff)
      .withCsrfToken()
      .header('referer', `/council/items/create?systemId=${system.id}`)
      .form(tooLong)
    page.assertStatus(200)
    const html = page.text()
    assert.include(html, '項目名は500文字以内で入力してください')
    assert.include(html, 'value="根拠法令"')
    assert.include(html, '新宿区個人情報保護条例\n第14条第1項</textarea>')
    assert.include(html, 'value="委託先の選定方法"')
    assert.match(html, /<option value="contractor" selected>「委託先」の後<\/option>/)
  })
})
