// Binds each "Copy link" button to the clipboard (once: a bound button is marked).
for (const b of document.querySelectorAll("button.impact-copy-link:not([data-bound])")) {
  b.dataset.bound = "1";
  b.addEventListener("click", () => navigator.clipboard.writeText(b.dataset.link).then(
    () => { b.textContent = "Link copied"; },
    () => { b.textContent = "Copy failed: select the link above"; }));
}
