// Injected into every page the browser tests open: ids must be unique and every label must
// name exactly one existing form control. Problems go to the console, where the `page`
// fixture collects them (axe-core no longer checks duplicate ids).
document.addEventListener("DOMContentLoaded", () => {
  const problems = [];
  const counts = new Map();
  for (const element of document.querySelectorAll("[id]")) {
    counts.set(element.id, (counts.get(element.id) || 0) + 1);
  }
  for (const [id, n] of counts) {
    if (n > 1) problems.push(`id "${id}" appears ${n} times`);
  }
  const labelable = "input:not([type=hidden]), select, textarea, button, meter, output, progress";
  for (const label of document.querySelectorAll("label")) {
    const text = label.textContent.trim().slice(0, 40);
    if (label.htmlFor) {
      const targets = document.querySelectorAll(`[id="${CSS.escape(label.htmlFor)}"]`);
      if (targets.length !== 1) {
        problems.push(`label "${text}" points to ${targets.length} elements #${label.htmlFor}`);
      } else if (!targets[0].matches(labelable)) {
        problems.push(`label "${text}" points to a ${targets[0].tagName}, not a control`);
      }
    } else if (label.querySelectorAll(labelable).length !== 1) {
      problems.push(`label "${text}" has no for= and wraps no single control`);
    }
  }
  for (const problem of problems) console.error("form-check: " + problem + " on " + location.pathname);
});
