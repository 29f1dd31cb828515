// A page that comes back with errors: the focus moves to the error summary, so a screen reader
// reads it first and a keyboard user goes from it straight to each field (its links). Without the
// script the summary is still the first thing in <main> and is announced as an alert.
;(function () {
  const summary = document.querySelector('[data-error-summary]')
  if (!summary) return
  summary.focus()
  // A link to a field focuses that field itself (not only scrolls to it), then its label is read.
  summary.addEventListener('click', function (event) {
    const link = event.target.closest('a[href^="#"]')
    if (!link) return
    const target = document.getElementById(decodeURIComponent(link.hash.slice(1)))
    if (!target) return
    event.preventDefault()
    if (target.tabIndex < 0 && !/^(INPUT|SELECT|TEXTAREA|BUTTON)$/.test(target.tagName)) {
      const first = target.querySelector('input, select, textarea')
      ;(first || target).focus()
    } else target.focus()
    target.scrollIntoView({ block: 'center' })
    window.history.replaceState(null, '', link.hash)
  })
})()
