import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from '@japa/runner'
import { Edge, Template } from 'edge.js'
import { shareComponentState } from '#services/edge_component_state'

/** A page with a card component around a tag component, both named like a global. */
function viewsFolder() {
  const dir = mkdtempSync(join(tmpdir(), 'daicho-edge-state-'))
  mkdirSync(join(dir, 'components'))
  writeFileSync(
    join(dir, 'page.edge'),
    [
      '@card({ title: "Card", class: "box" })',
      '@!tag({ label: "in slot" })',
      '@end',
      '@!tag({ label: "alone" })',
      '[page {{ title }}]',
    ].join('\n')
  )
  writeFileSync(
    join(dir, 'components/card.edge'),
    [
      '<section {{ $props.except(["title"]).toAttrs() }}>{{ title }}/{{ shout(title) }}',
      '{{{ await $slots.main() }}}',
      '@!tag({ label: title })',
      '@let(title = "changed")',
      '{{ title }}</section>',
    ].join('\n')
  )
  // A component sees the shared state and its own props, never its caller's.
  writeFileSync(
    join(dir, 'components/tag.edge'),
    '<b>{{ label }}|{{ title }}|{{ typeof $props.get("title") }}</b>'
  )
  return dir
}

const text = (html: string) => html.replace(/\s+/g, '')

test.group('shareComponentState', (group) => {
  let dir: string
  group.each.setup(() => {
    shareComponentState()
    dir = viewsFolder()
    return () => rmSync(dir, { recursive: true, force: true })
  })

  test('components see the globals and locals, their own props over them, and not their caller’s', async ({
    assert,
  }) => {
    const edge = Edge.create()
    edge.mount(dir)
    edge.global('title', 'Global')
    edge.global('shout', (value: string) => value.toUpperCase())
    const html = await edge.share({ title: 'Local' }).render('page', {})
    assert.equal(
      text(html),
      text(
        [
          '<section class="box">Card/CARD',
          '<b>inslot|Local|undefined</b>',
          '<b>Card|Local|undefined</b>',
          'changed</section>',
          '<b>alone|Local|undefined</b>',
          '[page Local]',
        ].join('')
      )
    )
  })

  test('the shared state is one object per rendered page, which component calls inherit', ({
    assert,
  }) => {
    const edge = Edge.create()
    edge.global('title', 'Global')
    const page = () => new Template(edge.compiler, edge.globals, { user: 'A' }, edge.processor)
    const caller = { filename: 'page.edge', line: 1, col: 0 }
    const template = page()
    const first = template.getComponentState({ title: 'One' }, {}, caller)
    const second = template.getComponentState({}, {}, caller)
    const shared = Object.getPrototypeOf(first)
    assert.strictEqual(Object.getPrototypeOf(second), shared)
    assert.notStrictEqual(shared, Object.prototype)
    assert.notProperty(Object.keys(first), 'user')
    assert.deepEqual(Object.keys(first).sort(), ['$caller', '$props', '$slots', 'title'])
    assert.equal((first as Record<string, unknown>).title, 'One')
    assert.equal((second as Record<string, unknown>).title, 'Global')
    assert.equal((second as Record<string, unknown>).user, 'A')
    assert.deepEqual(first.$props.all(), { title: 'One' })
    // Another page (another request) has its own.
    const other = page().getComponentState({}, {}, caller)
    assert.notStrictEqual(Object.getPrototypeOf(other), shared)
  })
})
