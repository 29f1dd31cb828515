import { readFileSync } from 'node:fs'
import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import SpecialTermSet from '#models/special_term_set'
import CreateSpecialTermVersion from '#actions/register/create_special_term_version'
import { SPECIAL_TERMS_16 } from '#database/demo/special_terms_data'
import { UserFactory } from '#database/factories/user_factory'
import AuditLogger from '#services/audit_logger'

/*
| Issue 13, points 1 and 2, in the special-terms form: each clause records the subcontracting
| rule it creates and whether it requires staff training; the paste preview suggests both from
| the text where obvious, and the suggestion stays editable.
*/

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/special_terms/${name}`, import.meta.url), 'utf8')

const WRITTEN_TEXT = [
  '特記事項',
  '（再委託）',
  '１　乙は、あらかじめ甲の書面による承諾を得た場合を除き、業務の全部又は一部を第三者に委託してはならない。',
  '（従事者の指定）',
  '２　乙は、個人情報を取り扱う従事者を指定し、当該従事者に対して個人情報の保護に関する研修を実施しなければならない。',
  '（秘密の保持）',
  '３　乙は、業務に関して知り得た情報を一切第三者に漏らしてはならない。',
].join('\n')

/** The <select> of a clause's rule, from its id up to its end. */
const ruleSelect = (html: string, index: number) =>
  html.match(new RegExp(`<select id="clause-${index}-subcontractRule"[\\s\\S]*?</select>`))?.[0] ??
  ''
const trainingBox = (html: string, index: number) =>
  html.match(
    new RegExp(`<input type="checkbox" id="clause-${index}-requiresTraining"[^>]*>`)
  )?.[0] ?? ''

test.group('Special-terms form: clause rules and training', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('the preview suggests each clause’s rule and training from the text, marked as a suggestion', async ({
    client,
    assert,
  }) => {
    const officer = await UserFactory.apply('privacyOfficer').create()
    const seed000 = await client
      .post('/special-terms/preview')
      .loginAs(officer)
      .withCsrfToken()
      .form({ name: '16項', appliesTo: 'contractor', text: fixture('seed_000_markdown_16.txt') })
    seed000.assertStatus(200)
    const html = seed000.text()
    assert.include(ruleSelect(html, 8), '<option value="forbidden" selected>')
    assert.match(
      html,
      /id="clause-8-subcontractRule-hint">\s*本文から推定して選びました。確認し、違っていれば変更してください。/
    )
    assert.include(ruleSelect(html, 8), 'data-suggested')
    for (const index of [0, 1, 2, 5, 9, 15])
      assert.notInclude(ruleSelect(html, index), 'selected', `clause ${index + 1}`)
    assert.include(trainingBox(html, 12), 'checked')
    assert.notInclude(trainingBox(html, 11), 'checked')

    const seed001 = await client
      .post('/special-terms/preview')
      .loginAs(officer)
      .withCsrfToken()
      .form({ name: '13項', appliesTo: 'contractor', text: fixture('seed_001_pdf_13.txt') })
    assert.include(ruleSelect(seed001.text(), 5), '<option value="no_personal_data_only" selected>')
    assert.notInclude(ruleSelect(seed001.text(), 2), 'selected') // 第三者への提供, not 委託

    const written = await client
      .post('/special-terms/preview')
      .loginAs(officer)
      .withCsrfToken()
      .form({ name: '新', appliesTo: 'contractor', text: WRITTEN_TEXT })
    assert.include(
      ruleSelect(written.text(), 0),
      '<option value="prior_written_approval" selected>'
    )
    assert.include(trainingBox(written.text(), 1), 'checked')
    assert.lengthOf(await SpecialTermSet.all(), 0)
  })

  test('the suggestion is editable: what is saved is what the form holds; the version form shows it again', async ({
    client,
    assert,
  }) => {
    const officer = await UserFactory.apply('privacyOfficer').create()
    const response = await client
      .post('/special-terms')
      .loginAs(officer)
      .withCsrfToken()
      .form({
        'name': '個人情報の取扱いに関する特記事項（新）',
        'appliesTo': 'contractor',
        // The preview suggested prior_written_approval for clause 1; the user chose forbidden.
        'clauses[0][numberLabel]': '１',
        'clauses[0][heading]': '再委託',
        'clauses[0][body]':
          '乙は、あらかじめ甲の書面による承諾を得た場合を除き、業務の全部又は一部を第三者に委託してはならない。',
        'clauses[0][subcontractRule]': 'forbidden',
        // Designated staff (roster) that also requires training.
        'clauses[1][numberLabel]': '２',
        'clauses[1][heading]': '従事者の指定',
        'clauses[1][body]':
          '乙は、個人情報を取り扱う従事者を指定し、当該従事者に対して研修を実施しなければならない。',
        'clauses[1][duty]': 'roster',
        'clauses[1][requiresTraining]': '1',
        // The suggested training box unticked: not saved as requiring training.
        'clauses[2][numberLabel]': '３',
        'clauses[2][heading]': '秘密の保持',
        'clauses[2][body]': '乙は、業務に関して知り得た情報を一切第三者に漏らしてはならない。',
        'clauses[2][subcontractRule]': '',
      })
      .redirects(0)
    response.assertStatus(302)
    const set = await SpecialTermSet.query().preload('clauses').firstOrFail()
    assert.deepEqual(
      set.clauses.map((c) => [c.numberLabel, c.duty, c.subcontractRule, c.requiresTraining]),
      [
        ['１', null, 'forbidden', false],
        ['２', 'roster', null, true],
        ['３', null, null, false],
      ]
    )

    const show = await client.get(`/special-terms/${set.id}`).loginAs(officer)
    show.assertTextIncludes('再委託を禁止')
    show.assertTextIncludes('従業員教育')

    const next = await client.get(`/special-terms/${set.id}/new-version`).loginAs(officer)
    assert.include(ruleSelect(next.text(), 0), '<option value="forbidden" selected>')
    assert.include(trainingBox(next.text(), 1), 'checked')
    assert.notInclude(trainingBox(next.text(), 2), 'checked')
  })

  test('a clause whose duty is staff training always requires it; an unknown rule is refused on its clause', async ({
    client,
    assert,
  }) => {
    const officer = await UserFactory.apply('privacyOfficer').create()
    const stored = await new CreateSpecialTermVersion(AuditLogger.system).handle(
      'standard-16',
      SPECIAL_TERMS_16
    )
    await stored.load('clauses')
    assert.deepEqual(
      stored.clauses.filter((c) => c.requiresTraining).map((c) => c.heading),
      ['従業員に対する教育']
    )
    assert.deepEqual(
      stored.clauses.filter((c) => c.subcontractRule).map((c) => [c.number, c.subcontractRule]),
      [[9, 'forbidden']]
    )

    const refused = await client
      .post('/special-terms')
      .loginAs(officer)
      .withCsrfToken()
      .header('referer', '/special-terms/create')
      .form({
        'name': '誤り',
        'appliesTo': 'contractor',
        'clauses[0][body]': '本文',
        'clauses[0][subcontractRule]': 'sometimes',
      })
      .redirects(0)
    refused.assertStatus(302)
    const errors = refused.flashMessage('errors') as Record<string, string[]>
    assert.match(errors['clauses.0.subcontractRule'][0], /[ぁ-んァ-ン一-龥]/) // a Japanese message on the clause
    assert.lengthOf(await SpecialTermSet.query().where('name', '誤り'), 0)
  })
})
