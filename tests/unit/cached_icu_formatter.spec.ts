import { test } from '@japa/runner'
import i18nManager from '@adonisjs/i18n/services/main'
import { IntlMessageFormat } from 'intl-messageformat'
import CachedIcuFormatter from '#services/cached_icu_formatter'

/*
| i18n.t() compiles each message once per locale (issue 19): a message used again
| with other values, in the other locale, or with plural and select forms still
| reads as it did when every call compiled it.
*/
test.group('CachedIcuFormatter', () => {
  test('the same message with other values, in both locales', ({ assert }) => {
    const ja = i18nManager.locale('ja')
    const en = i18nManager.locale('en')
    assert.equal(ja.t('opinions.reference', { ref: '2026-000001' }), '受付番号 2026-000001')
    assert.equal(ja.t('opinions.reference', { ref: '2026-000002' }), '受付番号 2026-000002')
    assert.equal(en.t('opinions.count', { count: '1,000' }), '1,000 items')
    assert.equal(en.t('opinions.count', { count: '12' }), '12 items')
    assert.equal(ja.t('opinions.count', { count: '12' }), '12件')
    assert.equal(ja.t('opinions.due.days_left', { days: 3 }), 'あと3開庁日')
    assert.equal(ja.t('opinions.due.days_left', { days: 14 }), 'あと14開庁日')
  })

  test('plural, select and number arguments follow each call’s values and locale', ({ assert }) => {
    const formatter = new CachedIcuFormatter()
    const plural = '{count, plural, one {# contractor} other {# contractors}}'
    assert.equal(formatter.format(plural, 'en', { count: 1 }), '1 contractor')
    assert.equal(formatter.format(plural, 'en', { count: 2 }), '2 contractors')
    assert.equal(formatter.format(plural, 'en', { count: 1200 }), '1,200 contractors')
    assert.equal(formatter.format(plural, 'ja', { count: 1 }), '1 contractors')

    const select = '{channel, select, web {ウェブ} letter {手紙} other {その他}}'
    assert.equal(formatter.format(select, 'ja', { channel: 'web' }), 'ウェブ')
    assert.equal(formatter.format(select, 'ja', { channel: 'letter' }), '手紙')
    assert.equal(formatter.format(select, 'ja', { channel: 'fax' }), 'その他')

    const number = '{count, number}件'
    assert.equal(formatter.format(number, 'ja', { count: 1234567 }), '1,234,567件')
    assert.equal(formatter.format(number, 'ja', { count: 0 }), '0件')
    assert.equal(formatter.format('{count, number}', 'de', { count: 1234.5 }), '1.234,5')
    assert.equal(formatter.format('{count, number}', 'en', { count: 1234.5 }), '1,234.5')
  })

  test('markup-like text stays text (ignoreTag, as the stock formatter)', ({ assert }) => {
    const formatter = new CachedIcuFormatter()
    assert.equal(formatter.format('<b>{name}</b> 様', 'ja', { name: '山田' }), '<b>山田</b> 様')
    assert.equal(formatter.format('<b>{name}</b> 様', 'ja', { name: '佐藤' }), '<b>佐藤</b> 様')
  })

  test('every message of both locales formats as the stock formatter does, plain text too', async ({
    assert,
  }) => {
    await i18nManager.loadTranslations()
    const formatter = new CachedIcuFormatter()
    let plain = 0
    for (const locale of ['ja', 'en']) {
      for (const [key, message] of Object.entries(i18nManager.getTranslationsFor(locale))) {
        if (!/[{}']/.test(message)) plain++
        // Messages with arguments are formatted with none: the stock formatter throws for them.
        let expected: string
        try {
          expected = new IntlMessageFormat(message, locale, undefined, { ignoreTag: true }).format(
            {}
          ) as string
        } catch {
          continue
        }
        assert.equal(formatter.format(message, locale), expected, `${locale}: ${key}`)
      }
    }
    assert.isAbove(plain, 1000)
    // Quoting is ICU syntax too: '' is one apostrophe, '{…}' literal braces.
    assert.equal(formatter.format("it''s", 'en'), "it's")
    assert.equal(formatter.format("'{name}' は置き換えない", 'ja'), '{name} は置き換えない')
  })
})
