import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import type { ApiClient, ApiResponse } from '@japa/api-client'
import { UserFactory } from '#database/factories/user_factory'
import { CitizenFactory } from '#database/factories/citizen_factory'
import { ContractorFactory } from '#database/factories/contractor_factory'
import type { Role } from '#enums/role'

interface MenuLink {
  label: string
  href: string
  current: string | null
}

/** The main menu as a reader meets it: group labels and links, in document order. */
function mainMenu(response: ApiResponse) {
  const html = response.text()
  const nav = html.match(/<nav class="site-nav" aria-label="メインメニュー">([\s\S]*?)<\/nav>/)
  if (!nav) throw new Error('no main menu on the page')
  const groups = [
    ...nav[1].matchAll(/<summary class="nav-group__label"[^>]*>([^<]+)<\/summary>/g),
  ].map((match) => match[1])
  const currentGroups = [
    ...nav[1].matchAll(/<summary class="nav-group__label" aria-current="true">([^<]+)<\/summary>/g),
  ].map((match) => match[1])
  const links: MenuLink[] = [
    ...nav[1].matchAll(
      /<a (?:class="[^"]*" )?href="([^"]+)"(?: aria-current="(\w+)")?>([^<]+)<\/a>/g
    ),
  ].map((match) => ({ href: match[1], current: match[2] ?? null, label: match[3] }))
  return { groups, currentGroups, links, labels: links.map((link) => link.label) }
}

const STATE = {
  admin: 'admin',
  privacy_officer: 'privacyOfficer',
  supervisor: 'supervisor',
  operator: 'operator',
} as const

async function staffMenu(client: ApiClient, role: Role, path = '/dashboard') {
  const user =
    role in STATE
      ? await UserFactory.apply(STATE[role as keyof typeof STATE]).create()
      : await UserFactory.merge({ role }).create()
  const response = await client.get(path).loginAs(user)
  response.assertStatus(200)
  return mainMenu(response)
}

test.group('Main menu by role', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('an operator sees 受付 first, the opinion work and FAQ search, and no council or register', async ({
    client,
    assert,
  }) => {
    const menu = await staffMenu(client, 'operator')
    assert.deepEqual(menu.groups, ['意見・問い合わせ'])
    assert.deepEqual(menu.links[0], { label: '受付', href: '/opinions/create', current: null })
    assert.deepEqual(menu.labels, [
      '受付',
      '意見等の一覧',
      '処理履歴の検索',
      '区民の声の統計',
      'FAQ検索',
    ])
    for (const hidden of ['/council', '/systems', '/contracts', '/admin/users', '/audit-logs']) {
      assert.notInclude(
        menu.links.map((link) => link.href),
        hidden
      )
    }
    assert.notInclude(menu.labels, '審議会')
  })

  test('department staff: opinions first, then register and council, contractors, FAQ; no intake or administration', async ({
    client,
    assert,
  }) => {
    const menu = await staffMenu(client, 'department_staff')
    assert.deepEqual(menu.groups, ['意見・問い合わせ', '台帳・審議会', '委託先管理', 'FAQ'])
    assert.equal(menu.labels[0], '意見等の一覧')
    assert.includeMembers(menu.labels, ['登録業務', '審議会', '委託', '委託先監督', 'FAQの管理'])
    for (const hidden of ['受付', '利用者管理', '監査ログ', '様式', '審議会資料の取込み', '組織']) {
      assert.notInclude(menu.labels, hidden)
    }
  })

  test('the privacy officer starts with the register and council and has the audit log', async ({
    client,
    assert,
  }) => {
    const menu = await staffMenu(client, 'privacy_officer')
    assert.deepEqual(menu.groups, ['台帳・審議会', '委託先管理', '意見・問い合わせ', 'FAQ', '管理'])
    assert.deepEqual(menu.labels.slice(0, 4), ['登録業務', '審議会', '審議会資料の取込み', '様式'])
    assert.includeMembers(menu.labels, ['監査ログ', '組織'])
    assert.notInclude(menu.labels, '受付')
    assert.notInclude(menu.labels, '利用者管理')
  })

  test('an administrator starts with administration', async ({ client, assert }) => {
    const menu = await staffMenu(client, 'admin')
    assert.equal(menu.groups[0], '管理')
    assert.deepEqual(menu.labels.slice(0, 4), ['利用者管理', '組織', '監査ログ', '失敗したジョブ'])
  })

  test('a contractor user sees only the portal', async ({ client, assert }) => {
    const contractor = await ContractorFactory.create()
    const user = await UserFactory.apply('contractor')
      .merge({ contractorId: contractor.id })
      .create()
    const response = await client.get('/portal').loginAs(user)
    response.assertStatus(200)
    const menu = mainMenu(response)
    assert.deepEqual(menu.groups, [])
    assert.deepEqual(menu.links, [
      { label: '受託事業者ポータル', href: '/portal', current: 'page' },
    ])
  })

  test('a citizen sees their pages; a guest the public pages and the two logins', async ({
    client,
    assert,
  }) => {
    const citizen = await CitizenFactory.apply('verified').create()
    const portal = await client.get('/citizen').withGuard('citizen').loginAs(citizen)
    portal.assertStatus(200)
    const citizenMenu = mainMenu(portal)
    assert.deepEqual(citizenMenu.links, [
      { label: 'マイページ', href: '/citizen', current: 'page' },
      { label: 'ご意見・お問合せを送る', href: '/citizen/opinions/create', current: null },
      { label: 'よくある質問', href: '/faq', current: null },
    ])

    const guest = mainMenu(await client.get('/faq'))
    assert.deepEqual(guest.labels, [
      'ご意見箱（匿名）',
      'よくある質問',
      '個人情報ファイル簿',
      '区民の方のログイン',
      '職員・事業者ログイン',
    ])
    assert.deepEqual(
      guest.links.filter((link) => link.current),
      [{ label: 'よくある質問', href: '/faq', current: 'page' }]
    )
  })

  test('the current page is marked: aria-current="page" on it, "true" on its list below, and on its group', async ({
    client,
    assert,
  }) => {
    const intake = await staffMenu(client, 'operator', '/opinions/create')
    assert.deepEqual(
      intake.links.filter((link) => link.current),
      [{ label: '受付', href: '/opinions/create', current: 'page' }]
    )
    assert.deepEqual(intake.currentGroups, ['意見・問い合わせ'])

    const search = await staffMenu(client, 'operator', '/faq-entries/search')
    assert.deepEqual(search.currentGroups, [])
    assert.deepEqual(
      search.links.filter((link) => link.current),
      [{ label: 'FAQ検索', href: '/faq-entries/search', current: 'page' }]
    )

    const officer = await UserFactory.apply('privacyOfficer').create()
    const templates = await client.get('/council/imports').loginAs(officer)
    const menu = mainMenu(templates)
    assert.deepEqual(
      menu.links.filter((link) => link.current),
      [{ label: '審議会資料の取込み', href: '/council/imports', current: 'page' }]
    )
    assert.deepEqual(menu.currentGroups, ['台帳・審議会'])
  })

  test('the menu works without JavaScript: groups are <details> disclosures inside a labelled nav', async ({
    client,
    assert,
  }) => {
    const user = await UserFactory.apply('operator').create()
    const response = await client.get('/dashboard').loginAs(user)
    const html = response.text()
    assert.include(html, '<nav class="site-nav" aria-label="メインメニュー">')
    assert.match(
      html,
      /<details class="nav-group">\s*<summary class="nav-group__label">意見・問い合わせ<\/summary>/
    )
    assert.include(html, '<script src="/js/site_nav.js" defer></script>')
  })

  test('in English the groups and links are translated', async ({ client, assert }) => {
    const user = await UserFactory.apply('operator').create()
    const response = await client.get('/dashboard?lang=en').loginAs(user)
    const html = response.text()
    assert.include(html, 'aria-label="Main menu"')
    assert.include(html, '>Opinions &amp; inquiries</summary>')
    assert.include(html, '>Intake</a>')
  })
})
