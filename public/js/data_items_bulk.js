/*
 * 記録項目の一括編集: conveniences on top of a form that works without this
 * script (add rows, move rows without a round trip, mark rows to remove).
 * Rows are posted as rows[0][…], rows[1][…] … in table order, so every change
 * renumbers the names. A moved row keeps its group: headings are rewritten
 * so that each row keeps the heading it had, shown on the first row of a run.
 */
;(() => {
  const form = document.querySelector('[data-bulk-form]')
  if (!form) return
  const body = form.querySelector('[data-bulk-rows]')
  const template = document.getElementById('bulk-row-template')
  const NO_HEADING = '－'
  const NO_HEADING_MARKS = new Set(['-', '－', '―', '‐', '—', '–', 'ー', '─'])
  const ROWS_PER_ADD = 5

  const rows = () => [...body.querySelectorAll('tr[data-bulk-row]')]
  const headingOf = (tr) => tr.querySelector('[data-bulk-heading]')

  /** The heading each row belongs to (a heading runs down the table until the next one; － ends it). */
  const effectiveHeadings = (trs) => {
    let current = null
    return trs.map((tr) => {
      const text = headingOf(tr).value.trim()
      if (NO_HEADING_MARKS.has(text)) current = null
      else if (text) current = text
      return current
    })
  }

  const writeHeadings = (trs, headings) => {
    let previous = null
    trs.forEach((tr, index) => {
      const heading = headings[index]
      headingOf(tr).value = heading === previous ? '' : (heading ?? NO_HEADING)
      previous = heading
    })
  }

  const renumber = () => {
    rows().forEach((tr, index) => {
      const number = index + 1
      tr.id = `row-${number}`
      tr.querySelector('[data-bulk-num]').textContent = String(number)
      tr.querySelectorAll('[name^="rows["]').forEach((field) => {
        field.name = field.name.replace(/^rows\[\d+\]/, `rows[${index}]`)
      })
      tr.querySelectorAll('[data-label]').forEach((field) =>
        field.setAttribute('aria-label', field.dataset.label.replace('{row}', String(number)))
      )
      tr.querySelectorAll('[data-bulk-move]').forEach((button) => {
        button.value = `${button.dataset.bulkMove}:${index}`
      })
      const error = tr.querySelector('.field-error')
      if (error) {
        error.id = `row-${number}-error`
        tr.querySelector('[aria-describedby]')?.setAttribute('aria-describedby', error.id)
      }
    })
  }

  body.addEventListener('click', (event) => {
    const button = event.target.closest('[data-bulk-move]')
    if (!button) return
    event.preventDefault()
    const trs = rows()
    const row = button.closest('tr')
    const index = trs.indexOf(row)
    const target = button.dataset.bulkMove === 'up' ? index - 1 : index + 1
    if (target < 0 || target >= trs.length) return
    const headings = effectiveHeadings(trs)
    ;[headings[index], headings[target]] = [headings[target], headings[index]]
    if (target < index) body.insertBefore(row, trs[target])
    else body.insertBefore(trs[target], row)
    writeHeadings(rows(), headings)
    renumber()
    button.focus()
  })

  body.addEventListener('change', (event) => {
    if (event.target.matches('[data-bulk-remove]')) {
      event.target.closest('tr').classList.toggle('bulk-row--removed', event.target.checked)
    }
  })

  const addButton = form.querySelector('[data-bulk-add]')
  if (addButton && template) {
    addButton.addEventListener('click', (event) => {
      event.preventDefault()
      let first = null
      for (let i = 0; i < ROWS_PER_ADD; i++) {
        const row = template.content.firstElementChild.cloneNode(true)
        body.appendChild(row)
        first = first ?? row
      }
      renumber()
      first.querySelector('[name$="[name]"]').focus()
    })
  }
  form.querySelector('[data-bulk-no-js]')?.remove()
})()
