import { createHash } from 'node:crypto'
import { readFileSync, existsSync } from 'node:fs'
import { DateTime } from 'luxon'
import fc from 'fast-check'
import db from '@adonisjs/lucid/services/db'
import router from '@adonisjs/core/services/router'
import app from '@adonisjs/core/services/app'
import User from '#models/user'
import Citizen from '#models/citizen'
import Department from '#models/department'
import Contractor from '#models/contractor'
import DemoData from '#database/demo/demo_data'
import JobQueue from '#services/jobs/job_queue'
import { CitizenFactory } from '#database/factories/citizen_factory'
import { makeContract, makeSystem } from '#tests/register_helpers'
import { makeOpinion } from '#tests/opinion_helpers'

/*
|--------------------------------------------------------------------------
| Form fuzzing support (issue 14, item 11)
|--------------------------------------------------------------------------
| Every POST/PUT/PATCH/DELETE route of the router is posted random and
| hostile values as each role. Each request runs inside a savepoint of the
| test's global transaction and is rolled back afterwards, so every case
| starts from the same data (reproducible and shrinkable by fast-check).
| After each request the rows the role may not touch (other departments',
| other contractors', other citizens', the audit log…) are hashed and
| compared with the hashes taken before.
*/

// ---------------------------------------------------------------- routes

export interface FormRoute {
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  pattern: string
  name: string
  params: string[]
  fields: string[]
}

const FORM_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'] as const

