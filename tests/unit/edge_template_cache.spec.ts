import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from '@japa/runner'
import { Edge } from 'edge.js'
import { keepCompiledTemplates } from '#services/edge_template_cache'

/** A views folder: a page including a partial in a loop and at the top, and a component. */
function viewsFolder() {
  const dir = mkdtempSync(join(tmpdir(), 'daicho-edge-'))
  mkdirSync(join(dir, 'components'))
  writeFileSync(
    join(dir, 'page.edge'),
    [
      '@include("row")',
      '@each(item in items)',
      '@let(double = item * 2)',
      '@include("row")',
      '@end',
      '@!tag({ label: title })',
    ].join('\n')
  )
  writeFileSync(
    join(dir, 'row.edge'),
    '[{{ typeof item === "undefined" ? "-" : item }}:{{ typeof double === "undefined" ? "-" : double }}]'
  )
  writeFileSync(join(dir, 'components/tag.edge'), '<b>{{ label }}</b>')
  return dir
}

/** Edge as AdonisJS sets it up: created first, the cache turned on afterwards. */
function edgeFor(dir: string, cache: boolean) {
  const edge = Edge.create()
  edge.configure({ cache })
  edge.mount(dir)
  const reads: string[] = []
  const resolve = edge.loader.resolve.bind(edge.loader)
  edge.loader.resolve = (path) => {
    reads.push(path.replace(dir, ''))
    return resolve(path)
  }
  let listings = 0
  const listComponents = edge.loader.listComponents.bind(edge.loader)
  edge.loader.listComponents = () => {
    listings++
    return listComponents()
  }
  let pathLookups = 0
  const makePath = edge.loader.makePath.bind(edge.loader)
  edge.loader.makePath = (path) => {
    pathLookups++
    return makePath(path)
  }
  keepCompiledTemplates(edge)
  return { edge, reads, listings: () => listings, pathLookups: () => pathLookups }
}

const text = (html: string) => html.replace(/\s+/g, '')

test.group('keepCompiledTemplates', (group) => {
  let dir: string
  group.each.setup(() => {
    dir = viewsFolder()
    return () => rmSync(dir, { recursive: true, force: true })
  })

  test('with the cache on, partials render each call’s values and are read once', async ({
    assert,
  }) => {
    const { edge, reads, listings, pathLookups } = edgeFor(dir, true)
    const first = await edge.render('page', { items: [1, 2], title: 'A' })
    const lookupsOfFirst = pathLookups()
    const second = await edge.render('page', { items: [5], title: 'B' })
    assert.equal(text(first), '[-:-][1:2][2:4]<b>A</b>')
    assert.equal(text(second), '[-:-][5:10]<b>B</b>')
    // The partial is compiled once for each set of local variables (top level, in the loop).
    assert.deepEqual(reads.filter((path) => path.endsWith('row.edge')).length, 2)
    assert.equal(listings(), 1)
    // The page and its component are found again by name, without joining their paths.
    assert.isAbove(lookupsOfFirst, 0)
    assert.equal(pathLookups(), lookupsOfFirst)
  })

  test('with the cache off (development), an edited partial shows at once', async ({ assert }) => {
    const { edge } = edgeFor(dir, false)
    assert.equal(text(await edge.render('page', { items: [1], title: 'A' })), '[-:-][1:2]<b>A</b>')
    writeFileSync(join(dir, 'row.edge'), '({{ typeof item === "undefined" ? "-" : item }})')
    assert.equal(text(await edge.render('page', { items: [1], title: 'A' })), '(-)(1)<b>A</b>')
  })
})
