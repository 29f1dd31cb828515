import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import env from '#start/env'
import db from '@adonisjs/lucid/services/db'
import testUtils from '@adonisjs/core/services/test_utils'
import { configProvider } from '@adonisjs/core'
import { SessionCollection } from '@adonisjs/session'
import SessionMiddleware from '@adonisjs/session/session_middleware'
import { DateTime } from 'luxon'
import User from '#models/user'
import Clock, { FixedClock } from '#services/clock'
import { UserFactory, TEST_PASSWORD } from '#database/factories/user_factory'
import { freshIp } from '#tests/helpers'

/**
 * Issue 14, items 1 and 8. The suite runs with SESSION_DRIVER=memory, and the API client's
 * session helpers always use the memory store, so these tests switch the app to the server-side
 * stores it can be configured with and drive it like a browser: a cookie jar, real login, real
 * forms with their CSRF field.
 */

type ResolvedSessionConfig = { store: string; stores: Record<string, unknown>; cookieName: string }

async function sessionConfig() {
  return (await configProvider.resolve<ResolvedSessionConfig>(app, app.config.get('session')))!
}

/** Every store the application can be configured with, except the test-only memory store. */
async function configurableStores() {
  const config = await sessionConfig()
  return Object.keys(config.stores).filter((name) => name !== 'memory')
}

/** Serves the following requests (and session revocations) from the given store. */
async function useStore(store: string) {
  const config = await sessionConfig()
  const emitter = await app.container.make('emitter')
  app.container.swap(
    SessionMiddleware,
    () => new SessionMiddleware({ ...config, store } as any, emitter)
  )
  app.container.swap(SessionCollection, () => new SessionCollection({ ...config, store } as any))
}

function restoreStore() {
  app.container.restore(SessionMiddleware)
  app.container.restore(SessionCollection)
}

/** Moves the server's clock (Date.now) forward; `resetClock` undoes it. */
const realNow = Date.now
let offsetMs = 0
function advanceClock(minutes: number) {
  offsetMs += minutes * 60_000
  Date.now = () => realNow() + offsetMs
}
function resetClock() {
  offsetMs = 0
  Date.now = realNow
}

interface Page {
  status: number
  location: string | null
  body: string
  setCookies: string[]
}

/** A minimal browser: keeps cookies like a browser does and submits forms with their CSRF field. */
class Browser {
  cookies = new Map<string, string>()
  csrf = ''
  ip = freshIp()
  lastPage = '/'

