// 定型文 on the reply form (pages/opinions/canned_texts/_insert.edge): 「挿入」 puts the chosen text
// at the cursor of the reply body, or below the text when the body was never focused, without
// reloading the page. Without the script the button posts the form and the server adds the text
// below what was typed. Nothing chosen: the click goes to the server, which says so.
;(function () {
  for (const group of document.querySelectorAll('[data-canned-insert]')) {
    const form = group.closest('form')
    const select = group.querySelector('select')
    const button = group.querySelector('[data-canned-insert-button]')
    const body = form && form.querySelector('textarea[name="body"]')
    if (!select || !button || !body) continue
    let focused = false
    body.addEventListener('focus', function () {
      focused = true
    })
    button.addEventListener('click', function (event) {
      const template = group.querySelector('template[data-canned-text="' + select.value + '"]')
      if (!template) return
      event.preventDefault()
      const text = template.content.textContent
      const start = focused ? body.selectionStart : body.value.length
      const end = focused ? body.selectionEnd : body.value.length
      const before = body.value.slice(0, start)
      // Appended text starts on a line of its own, as the server does it.
      const lead = !focused && before.trim() !== '' && !before.endsWith('\n') ? '\n' : ''
      body.setRangeText(lead + text, start, end, 'end')
      body.focus()
      body.dispatchEvent(new Event('input', { bubbles: true }))
    })
  }
})()