/** Field names a route's controller reads: keys of the validators it imports and request.input() names. */
function fieldsOfController(modulePath: string | null): string[] {
  if (!modulePath) return []
  const controllerFile = app.makePath(
    modulePath.replace('#controllers/', 'app/controllers/') + '.ts'
  )
  if (!existsSync(controllerFile)) return []
  const source = readFileSync(controllerFile, 'utf8')
  const names = new Set<string>()
  for (const match of source.matchAll(/request\.(?:input|file|files)\(\s*'([\w.[\]]+)'/g))
    names.add(match[1])
  for (const match of source.matchAll(/request\.only\(\s*\[([^\]]*)\]/g)) {
    for (const name of match[1].matchAll(/'(\w+)'/g)) names.add(name[1])
  }
  for (const match of source.matchAll(/from '#validators\/([\w/]+)'/g)) {
    const validatorFile = app.makePath(`app/validators/${match[1]}.ts`)
    if (!existsSync(validatorFile)) continue
    for (const key of readFileSync(validatorFile, 'utf8').matchAll(/^\s+(\w+): /gm))
      names.add(key[1])
  }
  return [...names].filter((name) => !['formats', 'messages', 'fields'].includes(name)).sort()
}

/** The form routes of the router (GET/HEAD left out), with their parameters and likely field names. */
export function formRoutes(): FormRoute[] {
  const routes: FormRoute[] = []
  for (const list of Object.values(router.toJSON())) {
    for (const route of list) {
      const handler = route.handler as { reference?: unknown }
      const reference = Array.isArray(handler.reference) ? handler.reference[0] : handler.reference
      const modulePath = String(reference ?? '').match(/#controllers\/[\w/]+/)?.[0] ?? null
      for (const method of route.methods) {
        if (!(FORM_METHODS as readonly string[]).includes(method)) continue
        routes.push({
          method: method as FormRoute['method'],
          pattern: route.pattern,
          name: route.name ?? route.pattern,
          params: [...route.pattern.matchAll(/:(\w+)/g)].map((match) => match[1]),
          fields: fieldsOfController(modulePath),
        })
      }
    }
  }
  return routes.sort(
    (a, b) => a.pattern.localeCompare(b.pattern) || a.method.localeCompare(b.method)
  )
}

/** Table a route parameter names, from its name or the path segment before it. */
const SEGMENT_TABLES: Record<string, string> = {
  'contractors': 'contractors',
  'systems': 'personal_data_systems',
  'items': 'data_items',
  'contracts': 'contracts',
  'special-terms': 'special_term_sets',
  'items_council': 'council_items',
  'document-templates': 'document_templates',
  'duties': 'oversight_duties',
  'oversight-audits': 'oversight_audits',
  'attachments': 'oversight_audit_attachments',
  'incidents': 'incident_reports',
  'rosters': 'handler_rosters',
  'certificates': 'deletion_certificates',
  'faq-entries': 'faq_entries',
  'canned-texts': 'canned_texts',
  'opinions': 'opinions',
  'attachments_opinion': 'opinion_attachments',
  'events': 'opinion_events',
  'replies': 'opinion_replies',
  'users': 'users',
  'departments': 'departments',
}

export function tableOfParam(pattern: string, param: string): string | null {
  const segments = pattern.split('/')
  const index = segments.indexOf(`:${param}`)
  let segment = segments[index - 1] ?? ''
  if (segment === 'items' && segments[index - 2] === 'council') segment = 'items_council'
  if (segment === 'attachments' && segments[index - 3] === 'opinions')
    segment = 'attachments_opinion'
  return SEGMENT_TABLES[segment] ?? null
}

// ---------------------------------------------------------------- actors

export type ActorKind =
  | 'admin'
  | 'privacy_officer'
  | 'department_staff'
  | 'supervisor'
  | 'contractor'
  | 'operator'
  | 'citizen'
  | 'guest'

export interface Actor {
  label: string
  kind: ActorKind
  user?: User
  citizen?: Citizen
  /** Departments whose records the actor works on (its department and those below it). */
  departmentIds: number[]
  contractorId: number | null
}

/** The request as the actor sends it: signed in as its user or citizen, or as a guest. */
export function signedInAs<
  Request extends { loginAs(...args: any[]): any; withGuard(guard: string): any },
>(request: Request, actor: Actor): Request {
  if (actor.user) return request.loginAs(actor.user)
  if (actor.citizen) return request.withGuard('citizen').loginAs(actor.citizen)
  return request
}

export interface Scene {
  actors: Actor[]
  /** Existing ids per table, for route parameters. */
  ids: Map<string, number[]>
}

async function subtree(departmentId: number | null): Promise<number[]> {
  if (departmentId === null) return []
  const all = await Department.all()
  const result = [departmentId]
  for (let i = 0; i < result.length; i++) {
    for (const department of all) if (department.parentId === result[i]) result.push(department.id)
  }
  return result
}

/**
 * The demo data plus another tenant: a 部 of its own with a system and a
 * contract of the second contractor, a contract of the first contractor
 * in 危機管理課, and a second citizen with an opinion.
 */
export async function loadScene(): Promise<Scene> {
  await DemoData.load({ inProduction: false })
  const admin = await User.findByOrFail('email', 'admin@demo.daicho.jp')
  const [sanko, mail] = await Contractor.query().orderBy('id')
  const otherBu = await Department.create({
    code: 'fuzz-other',
    name: '他部（ファズ）',
    level: 'bu',
    sortOrder: 90,
  })
  const otherKa = await Department.create({
    code: 'fuzz-other-ka',
    name: '他課（ファズ）',
    level: 'ka',
    parentId: otherBu.id,
    sortOrder: 91,
  })
  const kikikanri = await Department.findByOrFail('code', 'kikikanri')
  const otherSystem = await makeSystem(admin, otherKa.id, { name: '他部の業務システム' })
  await makeContract(admin, otherSystem, { contractorId: mail.id, title: '他部のメール配信' })
  const kikiSystem = await makeSystem(admin, kikikanri.id, { name: '危機管理の業務システム' })
  await makeContract(admin, kikiSystem, { contractorId: sanko.id, title: '危機管理の委託' })
  const otherCitizen = await CitizenFactory.merge({
    emailVerifiedAt: DateTime.now(),
    fullName: '他 区民',
  }).create()
  await makeOpinion({ citizenId: otherCitizen.id, subject: '他の区民の意見' }, [kikikanri])

  const byEmail = async (email: string) => User.findByOrFail('email', email)
  const userActor = async (label: string, email: string): Promise<Actor> => {
    const user = await byEmail(email)
    return {
      label,
      kind: user.role,
      user,
      departmentIds: await subtree(user.departmentId),
      contractorId: user.contractorId,
    }
  }
  const citizen = (await Citizen.findByEmail('citizen@demo.daicho.jp'))!
  const actors: Actor[] = [
    await userActor('admin', 'admin@demo.daicho.jp'),
    await userActor('privacy officer', 'privacy@demo.daicho.jp'),
    await userActor('staff 広聴担当課', 'staff@demo.daicho.jp'),
    await userActor('staff 危機管理課', 'kikikanri@demo.daicho.jp'),
    await userActor('supervisor 広聴担当課', 'supervisor@demo.daicho.jp'),
    await userActor('contractor 三幸', 'contractor@demo.daicho.jp'),
    await userActor('contractor 安心メール', 'contractor2@demo.daicho.jp'),
    await userActor('operator', 'operator@demo.daicho.jp'),
    { label: 'citizen', kind: 'citizen', citizen, departmentIds: [], contractorId: null },
    { label: 'guest', kind: 'guest', departmentIds: [], contractorId: null },
  ]

  const ids = new Map<string, number[]>()
  for (const table of new Set(Object.values(SEGMENT_TABLES))) {
    const rows = await db.from(table).select('id').orderBy('id')
    ids.set(
      table,
      rows.map((row) => Number(row.id))
    )
  }
  return { actors, ids }
}

// ---------------------------------------------------------------- guarded rows

interface GuardedTable {
  table: string
  /** FROM clause; the table itself is aliased `t`. */
  from: string
  /** SQL giving the owning department, contractor and citizen, when the table has one. */
  department?: string
  contractor?: string
  citizen?: string
  /** Which part of the application the rows belong to. */
  area: 'register' | 'contract' | 'council' | 'faq' | 'opinion' | 'people' | 'log'
  /** Columns that change on legitimate logins (failed-login counters). */
  volatile?: string[]
}

const viaSystem = (table: string): GuardedTable => ({
  table,
  from: `${table} t join personal_data_systems s on s.id = t.system_id`,
  department: 's.department_id',
  area: 'register',
})
const viaContract = (
  table: string,
  join = `join contracts c on c.id = t.contract_id`
): GuardedTable => ({
  table,
  from: `${table} t ${join} join personal_data_systems s on s.id = c.system_id`,
  department: 's.department_id',
  contractor: 'c.contractor_id',
  area: 'contract',
})
const viaAudit = (table: string) =>
  viaContract(
    table,
    'join oversight_audits oa on oa.id = t.audit_id join contracts c on c.id = oa.contract_id'
  )
const viaOpinion = (table: string): GuardedTable => ({
  table,
  from: `${table} t join opinions o on o.id = t.opinion_id`,
  department: 't.department_id',
  citizen: 'o.citizen_id',
  area: 'opinion',
})

const LOGIN_COLUMNS = [
  'failed_login_count',
  'locked_until',
  'last_login_at',
  'updated_at',
  'remember_me_token',
]

export const GUARDED_TABLES: GuardedTable[] = [
  {
    table: 'personal_data_systems',
    from: 'personal_data_systems t',
    department: 't.department_id',
    area: 'register',
  },
  viaSystem('system_versions'),
  viaSystem('system_subject_groups'),
  viaSystem('data_items'),
  {
    table: 'contracts',
    from: 'contracts t join personal_data_systems s on s.id = t.system_id',
    department: 's.department_id',
    contractor: 't.contractor_id',
    area: 'register',
  },
  ...[
    'contract_data_items',
    'deletion_certificates',
    'handler_rosters',
    'incident_reports',
    'oversight_audits',
    'oversight_duties',
    'periodic_reports',
    'training_records',
  ].map((table) => viaContract(table)),
  viaContract(
    'roster_members',
    'join handler_rosters r on r.id = t.handler_roster_id join contracts c on c.id = r.contract_id'
  ),
  viaContract(
    'incident_report_items',
    'join incident_reports ir on ir.id = t.incident_report_id join contracts c on c.id = ir.contract_id'
  ),
  ...[
    'oversight_audit_attachments',
    'oversight_audit_auditors',
    'oversight_audit_checklist_lines',
    'oversight_audit_corrective_actions',
    'oversight_audit_findings',
  ].map(viaAudit),
  {
    table: 'council_items',
    from: 'council_items t',
    department: 't.department_id',
    area: 'council',
  },
  {
    table: 'council_item_annexes',
    from: 'council_item_annexes t join council_items ci on ci.id = t.item_id',
    department: 'ci.department_id',
    area: 'council',
  },
  { table: 'faq_entries', from: 'faq_entries t', department: 't.department_id', area: 'faq' },
  // 定型文: department-scoped like the register (operators have none)
  {
    table: 'canned_texts',
    from: 'canned_texts t',
    department: 't.department_id',
    area: 'register',
  },
  {
    table: 'faq_versions',
    from: 'faq_versions t join faq_entries f on f.id = t.faq_entry_id',
    department: 'f.department_id',
    area: 'faq',
  },
  {
    table: 'opinions',
    from: 'opinions t',
    department: 't.lead_department_id',
    citizen: 't.citizen_id',
    area: 'opinion',
  },
  viaOpinion('opinion_departments'),
  viaOpinion('opinion_events'),
  viaOpinion('opinion_replies'),
  {
    table: 'users',
    from: 'users t',
    department: 't.department_id',
    contractor: 't.contractor_id',
    area: 'people',
    volatile: LOGIN_COLUMNS,
  },
  {
    table: 'citizens',
    from: 'citizens t',
    citizen: 't.id',
    area: 'people',
    volatile: LOGIN_COLUMNS,
  },
  { table: 'contractors', from: 'contractors t', contractor: 't.id', area: 'people' },
  { table: 'departments', from: 'departments t', department: 't.id', area: 'people' },
  { table: 'audit_logs', from: 'audit_logs t', area: 'log' },
]

const ALL = '1 = 1'
const list = (ids: number[]) => (ids.length ? ids.join(', ') : 'null')
const outside = (expr: string, ids: number[]) =>
  `(${expr} is null or ${expr} not in (${list(ids)}))`

/**
 * The rows of a table the actor may not change, as a WHERE condition, or
 * null when the actor may change any of them (or the table is not its
 * business to guard).
 */
export function forbiddenRows(actor: Actor, guarded: GuardedTable): string | null {
  const self = actor.user ? actor.user.id : -1
  if (guarded.area === 'log') return ALL // the audit log is append-only for everyone
  if (guarded.table === 'citizens') {
    return actor.kind === 'citizen' ? `t.id <> ${actor.citizen!.id}` : ALL
  }
  switch (actor.kind) {
    case 'admin':
      return null
    case 'privacy_officer':
      return guarded.table === 'users'
        ? `t.id <> ${self}`
        : guarded.table === 'departments'
          ? ALL
          : null
    case 'department_staff':
    case 'supervisor':
    case 'operator': {
      if (guarded.table === 'users') return `t.id <> ${self}`
      if (guarded.table === 'departments' || guarded.table === 'contractors') return ALL
      // operators run the opinion office and the FAQ for every department
      if (actor.kind === 'operator' && (guarded.area === 'opinion' || guarded.area === 'faq'))
        return null
      return guarded.department ? outside(guarded.department, actor.departmentIds) : null
    }
    case 'contractor': {
      if (guarded.table === 'users') return `t.id <> ${self}`
      if (guarded.area === 'contract')
        return outside(guarded.contractor!, [actor.contractorId ?? -1])
      return ALL
    }
    case 'citizen': {
      if (guarded.area === 'opinion') return outside(guarded.citizen!, [actor.citizen!.id])
      return ALL
    }
    case 'guest':
      return ALL
  }
}

export type Snapshot = Map<string, Map<number, string>>

/** A hash of each row the actor may not change, per table. */
export async function snapshot(actor: Actor): Promise<Snapshot> {
  const result: Snapshot = new Map()
  for (const guarded of GUARDED_TABLES) {
    const where = forbiddenRows(actor, guarded)
    if (where === null) continue
    const response = await db.rawQuery(`select t.* from ${guarded.from} where ${where}`)
    const rows: Record<string, unknown>[] = Array.isArray(response) ? response : response.rows
    const hashes = new Map<number, string>()
    for (const row of rows) {
      for (const column of guarded.volatile ?? []) delete row[column]
      const text = JSON.stringify(row, (_key, value) =>
        typeof value === 'bigint' ? String(value) : value
      )
      hashes.set(Number(row.id), createHash('sha1').update(text).digest('hex'))
    }
    result.set(guarded.table, hashes)
  }
  return result
}

/**
 * Guarded rows changed or gone between two snapshots, as "table#id".
 * Rows that joined the guarded set (new rows, rows handed to another
 * department) are not changes of guarded rows.
 */
export function changedRows(before: Snapshot, after: Snapshot): string[] {
  const changed: string[] = []
  for (const [table, rows] of before) {
    const now = after.get(table) ?? new Map()
    for (const [id, hash] of rows) {
      if (now.get(id) !== hash) changed.push(`${table}#${id}${now.has(id) ? '' : ' (gone)'}`)
    }
  }
  return changed
}

// ---------------------------------------------------------------- hostile values

/** A string whose bytes are sent as they are, invalid UTF-8 included (see encodeValue). */
export class RawBytes {
  constructor(readonly bytes: number[]) {}
  toJSON() {
    return Buffer.from(this.bytes).toString('latin1')
  }
}

export type FuzzValue =
  string | number | boolean | null | RawBytes | FuzzValue[] | { [key: string]: FuzzValue }

const HOSTILE_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\u202Eexe.txt',
  'report\u202Efdp.exe',
  '\uD800',
  '\uDFFFx',
  '\uFEFF',
  '𠮷野家',
  '０１２３',
  "' OR '1'='1",
  '1; DROP TABLE users; --',
  '1) UNION SELECT password FROM users --',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '{{ 7*7 }}',
  '@{{ inspect(state) }}',
  '=HYPERLINK("http://evil")',
  '../../etc/passwd',
  '__proto__',
  'constructor',
  'true',
  'false',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-Infinity',
  '1e309',
  '-1',
  '0',
  '0.5',
  '2147483648',
  '9223372036854775808',
  '99999999999999999999999',
  '999999',
  '0x1F',
  '2026-02-30',
  '0000-00-00',
  '9999-12-31',
  '2026-13-01',
  '令和8年4月1日',
  'http://example.com',
  'a@b',
]

const RAW_BYTE_SEQUENCES = [
  [0xff, 0xfe],
  [0xc0, 0xaf],
  [0xed, 0xa0, 0x80],
  [0x82, 0xa0], // Shift_JIS あ
  [0xe3, 0x81],
]

const long = fc
  .constantFrom(10_001, 70_000)
  .chain((length) =>
    fc.constantFrom('a', 'あ', '𠮷', '\u0000', '<').map((unit) => unit.repeat(length / unit.length))
  )

const scalar: fc.Arbitrary<FuzzValue> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.integer().map(String) },
  { weight: 1, arbitrary: fc.double().map(String) },
  { weight: 1, arbitrary: long },
  {
    weight: 1,
    arbitrary: fc.constantFrom(...RAW_BYTE_SEQUENCES).map((bytes) => new RawBytes(bytes)),
  }
)

