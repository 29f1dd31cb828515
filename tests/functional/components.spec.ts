import { test } from '@japa/runner'
import edge from 'edge.js'
import i18nManager from '@adonisjs/i18n/services/main'
import testUtils from '@adonisjs/core/services/test_utils'
import { ReadOnlyValuesStore } from '@adonisjs/session'
import type { SessionData } from '@adonisjs/session/types'
import { SimplePaginator } from '@adonisjs/lucid/database'

/**
 * The shared Edge components (issue 15, item 6), rendered through the app's
 * Edge instance: data table, key/value table, status tag, error summary,
 * pagination, and the layout's fallback for a refusal without a field.
 */
function render(template: string, state: Record<string, unknown> = {}) {
  // Shared, as the middleware shares them: components see shared values, not the page's state.
  const shared = { i18n: i18nManager.locale('ja'), locale: 'ja', ...state }
  return edge.createRenderer().share(shared).renderRaw(template, shared)
}

/** A flash store as the session middleware shares it with the views. */
function flashed(values: SessionData) {
  return new ReadOnlyValuesStore(values)
}

/** Collapses the whitespace between tags, so assertions read like the markup. */
function squash(html: string) {
  return html.replaceAll(/>\s+</g, '><').trim()
}

test.group('Components: data table', () => {
  test('header cells from the columns, one row per record from the row slot', async ({
    assert,
  }) => {
    const html = squash(
      await render(
        `@table.data({ columns: ['名称', { label: '件数', class: 'num' }, { label: '編集', hidden: true }], rows: systems, rowClass: (system) => system.count ? '' : 'row--empty', caption: '登録業務', captionHidden: true, describedby: 'hint' })
          @slot('row', system)
            <td>{{ system.name }}</td>
            <td class="num">{{ system.count }}</td>
            <td><a href="/systems/{{ system.id }}/edit">編集</a></td>
          @end
        @end`,
        {
          systems: [
            { id: 1, name: 'コールセンター', count: 3 },
            { id: 2, name: '<区民の声>', count: 0 },
          ],
        }
      )
    )
    assert.include(html, '<div class="table-scroll"><table class="table" aria-describedby="hint">')
    assert.include(html, '<caption class="visually-hidden">登録業務</caption>')
    assert.include(
      html,
      '<thead><tr><th scope="col">名称</th><th scope="col" class="num">件数</th><th scope="col"><span class="visually-hidden">編集</span></th></tr></thead>'
    )
    assert.include(
      html,
      '<tr><td>コールセンター</td><td class="num">3</td><td><a href="/systems/1/edit">編集</a></td></tr>'
    )
    assert.include(html, '<tr class="row--empty"><td>&lt;区民の声&gt;</td><td class="num">0</td>')
    assert.equal(html.match(/<tr/g)?.length, 3)
  })

  test('an empty list shows the empty text instead; without rows the main slot is the body', async ({
    assert,
  }) => {
    const empty = squash(
      await render(
        `@table.data({ columns: ['名称'], rows: [], empty: '登録業務はありません。' })\n@end`
      )
    )
    assert.equal(empty, '<p class="table-empty">登録業務はありません。</p>')

    const grouped = squash(
      await render(
        `@table.data({ columns: ['項目'], class: 'bulk-table', scroll: false })
          <tr class="item-group"><th scope="colgroup">氏名等</th></tr>
          <tr><td>氏名</td></tr>
        @end`
      )
    )
    assert.isTrue(grouped.startsWith('<table class="table bulk-table">'))
    assert.include(
      grouped,
      '<tbody><tr class="item-group"><th scope="colgroup">氏名等</th></tr><tr><td>氏名</td></tr></tbody></table>'
    )
    assert.notInclude(grouped, 'table-scroll')
  })
})

test.group('Components: key/value table', () => {
  test('sheet: <th scope="row"> labels, plain values escaped, markup from the row slot', async ({
    assert,
  }) => {
    const html = squash(
      await render(
        `@keyValue({ rows: [{ label: '所管課', value: '広聴課' }, { label: '目的', value: '<b>回答</b>', class: 'pre' }] })
          @keyValue.row({ label: '受付日' })
            <time datetime="2025-04-01">令和7年4月1日</time>
          @end
        @end`
      )
    )
    assert.equal(
      html,
      '<table class="sheet"><tbody>' +
        '<tr><th scope="row">所管課</th><td>広聴課</td></tr>' +
        '<tr><th scope="row">目的</th><td class="pre">&lt;b&gt;回答&lt;/b&gt;</td></tr>' +
        '<tr><th scope="row">受付日</th><td><time datetime="2025-04-01">令和7年4月1日</time></td></tr>' +
        '</tbody></table>'
    )
  })

  test('facts and list variants are description lists', async ({ assert }) => {
    const facts = squash(
      await render(
        `@keyValue({ variant: 'facts', rows: [{ label: '年度', value: '令和7年度' }] })\n@!keyValue.row({ label: '所属', value: '広聴課' })\n@end`
      )
    )
    assert.equal(
      facts,
      '<dl class="facts"><div><dt>年度</dt><dd>令和7年度</dd></div><div><dt>所属</dt><dd>広聴課</dd></div></dl>'
    )

    const list = squash(
      await render(
        `@keyValue({ variant: 'list', class: 'faq-content', rows: [{ label: '質問', value: 'ごみの日は？' }] })\n@end`
      )
    )
    assert.equal(list, '<dl class="faq-content"><dt>質問</dt><dd>ごみの日は？</dd></dl>')
  })
})

