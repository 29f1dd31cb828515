// The main menu's groups are <details> and work without this script. On wide screens they
// drop down over the page, so: opening one closes the others, and Escape or a click outside
// closes the open one (Escape returns the focus to its label).
;(function () {
  const groups = Array.from(document.querySelectorAll('.site-nav details.nav-group'))
  if (!groups.length) return

  for (const group of groups) {
    group.addEventListener('toggle', function () {
      if (!group.open) return
      for (const other of groups) if (other !== group) other.open = false
    })
  }

  document.addEventListener('keydown', function (event) {
    if (event.key !== 'Escape') return
    const open = groups.find(function (group) {
      return group.open
    })
    if (!open) return
    open.open = false
    open.querySelector('summary').focus()
  })

  document.addEventListener('click', function (event) {
    for (const group of groups) {
      if (group.open && !group.contains(event.target)) group.open = false
    }
  })
})()