export const value: fc.Arbitrary<FuzzValue> = fc.oneof(
  { weight: 6, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 4 }) },
  {
    weight: 1,
    arbitrary: fc.dictionary(fc.constantFrom('0', '1', 'id', 'name', '__proto__', 'x'), scalar, {
      maxKeys: 3,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.array(
      fc.dictionary(fc.constantFrom('id', 'name', 'fullName', 'answer', 'detail'), scalar, {
        maxKeys: 3,
      }),
      { maxLength: 3 }
    ),
  }
)

/** Field names beyond the route's own: mass assignment and parser tricks. */
const EXTRA_FIELDS = [
  'id',
  'role',
  'departmentId',
  'contractorId',
  'citizenId',
  'userId',
  'isActive',
  '_method',
  '_csrf',
  '__proto__',
  'constructor[prototype][x]',
  'a[b][c][d][e][f]',
  'items[999999]',
]

export type Encoding = 'form' | 'json' | 'multipart'

export interface FuzzCase {
  routeIndex: number
  actorIndex: number
  params: number[]
  fields: Array<[string, FuzzValue]>
  encoding: Encoding
  csrf: boolean
  /** Start from the filled-in form of the page (when one was found) rather than from nothing. */
  base: boolean
}

export function caseArbitrary(routes: FormRoute[], actorCount: number): fc.Arbitrary<FuzzCase> {
  return fc
    .record({ routeIndex: fc.nat(routes.length - 1), actorIndex: fc.nat(actorCount - 1) })
    .chain(({ routeIndex, actorIndex }) =>
      casePayload(routes[routeIndex]).map((payload) => ({ routeIndex, actorIndex, ...payload }))
    )
}

/** Parameters (indexes into the id pool), fields, encoding and CSRF for one route. */
export function casePayload(
  route: FormRoute
): fc.Arbitrary<Omit<FuzzCase, 'routeIndex' | 'actorIndex'>> {
  const names = route.fields.length ? route.fields : ['name']
  const fieldName = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...names) },
    { weight: 1, arbitrary: fc.constantFrom(...EXTRA_FIELDS) }
  )
  // Over a filled-in form one or two hostile fields (so the rest passes validation); alone, up to six.
  return fc.boolean().chain((base) =>
    fc.record({
      params: fc.array(fc.nat(1000), {
        minLength: route.params.length,
        maxLength: route.params.length,
      }),
      fields: fc.array(fc.tuple(fieldName, value), { maxLength: base ? 2 : 6 }),
      encoding: fc.constantFrom<Encoding>('form', 'form', 'form', 'json', 'multipart'),
      csrf: fc.oneof(
        { weight: 19, arbitrary: fc.constant(true) },
        { weight: 1, arbitrary: fc.constant(false) }
      ),
      base: fc.constant(base),
    })
  )
}

