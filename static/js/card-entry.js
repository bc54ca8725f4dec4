// Card entry without page loads: progressive enhancement of the form in
// templates/votes/batches/_card_entry.html (first entry and check entry alike).
//
// Without this script the form posts and the page reloads; keys typed during the reload are
// lost. With it, Enter takes the card's values, empties the fields at once (so the next card
// can be typed straight away) and queues the card; cards are sent one after another and the
// server answers JSON (mitwirkung/votes/paper/entry.py).
//
// Nothing the person types is ever moved or dropped: the script changes a field only when
// Enter was pressed, when the person asks for it (the "Correct this card" button), or to put
// the proposed card number into an empty card-number field. A refused card never takes over
// the form by itself (the keys typed for the next card would land in it): it is listed
// above the form with its errors, announced, and the button puts it back into the form
// with the errors in place, keeping what was typed for the next card until it is saved.
(function () {
  "use strict";

  const section = document.querySelector("[data-card-entry]");
  const form = section && section.querySelector("form[data-card-form]");
  const modern = window.fetch && window.URLSearchParams &&
    "content" in document.createElement("template");
  if (!form || !modern) return; // the plain form works as it is
  const serial = form.elements.namedItem("serial");
  const token = form.elements.namedItem("csrf_token");
  const status = document.getElementById("entry-status");
  const refusedBox = document.getElementById("refused-cards");
  const note = document.getElementById(serial.id + "-note");
  const countLine = document.getElementById("card-count");
  const enteredCards = document.getElementById("entered-cards");
  const unsentTemplate = document.getElementById("unsent-card");

  const queue = []; // cards waiting to be sent, oldest first: {values}
  const refused = []; // cards the server did not save: {values, errors, summary, notice}
  let sending = false;
  let correcting = null; // the refused card now in the form
  let draft = null; // what was typed for the next card while a refused one is corrected
  let lastField = serial; // the field the person was in before pressing a button
  // Whether a key went into the card since the last Enter: a second Enter (a double tap)
  // must not save the proposed number as a card without answers.
  let typed = false;
  let pattern = toPattern(section.dataset.pattern);
  let patternWarning = section.dataset.patternWarning || "";
  let savedNote = note ? note.innerHTML.trim() : ""; // about the card saved last
  if (note) note.dataset.shown = savedNote;

  function toPattern(source) {
    try {
      return source ? new RegExp(source, "i") : null;
    } catch (error) {
      return null;
    }
  }

  function fields() {
    return Array.from(form.querySelectorAll("input:not([type=hidden]), textarea, select"));
  }

  function valuesNow() {
    const values = {};
    for (const field of fields()) values[field.name] = field.value;
    return values;
  }

  function fill(values) {
    for (const field of fields()) field.value = values[field.name] || "";
  }

  function isEmpty(values) {
    return Object.values(values).every((value) => !value.trim());
  }

  function fromHTML(html) {
    const template = document.createElement("template");
    template.innerHTML = (html || "").trim();
    return template.content.firstElementChild;
  }

  // Errors in place: the summary above the form, each message beside its field.
  function clearErrors() {
    const summary = section.querySelector(".error-summary");
    if (summary) summary.remove();
    for (const field of fields()) {
      const message = document.getElementById(field.id + "-error");
      if (message) message.remove();
      field.removeAttribute("aria-invalid");
      const described = (field.getAttribute("aria-describedby") || "").split(" ")
        .filter((id) => id && id !== field.id + "-error");
      if (described.length) field.setAttribute("aria-describedby", described.join(" "));
      else field.removeAttribute("aria-describedby");
      if (field.parentElement) field.parentElement.classList.remove("has-error");
    }
  }

  function showErrors(card) {
    clearErrors();
    const summary = fromHTML(card.summary);
    if (summary) form.parentElement.insertBefore(summary, form);
    let first = null;
    for (const field of fields()) {
      const messages = card.errors[field.id];
      if (!messages || !messages.length) continue;
      const message = document.createElement("p");
      message.className = "error";
      message.id = field.id + "-error";
      message.textContent = messages.join(" ");
      field.parentElement.insertBefore(message, field);
      field.parentElement.classList.add("has-error");
      field.setAttribute("aria-invalid", "true");
      const described = (field.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      described.push(message.id);
      field.setAttribute("aria-describedby", described.join(" "));
      first = first || field;
    }
    return first;
  }

  // The note beside the card number: the card saved last, if its number looked unusual, and
  // the number typed now, once it is complete (the field was left), if it does not look
  // like the batch's others; a warning, never a refusal.
  let typedMisfits = false;

  function misfits() {
    const number = serial.value.trim();
    return Boolean(pattern && patternWarning && number && !pattern.test(number));
  }

  function showNote() {
    if (!note) return;
    const wanted = savedNote + (typedMisfits ? "\n" + patternWarning : "");
    if (note.dataset.shown === wanted) return; // unchanged: no second announcement
    note.dataset.shown = wanted;
    note.innerHTML = savedNote;
    if (typedMisfits) {
      const warning = document.createElement("p");
      warning.className = "warning";
      warning.textContent = patternWarning;
      note.appendChild(warning);
    }
  }

  function focusEnd(field) {
    field.focus();
    const end = field.value.length;
    if (field.setSelectionRange) field.setSelectionRange(end, end);
  }

  form.addEventListener("input", () => {
    typed = true;
  });

  form.addEventListener("focusin", (event) => {
    if (event.target.name && event.target.type !== "hidden") lastField = event.target;
  });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const values = valuesNow();
    if (!typed && !correcting) {
      if (!isEmpty(values)) status.textContent = section.dataset.nothingTyped || "";
      return; // Enter on a card nothing was typed into: nothing to send
    }
    queue.push({ values: values });
    clearErrors();
    if (draft) {
      // Back to the card that was being typed when the refused one was called up.
      fill(draft.values);
      const field = form.elements.namedItem(draft.field) || serial;
      typed = draft.typed;
      draft = null;
      correcting = null;
      focusEnd(field);
    } else {
      correcting = null;
      typed = false;
      fill({});
      serial.focus();
    }
    typedMisfits = false;
    showNote();
    send();
  });

  serial.addEventListener("change", () => {
    typedMisfits = misfits();
    showNote();
  });
  serial.addEventListener("input", () => {
    // Take a warning back as soon as the number fits; never raise one while typing.
    if (typedMisfits && !misfits()) {
      typedMisfits = false;
      showNote();
    }
  });

  async function send() {
    if (sending) return;
    sending = true;
    while (queue.length) {
      const card = queue[0];
      const body = new URLSearchParams();
      if (token) body.append("csrf_token", token.value);
      for (const [name, value] of Object.entries(card.values)) body.append(name, value);
      let answer = null;
      try {
        const response = await fetch(form.action, {
          method: "POST",
          body: body,
          headers: { Accept: "application/json" },
          credentials: "same-origin",
          redirect: "error", // a redirect means the session ended: the login page is no answer
        });
        if ((response.headers.get("Content-Type") || "").includes("application/json")) {
          answer = await response.json();
        }
      } catch (error) {
        answer = null;
      }
      queue.shift();
      if (answer && answer.saved) saved(answer);
      else refuse(card, answer);
    }
    sending = false;
  }

  function saved(answer) {
    status.textContent = answer.message + " " + answer.count_text + ".";
    if (countLine) countLine.textContent = answer.count_text;
    if (enteredCards) enteredCards.innerHTML = answer.cards;
    pattern = toPattern(answer.pattern);
    patternWarning = answer.pattern_warning || "";
    savedNote = (answer.note || "").trim();
    // The proposal goes only into an empty number field of a fresh card, selected, so that
    // typing replaces it and Tab keeps it.
    if (!queue.length && !correcting && answer.proposal && serial.value === "") {
      serial.value = answer.proposal;
      if (document.activeElement === serial) serial.select();
    }
    if (typedMisfits) typedMisfits = misfits(); // measured again against the new pattern
    showNote();
  }

  function refuse(card, answer) {
    let notice = answer && fromHTML(answer.notice);
    if (!notice) {
      notice = unsentTemplate.content.firstElementChild.cloneNode(true);
      for (const place of notice.querySelectorAll("[data-serial]")) {
        place.textContent = (card.values.serial || "").trim() || "–";
      }
    }
    const entry = {
      values: card.values,
      errors: (answer && answer.errors) || {},
      summary: (answer && answer.summary) || "",
      notice: notice,
    };
    notice.querySelector("[data-correct]").addEventListener("click", () => correct(entry));
    refused.push(entry);
    refusedBox.appendChild(notice);
  }

  // Put a refused card back into the form, errors in place, the cursor in its first wrong
  // field; what was typed for the next card waits until the corrected card is sent.
  function correct(entry) {
    if (correcting) {
      correcting.values = valuesNow(); // the card being corrected goes back to the list
      refused.push(correcting);
      refusedBox.appendChild(correcting.notice);
    } else {
      const now = valuesNow();
      draft = isEmpty(now) ? null : { values: now, field: lastField.name, typed: typed };
    }
    refused.splice(refused.indexOf(entry), 1);
    entry.notice.remove();
    correcting = entry;
    typed = true;
    fill(entry.values);
    typedMisfits = false;
    showNote();
    const first = showErrors(entry) || serial;
    first.focus();
    if (first.select) first.select();
  }

  window.addEventListener("beforeunload", (event) => {
    if (queue.length || refused.length || correcting) {
      event.preventDefault();
      event.returnValue = section.dataset.leaveWarning || "";
    }
  });

  // With this script the cursor starts in the card number, a proposal selected, as after
  // every saved card; only if the person has not started typing elsewhere.
  const proposal = section.dataset.proposal;
  const active = document.activeElement;
  const untouched = !active || active === document.body ||
    (form.contains(active) && active !== serial && !active.value);
  const refusedPage = section.querySelector(".error-summary");
  if (proposal && serial.value === proposal && untouched && !refusedPage) {
    serial.focus();
    serial.select();
  }
})();
