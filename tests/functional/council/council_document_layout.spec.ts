import { test } from '@japa/runner'
import { execFile } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import { promisify } from 'node:util'
import app from '@adonisjs/core/services/app'
import testUtils from '@adonisjs/core/services/test_utils'
import SpecialTermSet from '#models/special_term_set'
import DataItem from '#models/data_item'
import CouncilDocumentBuilder from '#services/council/council_document_builder'
import CouncilDocument from '#services/council/council_document_pdf'
import PdfRenderer from '#services/pdf_renderer'
import CreateSpecialTermSet from '#actions/register/create_special_term_set'
import { UserFactory } from '#database/factories/user_factory'
import { CouncilItemFactory } from '#database/factories/council_item_factory'
import { departmentTree } from '#tests/helpers'
import { makeContract, makeSystem } from '#tests/register_helpers'
import AuditLogger from '#services/audit_logger'

const run = promisify(execFile)
const squash = (text: string) => text.replace(/\s+/g, '')

async function clauseSet(name: string, heading: string): Promise<SpecialTermSet> {
  return new CreateSpecialTermSet(AuditLogger.system).handle({
    name,
    appliesTo: 'contractor',
    clauses: [{ heading, body: `${name}の本文。`, items: [] }],
  })
}

async function layoutText(itemId: number) {
  const pdf = await PdfRenderer.render(
    CouncilDocument.definition(await CouncilDocumentBuilder.build(itemId))
  )
  await mkdir(app.tmpPath('pdf'), { recursive: true })
  const file = app.tmpPath('pdf', `council-layout-${itemId}.pdf`)
  await writeFile(file, pdf)
  const { stdout } = await run('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'])
  return stdout
}

test.group('Council document layout', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.timeout(60_000)

  test('each annex is followed by the special terms attached to it; a set shared by consecutive annexes prints once', async ({
    assert,
  }) => {
    const tree = await departmentTree()
    const staff = await UserFactory.merge({ departmentId: tree.kocho.id }).create()
    const system = await makeSystem(staff, tree.kocho.id, { name: '区民意見システム' })
    const setA = await clauseSet('甲の特記事項', '秘密の保持')
    const setB = await clauseSet('乙の特記事項', '再委託の禁止')
    const first = await makeContract(staff, system, {
      title: '第一の委託',
      specialTermSetId: setA.id,
      selectionMethod: 'tokumei',
    })
    const second = await makeContract(staff, system, {
      title: '第二の委託',
      specialTermSetId: setA.id,
      selectionMethod: 'tokumei',
    })
    const third = await makeContract(staff, system, {
      title: '第三の委託',
      specialTermSetId: setB.id,
      selectionMethod: 'tokumei',
    })
    const item = await CouncilItemFactory.merge({
      departmentId: tree.kocho.id,
      subject: '区民意見システムの委託について',
      basis: [{ kind: 'report', articles: ['◇第14条第1項（業務委託）'] }],
    })
      .with('annexes', 3, (annex) =>
        annex.merge(
          [first, second, third].map((contract, sortOrder) => ({
            systemId: system.id,
            contractId: contract.id,
            sortOrder,
          }))
        )
      )
      .create()

    const data = await CouncilDocumentBuilder.build(item.id)
    assert.deepEqual(
      data.annexes.map((annex) => [annex.subject, annex.specialTerms?.clauses[0].body ?? null]),
      [
        ['第一の委託', null],
        ['第二の委託', '甲の特記事項の本文。'],
        ['第三の委託', '乙の特記事項の本文。'],
      ]
    )

    // In the PDF: annex 1, annex 2, set A, annex 3, set B — in that order.
    const text = squash(await layoutText(item.id))
    const positions = [
      '第一の委託',
      '第二の委託',
      '甲の特記事項の本文。',
      '第三の委託',
      '乙の特記事項の本文。',
    ].map((needle) => text.indexOf(needle, text.indexOf('別紙')))
    assert.notInclude(positions, -1)
    assert.deepEqual(
      [...positions].sort((a, b) => a - b),
      positions
    )
  })

  test('事業内容 with tab-separated lines prints a table; text around it stays as written', async ({
    assert,
  }) => {
    const tree = await departmentTree()
    const staff = await UserFactory.merge({ departmentId: tree.kocho.id }).create()
    const description = [
      '配信の実績は次のとおり。',
      '年度\t登録者数\t配信数',
      '令和6年度\t1,200\t35,000',
      '令和7年度\t1,450\t41,200',
      '以上。',
    ].join('\n')
    const system = await makeSystem(staff, tree.kocho.id, { name: '安全安心メール', description })
    const item = await CouncilItemFactory.merge({
      departmentId: tree.kocho.id,
      subject: '安全安心メールについて',
      basis: [{ kind: 'report', articles: ['第16条第1項本文'] }],
    })
      .with('annexes', 1, (annex) => annex.merge({ systemId: system.id }))
      .create()

    const text = await layoutText(item.id)
    // Each table row prints its cells on one line, in separate columns.
    const row = text.split('\n').find((line) => line.includes('令和6年度'))
    assert.exists(row)
    assert.match(row!, /令和6年度\s{2,}1,200\s{2,}35,000/)
    assert.include(squash(text), '配信の実績は次のとおり。')
    assert.include(squash(text), '以上。')
    assert.notInclude(text, '\t')
  })

  test('the system annex prints data items in their groups, with headings once and notes after the names', async ({
    assert,
  }) => {
    const tree = await departmentTree()
    const staff = await UserFactory.merge({ departmentId: tree.kocho.id }).create()
    const system = await makeSystem(staff, tree.kocho.id, {
      name: '区民意見システム',
      recordingComputer: '統合基盤',
    })
    const items: Array<[string, string | null, string | null]> = [
      ['ID', '【利用者登録】', null],
      ['パスワード', '【利用者登録】', null],
      ['氏名', '【意見等】', null],
      ['メールアドレス', '【意見等】', '返信を希望する場合のみ'],
      ['意見等の内容', null, null],
    ]
    for (const [sortOrder, [name, groupHeading, note]] of items.entries()) {
      await DataItem.create({ systemId: system.id, name, groupHeading, note, sortOrder })
    }
    const item = await CouncilItemFactory.apply('consultation')
      .merge({ departmentId: tree.kocho.id, subject: '区民意見システムについて' })
      .with('annexes', 1, (annex) => annex.merge({ systemId: system.id }))
      .create()

    const data = await CouncilDocumentBuilder.build(item.id)
    const recorded = data.annexes[0].rows.find((row) => row.label.startsWith('記録される情報項目'))!
    assert.deepEqual(recorded.value, [
      '1 個人の範囲',
      '①申請者',
      '2 記録する個人情報の項目',
      '【利用者登録】',
      'ID、パスワード',
      '【意見等】',
      '氏名、メールアドレス（返信を希望する場合のみ）',
      '意見等の内容',
      '3 記録するコンピュータ 統合基盤',
    ])
    const text = squash(await layoutText(item.id))
    assert.include(
      text,
      squash(
        '【利用者登録】ID、パスワード【意見等】氏名、メールアドレス（返信を希望する場合のみ）意見等の内容'
      )
    )
  })
})