/** Route parameters: existing ids of the table (demo data and the other tenant), or unknown ones. */
export function fillPattern(route: FormRoute, picks: number[], scene: Scene): string {
  let url = route.pattern
  route.params.forEach((param, index) => {
    const pool = scene.ids.get(tableOfParam(route.pattern, param) ?? '') ?? []
    const unknown = [999999, 0, 2147483647, 2147483648, '-1', 'abc', '1e3']
    const pick = picks[index]
    const chosen =
      pool.length && pick % 4 !== 0 ? pool[pick % pool.length] : unknown[pick % unknown.length]
    url = url.replace(`:${param}`, String(chosen))
  })
  return url
}

/** Percent-encodes a string code unit by code unit; a lone surrogate becomes its (invalid) 3-byte form. */
function percentEncode(text: string): string {
  let out = ''
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1)
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += encodeURIComponent(text.slice(i, i + 2))
        i++
        continue
      }
    }
    if (code >= 0xd800 && code <= 0xdfff) {
      out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
        .map((byte) => '%' + byte.toString(16).toUpperCase())
        .join('')
    } else {
      out += encodeURIComponent(text[i])
    }
  }
  return out
}

/** Flattens nested values into bracketed keys, as browsers and qs send them. */
export function flatten(fields: Array<[string, FuzzValue]>): Array<[string, string | RawBytes]> {
  const out: Array<[string, string | RawBytes]> = []
  const walk = (key: string, item: FuzzValue) => {
    if (item instanceof RawBytes) out.push([key, item])
    else if (Array.isArray(item)) item.forEach((entry, index) => walk(`${key}[${index}]`, entry))
    else if (item !== null && typeof item === 'object')
      for (const [name, entry] of Object.entries(item)) walk(`${key}[${name}]`, entry)
    else out.push([key, item === null ? '' : String(item)])
  }
  for (const [key, item] of fields) walk(key, item)
  return out
}

