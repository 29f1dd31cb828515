import { test } from '@japa/runner'
import { readFile } from 'node:fs/promises'
import app from '@adonisjs/core/services/app'

/*
| public/ is served for paths under its own entries only (public_files_middleware): the
| stylesheets and scripts with their caching headers, a missing file there is a 404, and
| every other path reaches the router as before.
*/
test.group('Public files', () => {
  test('a stylesheet and a script are served with ETag and Last-Modified; a conditional request gets 304', async ({
    client,
    assert,
  }) => {
    const css = await client.get('/css/app.css')
    css.assertStatus(200)
    assert.equal(css.text(), await readFile(app.publicPath('css/app.css'), 'utf8'))
    assert.match(String(css.header('content-type')), /text\/css/)
    assert.exists(css.header('last-modified'))
    const etag = css.header('etag')
    assert.exists(etag)

    const again = await client.get('/css/app.css').header('If-None-Match', String(etag))
    again.assertStatus(304)

    const script = await client.get('/js/site_nav.js')
    script.assertStatus(200)
    assert.match(String(script.header('content-type')), /javascript/)
  })

  test('a missing file under public/ is a 404; routes and dot files are never files', async ({
    client,
  }) => {
    const missing = await client.get('/css/none.css')
    missing.assertStatus(404)
    const login = await client.get('/login')
    login.assertStatus(200)
    login.assertTextIncludes('<link rel="stylesheet" href="/css/app.css">')
    const route = await client.get('/assets/design-tokens.css')
    route.assertStatus(200)
    const dotFile = await client.get('/css/.hidden')
    dotFile.assertStatus(404)
  })
})
