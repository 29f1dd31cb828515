// Special-terms form (pages/special_terms/form.edge): conveniences on top of a form that works
// without JavaScript. Adds "条項を追加", and 上へ / 下へ / 削除 on each clause block; the order fields
// and remove boxes (the no-JS way) are hidden and the order fields kept equal to the positions.
;(function () {
  const form = document.querySelector('[data-special-terms-form]')
  if (!form) return
  const list = form.querySelector('[data-clause-list]')
  const template = form.querySelector('[data-clause-template]')
  if (!list || !template) return

  for (const element of form.querySelectorAll('[data-jsonly]')) element.hidden = false
  for (const element of form.querySelectorAll('[data-nojs]')) element.hidden = true

  let nextIndex = list.querySelectorAll('[data-clause]').length

  const blocks = () => Array.from(list.querySelectorAll('[data-clause]'))

  function renumber() {
    blocks().forEach(function (block, position) {
      const order = block.querySelector('[data-clause-order]')
      if (order) order.value = String(position + 1)
      const label = block.querySelector('[data-clause-position]')
      if (label) label.textContent = String(position + 1)
      for (const button of block.querySelectorAll('[data-label]')) {
        button.setAttribute(
          'aria-label',
          button
            .getAttribute('data-label')
            .split('{position}')
            .join(String(position + 1))
        )
      }
    })
  }

  function prepare(block) {
    for (const element of block.querySelectorAll('[data-jsonly]')) element.hidden = false
    for (const element of block.querySelectorAll('[data-nojs]')) element.hidden = true
  }

  list.addEventListener('click', function (event) {
    const button = event.target.closest('button')
    if (!button) return
    const block = button.closest('[data-clause]')
    if (!block) return
    if (button.hasAttribute('data-clause-up') && block.previousElementSibling) {
      list.insertBefore(block, block.previousElementSibling)
      button.focus()
    } else if (button.hasAttribute('data-clause-down') && block.nextElementSibling) {
      list.insertBefore(block.nextElementSibling, block)
      button.focus()
    } else if (button.hasAttribute('data-clause-remove')) {
      const next = block.nextElementSibling || block.previousElementSibling
      block.remove()
      const focusable = next && next.querySelector('textarea, input:not([type=hidden])')
      if (focusable) focusable.focus()
    } else {
      return
    }
    renumber()
  })

  const add = form.querySelector('[data-add-clause]')
  if (add) {
    add.addEventListener('click', function () {
      const holder = document.createElement('div')
      holder.innerHTML = template.innerHTML.split('__INDEX__').join(String(nextIndex++))
      const block = holder.querySelector('[data-clause]')
      if (!block) return
      prepare(block)
      list.appendChild(block)
      renumber()
      const body = block.querySelector('textarea')
      if (body) body.focus()
    })
  }
})()