export function formBody(fields: Array<[string, FuzzValue]>): string {
  return flatten(fields)
    .map(
      ([key, item]) =>
        `${percentEncode(key)}=${item instanceof RawBytes ? item.bytes.map((byte) => '%' + byte.toString(16).toUpperCase()).join('') : percentEncode(item)}`
    )
    .join('&')
}

export function jsonBody(fields: Array<[string, FuzzValue]>): Record<string, unknown> {
  const body: Record<string, unknown> = {}
  for (const [key, item] of fields) body[key] = item
  return body
}

/** Short description of a case for the report (long strings abbreviated). */
export function describe(route: FormRoute, url: string, actor: Actor, fuzzCase: FuzzCase): string {
  const shown = JSON.stringify(jsonBody(fuzzCase.fields), (_key, item) =>
    typeof item === 'string' && item.length > 60
      ? `${JSON.stringify(item.slice(0, 20)).slice(1, -1)}…(${item.length} chars)`
      : item
  )
  return `${route.method} ${url} [${route.name}] as ${actor.label}, ${fuzzCase.encoding}${fuzzCase.csrf ? '' : ' without CSRF token'}: ${shown}`
}

/**
 * A counter that moves whenever the connection writes a row: SQLite's
 * total_changes(), PostgreSQL's per-transaction table statistics. Requests
 * that wrote nothing need no second snapshot.
 */
