import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import testUtils from '@adonisjs/core/services/test_utils'
import BigramSearch from '#services/search/bigram_search'
import Department from '#models/department'
import { DepartmentFactory } from '#database/factories/department_factory'

const DOCS: Record<number, string> = {
  1: '防災訓練のお知らせ',
  2: '地域の防災',
  3: '防犯カメラの設置',
  4: '駐輪場が満車',
  5: 'ＡＢＣ公園の騒音',
  6: 'ｶﾀｶﾅの案内',
  7: '公園のごみ収集',
  8: '火災訓練と防災',
}

async function indexAll(docType = 'opinion') {
  for (const [id, text] of Object.entries(DOCS)) await BigramSearch.index(docType, Number(id), text)
}

test.group('BigramSearch index', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('防災 finds both documents holding it, not 防犯', async ({ assert }) => {
    await indexAll()
    assert.deepEqual(await BigramSearch.candidateIds('opinion', '防災'), [1, 2, 8])
    assert.deepEqual(await BigramSearch.candidateIds('opinion', '駐輪'), [4])
    assert.deepEqual(await BigramSearch.candidateIds('opinion', '防犯'), [3])
    assert.deepEqual(await BigramSearch.candidateIds('opinion', '満車'), [4])
    assert.deepEqual(await BigramSearch.candidateIds('opinion', '駐輪場'), [4])
    assert.deepEqual(await BigramSearch.candidateIds('opinion', '水害'), [])
  })

  test('bigram hits are candidates; matches() confirms the substring', async ({ assert }) => {
    await indexAll()
    const ids = (await BigramSearch.candidateIds('opinion', '防災訓練'))!
    assert.deepEqual(ids, [1, 8])
    assert.deepEqual(
      ids.filter((id) => BigramSearch.matches(DOCS[id], '防災訓練')),
      [1]
    )
  })

  test('full-width and half-width forms find each other', async ({ assert }) => {
    await indexAll()
    assert.deepEqual(await BigramSearch.candidateIds('opinion', 'abc'), [5])
    assert.deepEqual(await BigramSearch.candidateIds('opinion', 'ＡＢＣ'), [5])
    assert.deepEqual(await BigramSearch.candidateIds('opinion', 'カタカナ'), [6])
    assert.deepEqual(await BigramSearch.candidateIds('opinion', 'ｶﾀｶﾅ'), [6])
    assert.deepEqual(await BigramSearch.candidateIds('opinion', 'かたかな'), [6])
    assert.deepEqual(await BigramSearch.candidateIds('opinion', 'ゴミ'), [7])
  })

  test('words separated by a space are ANDed', async ({ assert }) => {
    await indexAll()
    assert.deepEqual(await BigramSearch.candidateIds('opinion', '公園'), [5, 7])
    assert.deepEqual(await BigramSearch.candidateIds('opinion', '公園 騒音'), [5])
    assert.deepEqual(await BigramSearch.candidateIds('opinion', '公園　ごみ'), [7])
    assert.deepEqual(await BigramSearch.candidateIds('opinion', '公園 防災'), [])
  })

  test('a query without a two-character word returns null (LIKE fallback)', async ({ assert }) => {
    await indexAll()
    assert.isNull(await BigramSearch.candidateIds('opinion', '区'))
    assert.isNull(await BigramSearch.candidateIds('opinion', ''))
    assert.isNull(await BigramSearch.candidateIds('opinion', '、 '))
  })

  test('document types do not mix', async ({ assert }) => {
    await indexAll('opinion')
    await BigramSearch.index('faq', 1, ['駐輪場の使い方', '登録は区役所で', '駐輪,自転車'])
    assert.deepEqual(await BigramSearch.candidateIds('faq', '駐輪'), [1])
    assert.deepEqual(await BigramSearch.candidateIds('faq', '防災'), [])
    assert.deepEqual(await BigramSearch.candidateIds('opinion', '自転車'), [])
  })

  test('re-indexing a changed document replaces its bigrams', async ({ assert }) => {
    await indexAll()
    await BigramSearch.index('opinion', 1, '図書館の開館時間')
    assert.deepEqual(await BigramSearch.candidateIds('opinion', '防災'), [2, 8])
    assert.deepEqual(await BigramSearch.candidateIds('opinion', '図書館'), [1])
    const rows = await db
      .from('search_bigrams')
      .where({ doc_type: 'opinion', doc_id: 1 })
      .orderBy('bigram')
    assert.sameMembers(
      rows.map((row) => row.bigram),
      BigramSearch.bigrams('図書館の開館時間')
    )
  })

  test('removal drops every bigram of the document', async ({ assert }) => {
    await indexAll()
    await BigramSearch.remove('opinion', 2)
    assert.deepEqual(await BigramSearch.candidateIds('opinion', '防災'), [1, 8])
    const left = await db
      .from('search_bigrams')
      .where({ doc_type: 'opinion', doc_id: 2 })
      .count('* as total')
    assert.equal(Number(left[0].total), 0)
  })

  test('indexMany indexes and re-indexes in batches', async ({ assert }) => {
    const docs = Array.from({ length: 1200 }, (_, index) => ({
      id: index + 1,
      text: index % 3 === 0 ? `防災倉庫${index}号` : `道路の補修${index}`,
    }))
    await BigramSearch.indexMany('opinion', docs)
    assert.lengthOf((await BigramSearch.candidateIds('opinion', '防災'))!, 400)
    assert.lengthOf((await BigramSearch.candidateIds('opinion', '道路 補修'))!, 800)
    await BigramSearch.indexMany(
      'opinion',
      docs.map((doc) => ({ ...doc, text: '公園' }))
    )
    assert.deepEqual(await BigramSearch.candidateIds('opinion', '防災'), [])
    const total = await db.from('search_bigrams').where('doc_type', 'opinion').count('* as total')
    assert.equal(Number(total[0].total), 1200)
  })

  test('works inside a transaction and rolls back with it', async ({ assert }) => {
    await indexAll()
    const trx = await db.transaction()
    await BigramSearch.index('opinion', 9, '防災無線が聞こえない', trx)
    await BigramSearch.remove('opinion', 1, trx)
    assert.deepEqual(await BigramSearch.candidateIds('opinion', '防災', trx), [2, 8, 9])
    await trx.rollback()
    assert.deepEqual(await BigramSearch.candidateIds('opinion', '防災'), [1, 2, 8])

    await db.transaction(async (committed) => {
      await BigramSearch.index('opinion', 9, '防災無線が聞こえない', committed)
    })
    assert.deepEqual(await BigramSearch.candidateIds('opinion', '防災無線'), [9])
  })

  test('subquery filters a query builder and a model query', async ({ assert }) => {
    const names = ['危機管理課防災係', '地域防災課', '防犯係', '自転車駐輪場係']
    const departments = await DepartmentFactory.merge(
      names.map((name, index) => ({
        code: `bgs-${index}`,
        name,
        level: 'kakari' as const,
        sortOrder: index,
      }))
    ).createMany(names.length)
    for (const department of departments)
      await BigramSearch.index('department', department.id, department.name)

    const found = await Department.query()
      .whereIn('id', BigramSearch.subquery('department', '防災'))
      .orderBy('id')
    assert.deepEqual(
      found.map((department) => department.name),
      ['危機管理課防災係', '地域防災課']
    )
    const rows = await db
      .from('departments')
      .whereIn('id', BigramSearch.subquery('department', '駐輪 係'))
      .select('name')
    assert.deepEqual(
      rows.map((row) => row.name),
      ['自転車駐輪場係']
    )
    const none = await Department.query().whereIn('id', BigramSearch.subquery('department', '係'))
    assert.lengthOf(none, 0)
  })

  test('lookups use the primary key', async ({ assert }) => {
    const connection = db.connection()
    const builder = db.from('search_bigrams')
    BigramSearch.subquery('opinion', '防災 公園')(builder)
    const { sql, bindings } = builder.toSQL()
    if (connection.dialect.name === 'postgres') {
      await db.rawQuery('SET LOCAL enable_seqscan = off')
      const plan = await db.rawQuery(`EXPLAIN ${sql}`, bindings as any[])
      const text = plan.rows.map((row: Record<string, string>) => row['QUERY PLAN']).join('\n')
      assert.include(text, 'search_bigrams_pkey')
    } else {
      const plan = await db.rawQuery(`EXPLAIN QUERY PLAN ${sql}`, bindings as any[])
      const text = plan.map((row: { detail: string }) => row.detail).join('\n')
      assert.match(
        text,
        /USING COVERING INDEX sqlite_autoindex_search_bigrams_1 \(doc_type=\? AND bigram=\?\)/
      )
      assert.notInclude(text, 'search_bigrams_doc_id_doc_type_index')
    }
  })
})
