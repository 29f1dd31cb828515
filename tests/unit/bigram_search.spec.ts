import { test } from '@japa/runner'
import BigramSearch from '#services/search/bigram_search'

test.group('BigramSearch tokenizer', () => {
  test('a two-character word is one bigram; longer words overlap', ({ assert }) => {
    assert.deepEqual(BigramSearch.bigrams('防災'), ['防災'])
    assert.deepEqual(BigramSearch.bigrams('駐輪場'), ['駐輪', '輪場'])
    assert.deepEqual(BigramSearch.bigrams('防災訓練のお知らせ'), [
      '防災',
      '災訓',
      '訓練',
      '練の',
      'のお',
      'お知',
      '知ら',
      'らせ',
    ])
  })

  test('bigrams are distinct', ({ assert }) => {
    assert.deepEqual(BigramSearch.bigrams('防災と防災'), ['防災', '災と', 'と防'])
  })

  test('whitespace and punctuation separate words: no bigram spans them', ({ assert }) => {
    assert.deepEqual(BigramSearch.bigrams('駐輪 場'), ['駐輪'])
    assert.deepEqual(BigramSearch.bigrams('公園、道路。騒音！（ごみ）「税金」・図書館'), [
      '公園',
      '道路',
      '騒音',
      'ごみ',
      '税金',
      '図書',
      '書館',
    ])
    assert.deepEqual(BigramSearch.bigrams('防\u3000災\n防\t災'), [])
  })

  test('a field list is indexed field by field', ({ assert }) => {
    assert.deepEqual(BigramSearch.bigrams(['防', '災', null, undefined]), [])
    assert.deepEqual(BigramSearch.bigrams(['駐輪', '場の件']), ['駐輪', '場の', 'の件'])
  })

  test('full-width ASCII equals half-width, upper case equals lower case', ({ assert }) => {
    assert.deepEqual(BigramSearch.bigrams('ＡＢＣ'), BigramSearch.bigrams('abc'))
    assert.deepEqual(BigramSearch.bigrams('ABC'), ['ab', 'bc'])
    assert.deepEqual(BigramSearch.bigrams('１２３'), ['12', '23'])
  })

  test('half-width kana equals full-width, katakana equals hiragana', ({ assert }) => {
    assert.deepEqual(BigramSearch.bigrams('ｶﾀｶﾅ'), BigramSearch.bigrams('カタカナ'))
    assert.deepEqual(BigramSearch.bigrams('ｶﾞｲﾄﾞ'), BigramSearch.bigrams('ガイド'))
    assert.deepEqual(BigramSearch.bigrams('ゴミ'), BigramSearch.bigrams('ごみ'))
    assert.equal(BigramSearch.normalize('ヴァイオリン'), 'ゔぁいおりん')
    assert.equal(BigramSearch.normalize('コーヒー'), 'こーひー')
  })

  test('characters outside the BMP count as one character', ({ assert }) => {
    assert.deepEqual(BigramSearch.bigrams('𠮷野家'), ['𠮷野', '野家'])
  })

  test('text without a two-character word has no bigram', ({ assert }) => {
    assert.deepEqual(BigramSearch.bigrams('区'), [])
    assert.deepEqual(BigramSearch.bigrams(' 、。 '), [])
    assert.isFalse(BigramSearch.hasBigrams('区 市'))
    assert.isTrue(BigramSearch.hasBigrams('区 防災'))
  })

  test('matches: every word of the query is a normalised substring', ({ assert }) => {
    assert.isTrue(BigramSearch.matches('防災訓練のお知らせ', '防災'))
    assert.isTrue(BigramSearch.matches('地域の防災', '防災'))
    assert.isFalse(BigramSearch.matches('防犯カメラ', '防災'))
    assert.isTrue(BigramSearch.matches('ＡＢＣ公園', 'abc 公園'))
    assert.isTrue(BigramSearch.matches('ｶﾀｶﾅ表記', 'カタカナ'))
    assert.isFalse(BigramSearch.matches('防災と訓練', '防災訓練'))
    assert.isFalse(BigramSearch.matches('駐輪 場', '駐輪場'))
    assert.isTrue(BigramSearch.matches(['件名', '区の本文'], '区'))
    assert.isFalse(BigramSearch.matches('防災', ' '))
  })
})
