// The GOV.UK timeout warning pattern: two minutes before the session's idle limit, a dialog
// offers to stay signed in. "Stay signed in" renews the session in the background, so the form
// on the page and what was typed into it stay as they are. At the limit, the page goes to the
// signed-out page. Any page load starts the clock again (the session is renewed by every
// request).
const dialog = document.getElementById("timeout-warning");
if (dialog && typeof dialog.showModal === "function") {
  const idle = Number(dialog.dataset.idleSeconds) * 1000;
  const warning = Number(dialog.dataset.warningSeconds) * 1000;
  const countdown = dialog.querySelector(".convene-timeout-warning__countdown");
  const form = dialog.querySelector(".convene-timeout-warning__form");
  let warnTimer, endTimer, tick;

  const words = (ms) => {
    const seconds = Math.max(0, Math.ceil(ms / 1000));
    if (seconds >= 60) {
      const minutes = Math.ceil(seconds / 60);
      return `${minutes} minute${minutes === 1 ? "" : "s"}`;
    }
    return `${seconds} second${seconds === 1 ? "" : "s"}`;
  };

  const start = () => {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    clearInterval(tick);
    const endsAt = Date.now() + idle;
    warnTimer = setTimeout(() => {
      countdown.textContent = words(endsAt - Date.now());
      tick = setInterval(() => { countdown.textContent = words(endsAt - Date.now()); }, 15000);
      dialog.showModal();
    }, Math.max(0, idle - warning));
    endTimer = setTimeout(() => { window.location.href = dialog.dataset.signedOutUrl; }, idle);
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
    });
    dialog.close();
    if (response.ok) {
      start();
    } else {
      window.location.href = dialog.dataset.signedOutUrl;
    }
  });
  dialog.addEventListener("cancel", (event) => { event.preventDefault(); form.requestSubmit(); });
  start();
}
