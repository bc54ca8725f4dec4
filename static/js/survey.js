// Surveys: progressive enhancement of templates/surveys/show.html and answer.html.
//
// Without this script every page works: the server splits a page before a question whose
// condition rests on an answer of the same page, so it can decide the condition first.
// With it, the server is asked for whole pages (js=1), and a question conditioned on an
// answer of its page is shown or hidden here as that answer changes. It stays in its
// place in the page, so the focus order does not change; the server decides again when
// the page is sent (a hidden question's answer is not stored).
(function () {
  "use strict";

  // The start links ask for whole pages.
  document.querySelectorAll("a[data-survey-start]").forEach(function (link) {
    const url = new URL(link.href, window.location.href);
    url.searchParams.set("js", "1");
    link.href = url.toString();
  });

  const form = document.querySelector("form[data-survey-form]");
  if (!form) return;
  const flag = form.elements.namedItem("js");
  if (flag) flag.value = "1";

  const conditioned = Array.from(form.querySelectorAll("[data-condition-field]"));

  function chosen(name) {
    // The options chosen in the question whose field is `name`; none while it is hidden.
    const inputs = Array.from(form.querySelectorAll("input[name='" + name + "']"));
    if (!inputs.length || inputs[0].closest("[hidden]")) return [];
    return inputs.filter(function (input) { return input.checked; })
      .map(function (input) { return input.value; });
  }

  function update() {
    // In page order, so that a question conditioned on a conditioned one follows it.
    conditioned.forEach(function (box) {
      const has = chosen(box.dataset.conditionField).indexOf(box.dataset.conditionOption) >= 0;
      box.hidden = has === (box.dataset.conditionNegated === "1");
    });
  }

  if (conditioned.length) {
    form.addEventListener("change", update);
    update();
  }

  // Typing into "please specify" chooses its option.
  form.querySelectorAll("input[data-other-option]").forEach(function (text) {
    text.addEventListener("input", function () {
      const option = document.getElementById(text.dataset.otherOption);
      if (option && text.value.trim() && !option.checked) {
        option.checked = true;
        update();
      }
    });
  });

  const summary = document.getElementById("error-summary");
  if (summary && document.activeElement !== summary) summary.focus();
})();
