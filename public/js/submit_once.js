// Forms with data-submit-once (the legacy import, its 「この内容で取り込む」, the opinion CSV): once
// submitted, their submit buttons are disabled and show their data-running-text, so a second
// click does not start a second run. Without the script the server still refuses a second one.
;(function () {
  for (const form of document.querySelectorAll('form[data-submit-once]')) {
    form.addEventListener('submit', function () {
      // After this tick: a button disabled during the submit event would be left out of the form.
      window.setTimeout(function () {
        for (const button of form.querySelectorAll('button[type="submit"]')) {
          button.disabled = true
          if (button.dataset.runningText) button.textContent = button.dataset.runningText
        }
      }, 0)
    })
  }
})()
