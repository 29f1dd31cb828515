import { routeUrl } from '#services/route_urls'
import type { Role } from '#enums/role'

/** A link of the main menu; `ability` ('Policy.action') must also allow it. */
interface ItemDefinition {
  route: string
  label: string
  ability?: string
}

const define = (route: string, label: string, ability?: string): ItemDefinition => ({
  route,
  label,
  ability,
})

const ITEMS = {
  intake: define('opinions.create', 'messages.nav.items.intake', 'OpinionPolicy.intake'),
  opinions: define('opinions.index', 'messages.nav.items.opinions', 'OpinionPolicy.viewAny'),
  opinion_history: define(
    'opinions.history',
    'messages.nav.items.opinion_history',
    'OpinionPolicy.viewAny'
  ),
  opinion_statistics: define(
    'opinion_statistics.show',
    'opinion_statistics.nav',
    'OpinionStatisticsPolicy.view'
  ),
  canned_texts: define('canned_texts.index', 'canned_texts.nav', 'CannedTextPolicy.viewAny'),
  faq_search: define('faq_entries.search', 'messages.nav.items.faq_search', 'FaqPolicy.search'),
  faq_entries: define('faq_entries.index', 'messages.nav.items.faq_entries', 'FaqPolicy.viewAny'),
  systems: define('systems.index', 'register.nav.systems', 'SystemPolicy.viewAny'),
  council: define('council.dashboard', 'council.nav', 'CouncilItemPolicy.viewAny'),
  council_imports: define(
    'council_imports.index',
    'council_imports.ui.nav',
    'CouncilImportPolicy.create'
  ),
  document_templates: define(
    'document_templates.index',
    'document_templates.nav',
    'DocumentTemplatePolicy.manage'
  ),
  contracts: define('contracts.index', 'register.nav.contracts', 'SystemPolicy.viewAny'),
  contractors: define('contractors.index', 'register.nav.contractors', 'ContractorPolicy.viewAny'),
  oversight: define('oversight.dashboard', 'oversight.nav', 'OversightPolicy.viewDashboard'),
  oversight_audits: define(
    'oversight_audits.index',
    'oversight_audits.nav',
    'OversightPolicy.viewDashboard'
  ),
  incidents: define('incidents.index', 'incidents.nav', 'IncidentReportPolicy.viewAny'),
  special_terms: define('special_terms.index', 'register.nav.terms', 'SpecialTermPolicy.viewAny'),
  departments: define('departments.index', 'messages.nav.departments', 'DepartmentPolicy.viewAny'),
  audit_logs: define('audit_logs.index', 'messages.nav.audit_logs', 'AuditLogPolicy.viewAny'),
  failed_jobs: define(
    'admin.failed_jobs.index',
    'messages.nav.failed_jobs',
    'FailedJobPolicy.viewAny'
  ),
  users: define('admin.users.index', 'messages.nav.users', 'UserPolicy.manage'),
  portal: define('portal.index', 'portal.nav'),
  citizen_portal: define('citizen.portal.show', 'messages.nav.citizen_portal'),
  citizen_opinion: define('citizen.opinions.create', 'opinions.citizen.new'),
  public_opinion: define('public_opinions.create', 'opinions.public.title'),
  public_faq: define('faq.index', 'faq.nav_public'),
  file_register: define('file_register.index', 'register.nav.file_register'),
  citizen_login: define('citizen.session.create', 'messages.nav.citizen_login'),
  staff_login: define('session.create', 'messages.nav.login'),
}

type ItemKey = keyof typeof ITEMS
type GroupKey = 'opinions' | 'faq' | 'register' | 'contracts' | 'admin'

/** A group of the menu (a disclosure), or a single link when `group` is null. */
type Entry = { group: GroupKey; items: ItemKey[] } | { group: null; items: [ItemKey] }

const group = (key: GroupKey, ...items: ItemKey[]): Entry => ({ group: key, items })
const single = (key: ItemKey): Entry => ({ group: null, items: [key] })

const OPINION_WORK = group(
  'opinions',
  'opinions',
  'opinion_history',
  'opinion_statistics',
  'canned_texts'
)
const CONTRACTOR_OVERSIGHT = group(
  'contracts',
  'contracts',
  'oversight',
  'oversight_audits',
  'incidents',
  'contractors',
  'special_terms'
)
const FAQ_WORK = group('faq', 'faq_search', 'faq_entries')
const COUNCIL_WORK = group(
  'register',
  'systems',
  'council',
  'council_imports',
  'document_templates'
)
const DEPARTMENT_MENU = [
  OPINION_WORK,
  group('register', 'systems', 'council'),
  CONTRACTOR_OVERSIGHT,
  FAQ_WORK,
]