export async function writeCounter(): Promise<string> {
  const dialect = db.connection().dialect.name
  const sql =
    dialect === 'postgres'
      ? 'select coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) as n from pg_stat_xact_user_tables'
      : 'select total_changes() as n'
  const response = await db.rawQuery(sql)
  const rows = Array.isArray(response) ? response : response.rows
  return String(rows[0].n)
}

/** Savepoint helpers on the test's global transaction. */
export async function withSavepoint<T>(work: () => Promise<T>): Promise<T> {
  const trx = await db.beginGlobalTransaction()
  await trx.rawQuery('SAVEPOINT fuzz_case')
  try {
    return await work()
  } finally {
    // The case's background jobs (mails, imports, exports) finish inside its savepoint.
    await JobQueue.idle()
    await trx.rawQuery('ROLLBACK TO SAVEPOINT fuzz_case')
    await trx.rawQuery('RELEASE SAVEPOINT fuzz_case')
  }
}

// ---------------------------------------------------------------- valid forms to start from

const decodeHtml = (text: string) =>
  text
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
const attribute = (tag: string, name: string) => {
  const match = tag.match(new RegExp(`\\s${name}=("([^"]*)"|'([^']*)')`, 'i'))
  return match ? decodeHtml(match[2] ?? match[3] ?? '') : null
}

