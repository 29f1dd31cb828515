// Task page (pages/tasks/show.edge): polls the task's progress once a second, updates the bar,
// the phase and the rows / time left, and reloads the page when the task has finished (the
// page then shows the result).
;(function () {
  const section = document.getElementById('task-progress')
  if (!section) return
  const url = section.dataset.progressUrl
  const bar = document.getElementById('task-progress-bar')
  const phase = document.getElementById('task-progress-phase')
  const text = document.getElementById('task-progress-text')

  async function poll() {
    try {
      const response = await fetch(url, {
        headers: { accept: 'application/json' },
        credentials: 'same-origin',
      })
      if (!response.ok) throw new Error(String(response.status))
      const status = await response.json()
      if (status.finished) {
        window.location.reload()
        return
      }
      if (status.total) {
        bar.max = status.total
        bar.value = status.done
        bar.textContent = `${status.percent ?? 0}%`
      } else {
        bar.removeAttribute('value')
      }
      if (status.phaseLabel && phase.textContent !== status.phaseLabel)
        phase.textContent = status.phaseLabel
      text.textContent = status.text
    } catch {
      // A dropped request (server restarting, network): try again on the next tick.
    }
    window.setTimeout(poll, 1000)
  }
  window.setTimeout(poll, 1000)
})()