/**
 * Each role's menu, its daily work first: the call center takes calls (受付), a
 * department handles what is forwarded to it and keeps its register entries,
 * the privacy office runs the register and the council. Contractor users only
 * have their portal. Policies are checked on top, so no link leads to a 403.
 */
const STAFF_MENUS: Record<Role, Entry[]> = {
  operator: [
    group('opinions', 'intake', 'opinions', 'opinion_history', 'opinion_statistics'),
    group('faq', 'faq_search'),
  ],
  department_staff: DEPARTMENT_MENU,
  supervisor: DEPARTMENT_MENU,
  privacy_officer: [
    COUNCIL_WORK,
    CONTRACTOR_OVERSIGHT,
    OPINION_WORK,
    FAQ_WORK,
    group('admin', 'departments', 'audit_logs'),
  ],
  admin: [
    group('admin', 'users', 'departments', 'audit_logs', 'failed_jobs'),
    group(
      'opinions',
      'intake',
      'opinions',
      'opinion_history',
      'opinion_statistics',
      'canned_texts'
    ),
    FAQ_WORK,
    COUNCIL_WORK,
    CONTRACTOR_OVERSIGHT,
  ],
  contractor: [single('portal')],
}

const CITIZEN_MENU: Entry[] = [
  single('citizen_portal'),
  single('citizen_opinion'),
  single('public_faq'),
]

const GUEST_MENU: Entry[] = [
  single('public_opinion'),
  single('public_faq'),
  single('file_register'),
  single('citizen_login'),
  single('staff_login'),
]

export interface MenuLink {
  label: string
  href: string
  /** 'page' on the page itself, 'true' on a page below it (a record of that list). */
  current: 'page' | 'true' | null
}

export interface MenuEntry {
  /** The group's label, or null for a single link. */
  label: string | null
  current: boolean
  links: MenuLink[]
}

export interface MenuInput {
  staff?: { role: Role } | null
  citizen?: object | null
  /** The request path, to mark the current page. */
  path: string
  /** The view's Bouncer helpers; without them (error pages) staff links are left out. */
  bouncer?: { can(ability: string): Promise<boolean> } | null
  t(key: string): string
}

/**
 * The main menu of the layout: what the person logged in can use, grouped
 * (意見・問い合わせ, FAQ, 台帳・審議会, 委託先管理, 管理) in their role's order.
 */
export default class MainMenu {
  /** The entries for the request; groups left empty by the policies are dropped. */
  static async build(input: MenuInput): Promise<MenuEntry[]> {
    const entries = input.staff
      ? (STAFF_MENUS[input.staff.role] ?? [])
      : input.citizen
        ? CITIZEN_MENU
        : GUEST_MENU
    const allowed = new Map<string, boolean>()
    const may = async ({ ability }: ItemDefinition) => {
      if (!ability) return true
      if (!input.bouncer) return false
      if (!allowed.has(ability)) allowed.set(ability, await input.bouncer.can(ability))
      return allowed.get(ability)!
    }

    const built: Array<{ group: GroupKey | null; links: Array<{ href: string; label: string }> }> =
      []
    for (const entry of entries) {
      const links = []
      for (const key of entry.items) {
        const definition: ItemDefinition = ITEMS[key]
        if (!(await may(definition))) continue
        links.push({ href: routeUrl(definition.route), label: input.t(definition.label) })
      }
      if (links.length) built.push({ group: entry.group, links })
    }

    const currentHref = MainMenu.#currentHref(
      built.flatMap((entry) => entry.links.map((link) => link.href)),
      input.path
    )
    const currentOf = (href: string): MenuLink['current'] => {
      if (href !== currentHref) return null
      return href === input.path ? 'page' : 'true'
    }
    return built.map((entry) => {
      const links = entry.links.map((link) => ({ ...link, current: currentOf(link.href) }))
      // A group of one link is just that link: no disclosure to open.
      const label =
        entry.group && links.length > 1 ? input.t(`messages.nav.groups.${entry.group}`) : null
      return { label, current: links.some((link) => link.current), links }
    })
  }

  /** The link whose path is the request's, or the longest one the request path is below. */
  static #currentHref(hrefs: string[], path: string): string | null {
    let best: string | null = null
    for (const href of hrefs) {
      const matches = path === href || (href !== '/' && path.startsWith(`${href}/`))
      if (matches && (!best || href.length > best.length)) best = href
    }
    return best
  }
}