export interface HarvestedForm {
  method: string
  action: string
  fields: Array<[string, string]>
}

/** The forms of a page with the values they are filled with (what a browser would send unchanged). */
export function formsOf(html: string): HarvestedForm[] {
  const forms: HarvestedForm[] = []
  for (const match of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const [, tag, inner] = match
    const fields: Array<[string, string]> = []
    for (const input of inner.matchAll(/<input\b[^>]*>/gi)) {
      const name = attribute(input[0], 'name')
      const type = (attribute(input[0], 'type') ?? 'text').toLowerCase()
      if (!name || ['file', 'submit', 'button', 'image', 'reset'].includes(type)) continue
      if (['checkbox', 'radio'].includes(type) && !/\schecked\b/i.test(input[0])) continue
      fields.push([name, attribute(input[0], 'value') ?? (type === 'checkbox' ? 'on' : '')])
    }
    for (const area of inner.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/gi)) {
      const name = attribute(area[0], 'name')
      if (name) fields.push([name, decodeHtml(area[2])])
    }
    for (const select of inner.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/gi)) {
      const name = attribute(select[0], 'name')
      if (!name) continue
      const options = [...select[2].matchAll(/<option\b[^>]*>/gi)].map((option) => option[0])
      const chosen = options.find((option) => /\sselected\b/i.test(option)) ?? options[0]
      if (chosen) fields.push([name, attribute(chosen, 'value') ?? ''])
    }
    const [path, query = ''] = (attribute(tag, 'action') ?? '').split('?')
    const spoofed =
      fields.find(([name]) => name === '_method')?.[1] ?? new URLSearchParams(query).get('_method')
    forms.push({
      method: (spoofed ?? attribute(tag, 'method') ?? 'GET').toUpperCase(),
      action: path,
      fields: fields.filter(([name]) => name !== '_csrf' && name !== '_method'),
    })
  }
  return forms
}

