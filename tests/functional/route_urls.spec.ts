import { test } from '@japa/runner'
import router from '@adonisjs/core/services/router'
import edge from 'edge.js'
import { routeUrl } from '#services/route_urls'

/** Every route of the application, as AdonisJS registered it. */
const allRoutes = () => Object.values(router.toJSON()).flat()

/** Counts the calls of router.makeUrl while `body` runs. */
function countMakeUrl<T>(body: () => T): { result: T; calls: number } {
  const makeUrl = router.makeUrl
  let calls = 0
  router.makeUrl = function (this: typeof router, ...args: Parameters<typeof makeUrl>) {
    calls++
    return makeUrl.apply(this, args)
  }
  try {
    return { result: body(), calls }
  } finally {
    router.makeUrl = makeUrl
  }
}

test.group('routeUrl', () => {
  test('gives the URL AdonisJS gives for every route, its name and its pattern', ({ assert }) => {
    const routes = allRoutes()
    assert.isAbove(routes.length, 100)
    for (const route of routes) {
      const names = [...route.pattern.matchAll(/:(\w+)/g)].map((match) => match[1])
      const params = Object.fromEntries(names.map((name, index) => [name, 40 + index]))
      for (const identifier of [route.name, route.pattern].filter(Boolean) as string[]) {
        assert.equal(
          routeUrl(identifier, params),
          router.makeUrl(identifier, params),
          `${identifier} (${route.pattern})`
        )
      }
    }
  })

  test('a plain route is built without AdonisJS’s builder; the rest still goes to it', ({
    assert,
  }) => {
    routeUrl('opinions.show', { id: 1 })
    const plain = countMakeUrl(() => [
      routeUrl('opinions.show', { id: 7 }),
      routeUrl('opinions.index'),
      routeUrl('opinions.show', { id: 'R7-0001' }),
    ])
    assert.deepEqual(plain.result, ['/opinions/7', '/opinions', '/opinions/R7-0001'])
    assert.equal(plain.calls, 0)

    const other = countMakeUrl(() => [
      routeUrl('opinions.show', [9]),
      routeUrl('opinions.index', {}, { qs: { page: 2 } }),
    ])
    assert.deepEqual(other.result, ['/opinions/9', '/opinions?page=2'])
    assert.equal(other.calls, 2)
  })

  test('an unknown route and a missing param fail as they do in AdonisJS', ({ assert }) => {
    assert.throws(() => routeUrl('no.such.route'), /Cannot lookup route "no.such.route"/)
    assert.throws(
      () => routeUrl('opinions.show', {}),
      /Cannot make URL for "\/opinions\/:id" route. Missing value for "id" param/
    )
    assert.throws(() => routeUrl('opinions.show', { id: null }), /Missing value for "id" param/)
  })

  test('templates build their links with it', async ({ assert }) => {
    const rendered = countMakeUrl(() =>
      edge.renderRaw("{{ route('opinions.show', { id: 12 }) }} {{ route('opinions.index') }}")
    )
    assert.equal(await rendered.result, '/opinions/12 /opinions')
    assert.equal(rendered.calls, 0)
  })
})