test.group('Components: status tag', () => {
  test('the tone picks the class; urgent tones are <strong>; the text is always there', async ({
    assert,
  }) => {
    const tag = async (props: string) => {
      const html = await render(`@!statusTag(${props})`)
      return html.trim()
    }
    assert.equal(
      await tag(`{ status: 'overdue', label: '期限超過' }`),
      '<strong class="tag tag--expired">期限超過</strong>'
    )
    assert.equal(
      await tag(`{ status: 'near_due', label: '期限間近' }`),
      '<strong class="tag tag--expiring">期限間近</strong>'
    )
    assert.equal(
      await tag(`{ status: 'published', label: '公開中' }`),
      '<span class="badge badge--ok">公開中</span>'
    )
    assert.equal(
      await tag(`{ status: 'awaiting_approval', label: '承認待ち', strong: true }`),
      '<strong class="badge badge--warn">承認待ち</strong>'
    )
    assert.equal(
      await tag(`{ status: 'draft', label: '下書き' }`),
      '<span class="badge badge--muted">下書き</span>'
    )
    assert.equal(
      await tag(`{ tone: 'badge', label: '主管課' }`),
      '<span class="badge">主管課</span>'
    )
    assert.equal(
      await tag(`{ status: 'something_else', label: '<デモ>' }`),
      '<span class="tag">&lt;デモ&gt;</span>'
    )
  })
})

test.group('Components: error summary', () => {
  test('lists errors.form first as text, then each field error linked to its field', async ({
    assert,
  }) => {
    const flashMessages = flashed({
      errors: {
        'email': ['メールアドレスを入力してください。'],
        'members.0.fullName': ['氏名を入力してください。'],
        'form': ['この契約は締結済みのため変更できません。'],
      },
    })
    const html = squash(await render('@!errorSummary()', { flashMessages }))
    assert.include(
      html,
      '<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1" data-error-summary>'
    )
    assert.include(
      html,
      '<h2 class="error-summary__title" id="error-summary-title">入力内容を確認してください。</h2>'
    )
    assert.include(
      html,
      '<ul class="error-summary__list">' +
        '<li>この契約は締結済みのため変更できません。</li>' +
        '<li><a href="#field-email">メールアドレスを入力してください。</a></li>' +
        '<li><a href="#field-members-0-fullName">氏名を入力してください。</a></li>' +
        '</ul>'
    )
  })

  test('only / except / prefix / fieldId; nothing at all without errors', async ({ assert }) => {
    const flashMessages = flashed({
      errors: { 'title': ['件名が長すぎます。'], 'lines.1.answer': ['回答を選んでください。'] },
    })
    const html = squash(
      await render(
        `@!errorSummary({ except: ['title'], prefix: (key) => key.startsWith('lines.') ? \`\${Number(key.split('.')[1]) + 1}行目：\` : '', fieldId: (key) => 'line-' + key.split('.')[1] })`,
        {
          flashMessages,
        }
      )
    )
    assert.include(html, '<li><a href="#line-1">2行目：回答を選んでください。</a></li>')
    assert.notInclude(html, '件名が長すぎます。')

    const withoutErrors = await render('@!errorSummary()', { flashMessages: flashed({}) })
    assert.equal(withoutErrors.trim(), '')
    const withoutFlash = await render('@!errorSummary()')
    assert.equal(withoutFlash.trim(), '')
  })

  test('the layout shows errors.form when the page does not, and never twice', async ({
    assert,
  }) => {
    const flashMessages = flashed({ errors: { form: ['承認済みの版は変更できません。'] } })
    const page = (body: string) =>
      `@layout.app({ title: '確認' })\n@slot('main')\n<h1>確認</h1>\n${body}\n@end\n@end`

    const bare = await render(page(''), { flashMessages })
    assert.include(bare, 'data-error-summary')
    assert.equal(bare.split('承認済みの版は変更できません。').length, 2)
    assert.isBelow(bare.indexOf('data-error-summary'), bare.indexOf('<h1>確認</h1>'))

    const withSummary = await render(page('@!errorSummary()'), { flashMessages })
    assert.equal(withSummary.split('承認済みの版は変更できません。').length, 2)
    assert.isAbove(withSummary.indexOf('data-error-summary'), withSummary.indexOf('<h1>確認</h1>'))

    const noErrors = await render(page(''), { flashMessages: flashed({}) })
    assert.notInclude(noErrors, 'data-error-summary')
  })
})

