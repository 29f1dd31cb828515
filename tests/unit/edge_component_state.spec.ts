import { test } from '@japa/runner'
import { Edge, Template } from 'edge.js'
import { shareComponentState } from '#services/edge_component_state'

/** A page with a card component around a tag component, both named like a global (in memory). */
function edgeWithPage() {
  const edge = Edge.create()
  edge.registerTemplate('page', {
    template: [
      '@component("components/card", { title: "Card", class: "box" })',
      '@!component("components/tag", { label: "in slot" })',
      '@end',
      '@!component("components/tag", { label: "alone" })',
      '[page {{ title }}]',
    ].join('\n'),
  })
  edge.registerTemplate('components/card', {
    template: [
      '<section {{ $props.except(["title"]).toAttrs() }}>{{ title }}/{{ shout(title) }}',
      '{{{ await $slots.main() }}}',
      '@!component("components/tag", { label: title })',
      '@let(title = "changed")',
      '{{ title }}</section>',
    ].join('\n'),
  })
  // A component sees the shared state and its own props, never its caller's.
  edge.registerTemplate('components/tag', {
    template: '<b>{{ label }}|{{ title }}|{{ typeof $props.get("title") }}</b>',
  })
  return edge
}

const text = (html: string) => html.replace(/\s+/g, '')

test.group('shareComponentState', (group) => {
  group.each.setup(() => shareComponentState())

  test('components see the globals and locals, their own props over them, and not their caller’s', async ({
    assert,
  }) => {
    const edge = edgeWithPage()
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