/** A filled-in form and the address it posts to (the record it was filled from). */
export interface Baseline {
  url: string
  fields: Array<[string, string]>
}

const patternRegex = (pattern: string) => new RegExp('^' + pattern.replace(/:\w+/g, '[^/]+') + '$')

/**
 * Visits every page (GET routes, parameters from the scene) as the actors
 * that can open them and keeps, per form route, the first filled-in form
 * found: fuzz cases start from it and change a few fields, so they get
 * past the validators to the code behind them.
 */
export async function harvestForms(
  fetchPage: (url: string, actor: Actor) => Promise<string | null>,
  routes: FormRoute[],
  scene: Scene,
  actors: Actor[]
): Promise<Map<string, Baseline>> {
  const baselines = new Map<string, Baseline>()
  const pages: string[] = []
  for (const domainRoutes of Object.values(router.toJSON())) {
    for (const route of domainRoutes) {
      if (
        !route.methods.includes('GET') ||
        /\.(csv|pdf|json)$|export|download|logout/.test(route.pattern)
      )
        continue
      // The first and the last two records of each table: the demo's and the other tenant's.
      for (const nth of [0, -1, -2]) {
        let url = route.pattern
        for (const [, param] of route.pattern.matchAll(/:(\w+)/g)) {
          const pool = scene.ids.get(tableOfParam(route.pattern, param) ?? '') ?? []
          url = url.replace(`:${param}`, String(pool.at(nth) ?? 1))
        }
        if (!pages.includes(url)) pages.push(url)
      }
    }
  }
  const matchers = routes.map((route) => ({ route, regex: patternRegex(route.pattern) }))
  for (const actor of actors) {
    for (const url of pages) {
      const html = await fetchPage(url, actor)
      if (!html) continue
      for (const form of formsOf(html)) {
        const found = matchers.find(
          ({ route, regex }) => route.method === form.method && regex.test(form.action)
        )
        const key = found ? `${found.route.method} ${found.route.pattern}` : null
        if (key && !baselines.has(key) && form.fields.length)
          baselines.set(key, { url: form.action, fields: form.fields })
      }
    }
  }
  // A create form is blank: start it from the filled-in edit form of the same resource (PUT …/:id).
  for (const route of routes) {
    if (route.method !== 'POST') continue
    const edit = baselines.get(`PUT ${route.pattern}/:id`)
    const blank = baselines.get(`POST ${route.pattern}`)
    if (edit) {
      baselines.set(`POST ${route.pattern}`, {
        url: blank?.url ?? route.pattern,
        fields: overlay(blank?.fields ?? [], edit.fields) as Array<[string, string]>,
      })
    }
  }
  return baselines
}

/** The base form's fields with the case's fields put over them (same name replaced, others added). */
export function overlay(
  base: Array<[string, string]>,
  fields: Array<[string, FuzzValue]>
): Array<[string, FuzzValue]> {
  const replaced = new Set(fields.map(([name]) => name))
  return [
    ...base.filter(([name]) => !replaced.has(name) && !replaced.has(name.split('[')[0])),
    ...fields,
  ]
}