test.group('Components: pagination', () => {
  const paginator = (total: number, perPage: number, page: number) =>
    new SimplePaginator(
      total,
      perPage,
      page,
      ...Array.from({ length: Math.min(perPage, total) }, (_, index) => ({ id: index }))
    )

  test('previous, numbered pages around the current one, next; the query string is kept', async ({
    assert,
  }) => {
    const systems = paginator(200, 10, 10)
      .baseUrl('/systems')
      .queryString({ q: '区民 の声', department: 3 })
    const html = squash(await render('@!pagination({ paginator: systems })', { systems }))
    assert.include(html, '<nav class="pager" aria-label="ページ送り">')
    assert.include(
      html,
      '<a href="/systems?q=%E5%8C%BA%E6%B0%91%20%E3%81%AE%E5%A3%B0&amp;department=3&amp;page=9" rel="prev">前へ</a>'
    )
    assert.include(html, '<span>10 / 20 ページ</span>')
    assert.include(
      html,
      '<a href="/systems?q=%E5%8C%BA%E6%B0%91%20%E3%81%AE%E5%A3%B0&amp;department=3&amp;page=11" rel="next">次へ</a>'
    )
    assert.include(
      html,
      '<a href="/systems?q=%E5%8C%BA%E6%B0%91%20%E3%81%AE%E5%A3%B0&amp;department=3&amp;page=10" aria-current="page" aria-label="10ページ目">10</a>'
    )
    const numbers = [...html.matchAll(/aria-label="(\d+)ページ目">/g)].map((match) =>
      Number(match[1])
    )
    assert.deepEqual(numbers, [1, 8, 9, 10, 11, 12, 20])
    assert.equal(html.match(/class="pager__gap" aria-hidden="true"/g)?.length, 2)
  })

  test('without a query string on the paginator, the request’s is kept (page replaced)', async ({
    assert,
  }) => {
    const events = paginator(30, 10, 1)
    const request = {
      url: () => '/opinions/history',
      qs: () => ({ kind: ['reply', 'step'], q: 'A&B', page: '1' }),
    }
    const html = squash(await render('@!pagination({ paginator: events })', { events, request }))
    assert.notInclude(html, 'rel="prev"')
    assert.include(
      html,
      '<a href="/opinions/history?kind=reply&amp;kind=step&amp;q=A%26B&amp;page=2" rel="next">次へ</a>'
    )
    assert.include(
      html,
      '<a href="/opinions/history?kind=reply&amp;kind=step&amp;q=A%26B&amp;page=3" aria-label="3ページ目">3</a>'
    )
  })

  test('a paginator without a last page (has-more lists) and a single page', async ({ assert }) => {
    const html = squash(
      await render(
        '@!pagination({ paginator: { currentPage: 2, hasMorePages: true }, url: (page) => `/opinions?status=received&page=${page}` })'
      )
    )
    assert.equal(
      html,
      '<nav class="pager" aria-label="ページ送り"><a href="/opinions?status=received&amp;page=1" rel="prev">前へ</a><a href="/opinions?status=received&amp;page=3" rel="next">次へ</a></nav>'
    )
    const single = squash(
      await render('@!pagination({ paginator: one })', {
        one: paginator(3, 10, 1).baseUrl('/faq-entries'),
      })
    )
    assert.equal(
      single,
      '<nav class="pager" aria-label="ページ送り"><span>1 / 1 ページ</span></nav>'
    )
  })
})

test.group('Components in the pages', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('the login form with errors shows the summary linking to its fields', async ({
    client,
    assert,
  }) => {
    const response = await client.get('/login').withFlashMessages({
      errors: {
        email: ['メールアドレスを入力してください。'],
        password: ['パスワードを入力してください。'],
      },
    })
    response.assertStatus(200)
    const html = squash(response.text())
    assert.include(
      html,
      '<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1" data-error-summary>'
    )
    assert.include(
      html,
      '<li><a href="#field-email">メールアドレスを入力してください。</a></li><li><a href="#field-password">パスワードを入力してください。</a></li>'
    )
    assert.include(html, 'id="field-email"')
    assert.include(html, 'id="field-password"')
  })

  test('a refusal without a field (errors.form) reaches a page that has no summary of its own', async ({
    client,
    assert,
  }) => {
    const response = await client
      .get('/')
      .withFlashMessages({ errors: { form: ['この操作は現在行えません。'] } })
    response.assertStatus(200)
    const html = squash(response.text())
    assert.include(html, '<ul class="error-summary__list"><li>この操作は現在行えません。</li></ul>')
    assert.equal(html.split('この操作は現在行えません。').length, 2)
  })
})