  async request(
    method: 'GET' | 'POST',
    path: string,
    form?: Record<string, string>
  ): Promise<Page> {
    const headers: Record<string, string> = {
      'cookie': [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
      'x-forwarded-for': this.ip,
      'referer': `${baseUrl()}${this.lastPage}`,
    }
    let body: string | undefined
    if (form) {
      headers['content-type'] = 'application/x-www-form-urlencoded'
      body = new URLSearchParams({ _csrf: this.csrf, ...form }).toString()
    }
    const response = await fetch(`${baseUrl()}${path}`, {
      method,
      headers,
      body,
      redirect: 'manual',
    })
    const setCookies = response.headers.getSetCookie()
    for (const line of setCookies) {
      const [pair, ...attributes] = line.split(';')
      const name = pair.slice(0, pair.indexOf('='))
      const value = pair.slice(pair.indexOf('=') + 1)
      const expired = attributes.some(
        (a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=.*1970/i.test(a)
      )
      if (expired || value === '') this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
    const text = await response.text()
    if (method === 'GET') this.lastPage = path
    const token = text.match(/name=['"]_csrf['"] value=['"]([^'"]+)['"]/)
    if (token) this.csrf = token[1]
    return {
      status: response.status,
      location: response.headers.get('location'),
      body: text,
      setCookies,
    }
  }

  get(path: string) {
    return this.request('GET', path)
  }

  async submit(formPage: string, action: string, form: Record<string, string>) {
    await this.get(formPage)
    return this.request('POST', action, form)
  }

  async login(user: User, password = TEST_PASSWORD) {
    const response = await this.submit('/login', '/login', { email: user.email, password })
    if (response.location !== '/dashboard') {
      const page = await this.get('/login')
      throw new Error(
        `login failed: ${response.status} ${response.location} ${page.body.match(/role="alert">([^<]*)/)?.[1] ?? ''} ${[...this.cookies.keys()]}`
      )
    }
    return response
  }

  /** Another browser presenting this one's cookies as they are now (a copied or stolen cookie). */
  copy() {
    const other = new Browser()
    other.cookies = new Map(this.cookies)
    return other
  }
}

function baseUrl() {
  return `http://127.0.0.1:${env.get('PORT')}`
}

function sessionsOf(user: User) {
  return db.from('sessions').where('user_id', `web:${user.id}`)
}

test.group('Sessions: kept on the server, ended by logout', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.teardown(() => {
    restoreStore()
    resetClock()
  })

  test('after logout the old session cookie is refused, whatever store is configured', async ({
    assert,
  }) => {
    const stores = await configurableStores()
    assert.isNotEmpty(stores)
    for (const store of stores) {
      await useStore(store)
      const user = await UserFactory.with('department').create()
      const browser = new Browser()
      await browser.login(user)
      const response = await browser.get('/dashboard')
      assert.equal(response.status, 200, `${store}: logged in`)
      const stolen = browser.copy()

      const logout = await browser.request('POST', '/logout', {})
      assert.equal(logout.location, '/login', `${store}: logout`)

      const replay = await stolen.get('/dashboard')
      assert.equal(
        replay.status,
        302,
        `${store}: the cookie from before logout must not open the dashboard`
      )
      assert.equal(replay.location, '/login')
      const ownBrowser = await browser.get('/dashboard')
      assert.equal(ownBrowser.location, '/login', `${store}: the browser itself is logged out`)
    }
  })

  test('the cookie holds only a session id, has no expiry (gone when the browser closes) and the session is stored on the server', async ({
    assert,
  }) => {
    await useStore('database')
    const user = await UserFactory.with('department').create()
    const browser = new Browser()
    const login = await browser.login(user)

    const cookie = login.setCookies.find((line) => line.startsWith('daicho-session='))!
    assert.exists(cookie)
    assert.notMatch(cookie, /max-age|expires/i)
    assert.match(cookie, /httponly/i)
    assert.isBelow(cookie.length, 200)

    const rows = await sessionsOf(user)
    assert.lengthOf(rows, 1, 'one server-side session tagged with the account')
    assert.include(rows[0].data, 'auth_web')

    await browser.request('POST', '/logout', {})
    assert.lengthOf(await sessionsOf(user), 0, 'logout deletes the stored session')
  })
})

test.group('Sessions: idle and absolute timeouts', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.teardown(() => {
    restoreStore()
    resetClock()
  })

  test('the idle time is read from the Clock the container gives', async ({ assert, cleanup }) => {
    await useStore('database')
    const user = await UserFactory.with('department').create()
    const browser = new Browser()
    await browser.login(user)
    const dashboard = await browser.get('/dashboard')
    assert.equal(dashboard.status, 200)

    app.container.swap(Clock, () => new FixedClock(DateTime.now().plus({ minutes: 31 })))
    cleanup(() => app.container.restore(Clock))
    const expired = await browser.get('/dashboard')
    assert.equal(expired.location, '/login')
  })

  test('30 minutes without a request end the session; activity keeps it alive', async ({
    assert,
  }) => {
    await useStore('database')
    const user = await UserFactory.with('department').create()
    const browser = new Browser()
    await browser.login(user)

    advanceClock(29)
    const response = await browser.get('/dashboard')
    assert.equal(response.status, 200, '29 minutes idle: still logged in')
    advanceClock(29)
    const afterAnother29 = await browser.get('/dashboard')
    assert.equal(afterAnother29.status, 200, 'each request restarts the idle time')

    advanceClock(31)
    const expired = await browser.get('/dashboard')
    assert.equal(expired.location, '/login')
    const loginPage = await browser.get('/login')
    assert.include(loginPage.body, '一定時間（30分）操作がなかったため、ログアウトしました。')
    assert.lengthOf(await sessionsOf(user), 0, 'the expired session is gone from the store')
  })

  test('a login ends after 10 hours even when used all the time', async ({ assert }) => {
    await useStore('database')
    const user = await UserFactory.with('department').create()
    const browser = new Browser()
    await browser.login(user)

    // A request every 25 minutes for 9 h 50 min.
    for (let minutes = 25; minutes <= 575; minutes += 25) {
      advanceClock(25)
      const response = await browser.get('/dashboard')
      assert.equal(response.status, 200, `still logged in after ${minutes} minutes`)
    }
    advanceClock(20)
    const after9h55 = await browser.get('/dashboard')
    assert.equal(after9h55.status, 200, 'still logged in after 9 h 55 min')
    advanceClock(10) // 10 h 05 min after login, 10 minutes after the last request
    const expired = await browser.get('/dashboard')
    assert.equal(expired.location, '/login')
    const loginPage = await browser.get('/login')
    assert.include(loginPage.body, 'ログインから10時間が経過したため、ログアウトしました。')
  })

  test('the timeouts also hold on the memory store (they do not depend on the store)', async ({
    assert,
  }) => {
    await useStore('memory')
    const user = await UserFactory.with('department').create()
    const browser = new Browser()
    await browser.login(user)
    advanceClock(31)
    const response = await browser.get('/dashboard')
    assert.equal(response.location, '/login')
  })
})

test.group('Sessions: a password change ends the other sessions', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.teardown(() => restoreStore())

  /** The administrator's edit form for `user`, as the browser sends it. */
  const editForm = (user: User, password: string) => ({
    email: user.email,
    fullName: user.fullName,
    role: user.role,
    departmentId: String(user.departmentId ?? ''),
    locale: 'ja',
    isActive: 'true',
    password,
    password_confirmation: password,
  })

  test("when the administrator sets a new password, the user's open sessions stop working", async ({
    assert,
  }) => {
    await useStore('database')
    const user = await UserFactory.with('department').create()
    const admin = await UserFactory.apply('admin').create()
    const userBrowser = new Browser()
    await userBrowser.login(user)
    const adminBrowser = new Browser()
    await adminBrowser.login(admin)

    const saved = await adminBrowser.submit(
      `/admin/users/${user.id}/edit`,
      `/admin/users/${user.id}?_method=PUT`,
      editForm(user, 'kawa-no-nagare-wa-taezu-7731')
    )
    assert.equal(saved.location, '/admin/users', 'the password was saved')

    const after = await userBrowser.get('/dashboard')
    assert.equal(after.location, '/login', 'the session opened with the old password is ended')
    assert.lengthOf(await sessionsOf(user), 0)
    const response = await adminBrowser.get('/dashboard')
    assert.equal(response.status, 200, 'the administrator is not affected')
  })

  test("changing one's own password keeps this browser logged in under a new session and ends the old cookie", async ({
    assert,
  }) => {
    await useStore('database')
    const admin = await UserFactory.apply('admin').create()
    const browser = new Browser()
    await browser.login(admin)
    const elsewhere = new Browser()
    await elsewhere.login(admin)
    await browser.get(`/admin/users/${admin.id}/edit`)
    const before = browser.copy()

    const saved = await browser.request(
      'POST',
      `/admin/users/${admin.id}?_method=PUT`,
      editForm(admin, 'yama-no-ha-ni-tsuki-4419')
    )
    assert.equal(saved.location, '/admin/users')

    const response = await browser.get('/dashboard')
    assert.equal(response.status, 200, 'still logged in here')
    const oldCookie = await before.get('/dashboard')
    assert.equal(oldCookie.location, '/login', 'the cookie from before the change is refused')
    const otherBrowser = await elsewhere.get('/dashboard')
    assert.equal(otherBrowser.location, '/login', 'the other browser is logged out')
  })
})

test.group('Sessions: failed forms keep what was typed on the server', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.teardown(() => restoreStore())

  test('a 10,000-character text that fails validation comes back with the message, and the cookie stays small', async ({
    assert,
  }) => {
    const long = '審議会の開催に当たり、委員の意見を記録する。'.repeat(500).slice(0, 10_000)
    assert.lengthOf(long, 10_000)
    for (const store of await configurableStores()) {
      await useStore(store)
      const officer = await UserFactory.apply('privacyOfficer').create()
      const browser = new Browser()
      await browser.login(officer)

      const refused = await browser.submit('/council', '/council/meetings', {
        fiscalYear: '2026',
        number: '7',
        heldOn: '',
        notes: long,
      })
      assert.equal(refused.status, 302, `${store}: refused and sent back`)
      for (const line of refused.setCookies) {
        // Browsers drop a cookie over 4 KB, and the typed text with it.
        assert.isBelow(
          line.length,
          4096,
          `${store}: Set-Cookie ${line.slice(0, 40)}… is ${line.length} bytes`
        )
      }

      const form = await browser.get('/council')
      assert.equal(form.status, 200, `${store}: the form is shown again`)
      assert.include(
        form.body,
        `value="${long}"`,
        `${store}: the 10,000 characters are back in the field`
      )
      assert.include(form.body, '2000文字以内', `${store}: with the validation message`)
      assert.include(form.body, 'value="7"', `${store}: the other fields too`)
    }
  })

  test('the flashed input is kept in the server-side session row, not in the cookie', async ({
    assert,
  }) => {
    await useStore('database')
    const officer = await UserFactory.apply('privacyOfficer').create()
    const browser = new Browser()
    await browser.login(officer)
    const marker = '記録用の長い備考'.repeat(1250)
    await browser.submit('/council', '/council/meetings', {
      fiscalYear: '2026',
      number: '8',
      notes: marker,
    })
    const [row] = await db.from('sessions').where('user_id', `web:${officer.id}`)
    assert.include(row.data, marker.slice(0, 200))
    assert.notInclude([...browser.cookies.values()].join(''), marker.slice(0, 8))
  })
})

test.group('Sessions: an anonymous visit stores none until a page hands out a form', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.teardown(() => restoreStore())

  const CSRF_FIELD = /name=['"]_csrf['"]/
  const storedSessions = async () => {
    const row = await db.from('sessions').count('* as total').first()
    return Number(row?.total ?? 0)
  }

  test('pages without a form (home, FAQ, file register, a missing page) write no session row', async ({
    assert,
  }) => {
    await useStore('database')
    const visitor = new Browser()
    const before = await storedSessions()
    for (const path of [
      '/',
      '/faq',
      '/faq?q=%E3%81%94%E3%81%BF',
      '/file-register',
      '/faq/999999',
    ]) {
      const page = await visitor.get(path)
      assert.oneOf(page.status, [200, 404], path)
      assert.notMatch(page.body, CSRF_FIELD, path)
    }
    assert.equal(await storedSessions(), before)
  })

  test('a page with a form stores its secret, and the form posts after other pages were read', async ({
    assert,
  }) => {
    await useStore('database')
    const user = await UserFactory.with('department').create()
    const visitor = new Browser()
    await visitor.get('/faq')
    const before = await storedSessions()

    const loginPage = await visitor.get('/login')
    assert.match(loginPage.body, CSRF_FIELD)
    assert.equal(await storedSessions(), before + 1)
    // Reading a page without a form keeps the stored secret: the login form still posts.
    await visitor.get('/faq')
    await visitor.get('/file-register')
    const login = await visitor.request('POST', '/login', {
      email: user.email,
      password: TEST_PASSWORD,
    })
    assert.equal(login.location, '/dashboard')

    const citizenForm = await new Browser().get('/voice')
    assert.match(citizenForm.body, CSRF_FIELD)
    assert.equal(await storedSessions(), before + 2)
  })
})
