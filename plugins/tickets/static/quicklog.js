/* Pishkhan: the front-desk quick-log (plugins/tickets/web/quicklog.py), driven by the keyboard.
 *
 * The page is a plain form that works without this script; with it:
 * - in the search box, ArrowDown/ArrowUp move through the people found (htmx refreshes the list
 *   as the agent types), Enter picks the highlighted one and moves on to the service (or to the
 *   new person's name), Escape drops the highlight; Enter with nothing highlighted searches now;
 * - Enter in a one-line field moves to the next field instead of posting the form half-filled;
 * - Alt+S resolves on the spot, Alt+H hands off (by key position, so a Persian layout works too);
 * - the priority beside impact and urgency follows the matrix the server sent;
 * - a form is posted once, however many times the shortcut is pressed;
 * - when the desk refused the form, the first field marked invalid has the focus.
 * Plain JavaScript, no library besides htmx (optional).
 */
(function () {
  "use strict";

  function start() {
    var form = document.getElementById("quicklog");
    if (!form) { return; }
    var search = document.getElementById("q");
    var results = document.getElementById("people-results");
    var shortcuts = {KeyS: document.getElementById("resolve"), KeyH: document.getElementById("handoff")};
    var active = -1;

    function options() { return Array.prototype.slice.call(results.querySelectorAll("input[name=requester]")); }

    function highlight(index) {
      var list = options();
      active = index;
      list.forEach(function (input, i) { input.closest("label").classList.toggle("active", i === index); });
      if (index >= 0 && list[index]) {
        search.setAttribute("aria-activedescendant", list[index].id);
        list[index].closest("label").scrollIntoView({block: "nearest"});
      } else {
        search.removeAttribute("aria-activedescendant");
      }
    }

    function pick(input) {
      input.checked = true;
      highlight(-1);
      var next = input.value === "new" ? form.elements.guest_name : form.elements.service_key;
      if (next) { next.focus(); }
    }

    function searchNow() {
      if (window.htmx) { window.htmx.trigger(search, "search"); } else { form.requestSubmit(document.getElementById("find")); }
    }

    search.addEventListener("keydown", function (event) {
      var list = options();
      if ((event.key === "ArrowDown" || event.key === "ArrowUp") && list.length) {
        event.preventDefault();
        if (active < 0) {
          highlight(event.key === "ArrowDown" ? 0 : list.length - 1);
        } else {
          highlight((active + (event.key === "ArrowDown" ? 1 : -1) + list.length) % list.length);
        }
      } else if (event.key === "Enter") {
        event.preventDefault();
        if (active >= 0 && list[active]) { pick(list[active]); } else { searchNow(); }
      } else if (event.key === "Escape") {
        highlight(-1);
      }
    });
    results.addEventListener("htmx:afterSwap", function () { highlight(-1); });
    results.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && event.target.name === "requester") {
        event.preventDefault();
        pick(event.target);
      }
    });

    function nextField(field) {
      var fields = Array.prototype.filter.call(form.elements, function (element) {
        return !element.disabled && element.type !== "hidden" && element.type !== "radio" &&
          element.tagName !== "FIELDSET" && element.tabIndex >= 0 && element.offsetParent !== null;
      });
      return fields[fields.indexOf(field) + 1];
    }

    form.addEventListener("keydown", function (event) {
      var field = event.target;
      if (event.key !== "Enter" || field === search || field.tagName !== "INPUT" || field.type === "radio" ||
          field.hasAttribute("data-jalali-date")) { return; }
      event.preventDefault();
      var next = nextField(field);
      if (next) { next.focus(); }
    });

    document.addEventListener("keydown", function (event) {
      var button = event.altKey && !event.ctrlKey && !event.metaKey ? shortcuts[event.code] : null;
      if (!button) { return; }
      event.preventDefault();
      form.requestSubmit(button);
    });

    form.addEventListener("submit", function (event) {
      if (form.dataset.sending) { event.preventDefault(); return; }
      form.dataset.sending = "yes";
    });
    window.addEventListener("pageshow", function () { delete form.dataset.sending; });

    var invalid = form.querySelector(".is-invalid");
    if (invalid) { invalid.focus(); }

    var priorities = JSON.parse(form.dataset.priorities || "{}");
    var preview = document.getElementById("priority-preview");
    function showPriority() {
      var cell = priorities[form.elements.impact.value + "/" + form.elements.urgency.value];
      if (!cell) { return; }
      preview.textContent = cell.label;
      preview.className = "badge fs-6 text-bg-" + cell.color;
    }
    form.elements.impact.addEventListener("change", showPriority);
    form.elements.urgency.addEventListener("change", showPriority);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
