import { test } from '@japa/runner'
import FaqDiff, { type FaqComparable } from '#services/faq/faq_diff'

const base: FaqComparable = {
  topicId: 1,
  question: '避難所はどこですか',
  answer: 'お住まいの地域の区立小中学校が避難所です。',
  keywords: '避難場所',
  relatedLinks: [],
  internalNotes: null,
  visibleToCallCenter: false,
}
const labels = {
  topicName: (id: number | null) => (id === 1 ? '防災' : '交通'),
  yes: 'はい',
  no: 'いいえ',
}

test.group('FaqDiff', () => {
  test('marks only the changed characters of a long text', ({ assert }) => {
    assert.deepEqual(
      FaqDiff.segments('区立小中学校が避難所です。', '区立小中学校と地域センターが避難所です。'),
      [
        { kind: 'same', text: '区立小中学校' },
        { kind: 'added', text: 'と地域センター' },
        { kind: 'same', text: 'が避難所です。' },
      ]
    )
    assert.deepEqual(FaqDiff.segments('3日分', '1週間分'), [
      { kind: 'removed', text: '3日' },
      { kind: 'added', text: '1週間' },
      { kind: 'same', text: '分' },
    ])
    // Surrogate pairs count as one character.
    assert.deepEqual(FaqDiff.segments('𠮷野', '𠮷田'), [
      { kind: 'same', text: '𠮷' },
      { kind: 'removed', text: '野' },
      { kind: 'added', text: '田' },
    ])
  })

  test('lists the changed fields with readable values; same when nothing differs', ({ assert }) => {
    assert.isTrue(FaqDiff.between(base, { ...base }, labels).same)
    const difference = FaqDiff.between(
      base,
      {
        ...base,
        topicId: 2,
        visibleToCallCenter: true,
        relatedLinks: [{ label: '地図', url: 'https://example.jp/' }],
      },
      labels
    )
    assert.deepEqual(
      difference.changes.map(({ field, before, after }) => [field, before, after]),
      [
        ['topicId', '防災', '交通'],
        ['relatedLinks', '', '地図 https://example.jp/'],
        ['visibleToCallCenter', 'いいえ', 'はい'],
      ]
    )
  })
})
