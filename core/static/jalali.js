/* Pishkhan: a Jalali calendar for every input marked data-jalali-date (core.forms.JalaliDateWidget).
 *
 * Focusing the input opens a month grid under it: Saturday-first weeks, Persian month names and
 * digits on a Persian page (<html lang="fa">), the months' names in Latin letters, English weekdays
 * and Latin digits on an English one. Arrow keys move the highlighted day (on a Persian page the
 * grid is right-to-left, so ArrowLeft is the next day), PageUp/PageDown change the month, Enter
 * writes the day as yyyy/mm/dd in the page's digits and Escape closes. Focus stays in the input, so typing a date by hand always works too; the server
 * reads Persian, Arabic and Latin digits alike. Plain JavaScript, no library.
 */
(function () {
  "use strict";

  var LABELS = {
    fa: {
      months: ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
               "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند"],
      weekdays: [["ش", "شنبه"], ["ی", "یکشنبه"], ["د", "دوشنبه"], ["س", "سه‌شنبه"],
                 ["چ", "چهارشنبه"], ["پ", "پنجشنبه"], ["ج", "جمعه"]],
      previous: "ماه قبل", next: "ماه بعد", calendar: "تقویم", dir: "rtl"
    },
    en: {
      months: ["Farvardin", "Ordibehesht", "Khordad", "Tir", "Mordad", "Shahrivar",
               "Mehr", "Aban", "Azar", "Dey", "Bahman", "Esfand"],
      weekdays: [["Sa", "Saturday"], ["Su", "Sunday"], ["Mo", "Monday"], ["Tu", "Tuesday"],
                 ["We", "Wednesday"], ["Th", "Thursday"], ["Fr", "Friday"]],
      previous: "Previous month", next: "Next month", calendar: "Calendar", dir: "ltr"
    }
  };
  var DAY_MS = 86400000;

  /* --- The calendar arithmetic -------------------------------------------------------------
   * Days are counted from 1 Farvardin of year 1. Leap years follow the 33-year arithmetic rule
   * (8 leap years in every 33), which matches the astronomical calendar from 1178 to 1633 AP.
   */
  function mod(a, b) { return ((a % b) + b) % b; }

  function isLeap(year) { return mod(25 * year + 11, 33) < 8; }

  /* The first day of `year`: 365 days a year, plus one for each leap year before it. Under the
   * 33-year rule, floor((8 * year + 21) / 33) is exactly that number of leap years. */
  function yearStart(year) { return 365 * (year - 1) + Math.floor((8 * year + 21) / 33); }

  /* Days before `month` in a year: six months of 31 days, five of 30, then Esfand. */
  function monthOffset(month) { return month <= 7 ? 31 * (month - 1) : 186 + 30 * (month - 7); }

  function monthLength(year, month) {
    if (month <= 6) { return 31; }
    if (month <= 11) { return 30; }
    return isLeap(year) ? 30 : 29;
  }

  function dayNumber(date) { return yearStart(date.year) + monthOffset(date.month) + date.day - 1; }

  function fromDayNumber(days) {
    var year = Math.floor(days / 365.2425) + 1;
    while (yearStart(year + 1) <= days) { year += 1; }
    while (yearStart(year) > days) { year -= 1; }
    var dayOfYear = days - yearStart(year);
    var month = dayOfYear < 186 ? Math.floor(dayOfYear / 31) + 1 : Math.floor((dayOfYear - 186) / 30) + 7;
    return {year: year, month: month, day: dayOfYear - monthOffset(month) + 1};
  }

  /* The Gregorian side counts days from 1970-01-01 with Date.UTC; 1 Farvardin 1404 was 21 March 2025. */
  var UNIX_OFFSET = Date.UTC(2025, 2, 21) / DAY_MS - dayNumber({year: 1404, month: 1, day: 1});

  function toGregorian(date) {
    var moment = new Date((dayNumber(date) + UNIX_OFFSET) * DAY_MS);
    return {year: moment.getUTCFullYear(), month: moment.getUTCMonth() + 1, day: moment.getUTCDate()};
  }

  function fromGregorian(year, month, day) {
    return fromDayNumber(Date.UTC(year, month - 1, day) / DAY_MS - UNIX_OFFSET);
  }

  /* 0 for Saturday … 6 for Friday. */
  function weekday(date) {
    return mod(new Date((dayNumber(date) + UNIX_OFFSET) * DAY_MS).getUTCDay() + 1, 7);
  }

  function addDays(date, count) { return fromDayNumber(dayNumber(date) + count); }

  function addMonths(date, count) {
    var index = date.year * 12 + date.month - 1 + count;
    var year = Math.floor(index / 12);
    var month = index - year * 12 + 1;
    return {year: year, month: month, day: Math.min(date.day, monthLength(year, month))};
  }

  function sameDay(a, b) { return !!a && !!b && a.year === b.year && a.month === b.month && a.day === b.day; }

  /* --- Digits and text -------------------------------------------------------------------- */
  function persianDigits(text) {
    return String(text).replace(/[0-9]/g, function (digit) { return String.fromCharCode(0x06f0 + Number(digit)); });
  }

  function latinDigits(text) {
    return String(text).replace(/[\u06f0-\u06f9\u0660-\u0669]/g, function (digit) {
      var code = digit.charCodeAt(0);
      return String(code >= 0x06f0 ? code - 0x06f0 : code - 0x0660);
    });
  }

  function pad(number, width) { return ("0000" + number).slice(-width); }

  /* The page's digits: Persian on a Persian page, Latin on an English one. */
  function digits(text) { return labels().dir === "rtl" ? persianDigits(text) : String(text); }

  function format(date) { return digits(pad(date.year, 4) + "/" + pad(date.month, 2) + "/" + pad(date.day, 2)); }

  /* "۱۴۰۵/۰۹/۰۳", "1405-9-3", "١٤٠٥/٠٩/٠٣" → {year, month, day}; null when it is not a date. */
  function parse(text) {
    var match = /^(\d{1,4})[/-](\d{1,2})[/-](\d{1,2})$/.exec(latinDigits(text).trim());
    if (!match) { return null; }
    var date = {year: Number(match[1]), month: Number(match[2]), day: Number(match[3])};
    if (date.year < 1 || date.month < 1 || date.month > 12 || date.day < 1 || date.day > monthLength(date.year, date.month)) {
      return null;
    }
    return date;
  }

  function today() {
    var now = new Date();
    return fromGregorian(now.getFullYear(), now.getMonth() + 1, now.getDate());
  }

  function labels() { return LABELS[document.documentElement.lang === "en" ? "en" : "fa"]; }

  /* --- The picker ------------------------------------------------------------------------- */
  var picker = null;  // {input, popup, active (the highlighted day), chosen (the input's day)}
  var counter = 0;

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function monthButton(step, glyph, label) {
    var button = element("button", "btn btn-sm btn-outline-secondary", glyph);
    button.type = "button";
    button.tabIndex = -1;
    button.setAttribute("data-step", String(step));
    button.setAttribute("aria-label", label);
    return button;
  }

  function dayId(date) { return picker.popup.id + "-" + date.day; }

  function render() {
    var popup = picker.popup;
    var active = picker.active;
    var words = labels();
    var title = words.months[active.month - 1] + " " + digits(active.year);
    popup.textContent = "";

    var header = element("div", "d-flex align-items-center justify-content-between gap-2 mb-2");
    // The earlier month comes first: on the right behind "›" right-to-left, on the left behind "‹".
    var rtl = words.dir === "rtl";
    header.appendChild(monthButton(-1, rtl ? "›" : "‹", words.previous));
    var caption = element("strong", "", title);
    caption.setAttribute("aria-live", "polite");
    header.appendChild(caption);
    header.appendChild(monthButton(1, rtl ? "‹" : "›", words.next));
    popup.appendChild(header);

    var grid = element("table", "table table-sm table-borderless text-center mb-0");
    grid.setAttribute("role", "grid");
    grid.setAttribute("aria-label", title);
    var head = grid.createTHead().insertRow();
    words.weekdays.forEach(function (name) {
      var cell = element("th", "small text-muted fw-normal", name[0]);
      cell.scope = "col";
      cell.abbr = name[1];
      head.appendChild(cell);
    });
    var body = grid.createTBody();
    var first = {year: active.year, month: active.month, day: 1};
    var row = body.insertRow();
    for (var blank = weekday(first); blank > 0; blank -= 1) { row.insertCell(); }
    var now = today();
    for (var day = 1; day <= monthLength(active.year, active.month); day += 1) {
      if (row.cells.length === 7) { row = body.insertRow(); }
      var date = {year: active.year, month: active.month, day: day};
      var button = element("button", "day btn btn-sm", digits(day));
      button.type = "button";
      button.tabIndex = -1;
      button.id = dayId(date);
      button.setAttribute("data-day", String(day));
      button.setAttribute("aria-label", digits(day) + " " + title);
      button.classList.add(sameDay(date, active) ? "btn-primary" : sameDay(date, picker.chosen) ? "btn-outline-primary" : "btn-light");
      if (sameDay(date, now)) {
        button.classList.add("fw-bold");
        button.setAttribute("aria-current", "date");
      }
      var cell = row.insertCell();
      cell.setAttribute("role", "gridcell");
      cell.setAttribute("aria-selected", sameDay(date, picker.chosen) ? "true" : "false");
      cell.appendChild(button);
    }
    popup.appendChild(grid);
    picker.input.setAttribute("aria-activedescendant", dayId(active));
  }

  function place() {
    var rect = picker.input.getBoundingClientRect();
    var popup = picker.popup;
    var rtl = getComputedStyle(picker.input.parentNode).direction === "rtl";
    popup.style.top = (rect.bottom + window.scrollY + 4) + "px";
    var left = rtl ? rect.right - popup.offsetWidth : rect.left;
    popup.style.left = Math.max(4, left + window.scrollX) + "px";
  }

  function open(input) {
    if (picker && picker.input === input) { return; }
    close();
    var popup = element("div", "jalali-picker card shadow p-2");
    popup.id = "jalali-picker-" + (counter += 1);
    popup.setAttribute("dir", labels().dir);
    popup.setAttribute("lang", labels().dir === "rtl" ? "fa" : "en");
    popup.setAttribute("aria-label", labels().calendar);
    // Clicks in the calendar must not take the focus away from the input (that would close it).
    popup.addEventListener("mousedown", function (event) { event.preventDefault(); });
    popup.addEventListener("click", onClick);
    document.body.appendChild(popup);
    var chosen = parse(input.value);
    picker = {input: input, popup: popup, chosen: chosen, active: chosen || today()};
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-haspopup", "grid");
    input.setAttribute("aria-expanded", "true");
    input.setAttribute("aria-controls", popup.id);
    render();
    place();
  }

  function close() {
    if (!picker) { return; }
    picker.popup.remove();
    picker.input.setAttribute("aria-expanded", "false");
    picker.input.removeAttribute("aria-activedescendant");
    picker = null;
  }

  function pick(date) {
    var input = picker.input;
    input.value = format(date);
    close();
    input.dispatchEvent(new Event("input", {bubbles: true}));
    input.dispatchEvent(new Event("change", {bubbles: true}));
  }

  function show(date) {
    picker.active = date;
    render();
  }

  function onClick(event) {
    var target = event.target.closest("button");
    if (!target || !picker) { return; }
    if (target.hasAttribute("data-step")) {
      show(addMonths(picker.active, Number(target.getAttribute("data-step"))));
    } else if (target.hasAttribute("data-day")) {
      pick({year: picker.active.year, month: picker.active.month, day: Number(target.getAttribute("data-day"))});
    }
  }

  /* Right-to-left, the next day is on the left. */
  function moves() {
    var rtl = labels().dir === "rtl";
    return {ArrowLeft: rtl ? 1 : -1, ArrowRight: rtl ? -1 : 1, ArrowDown: 7, ArrowUp: -7};
  }

  function onKeydown(event) {
    var input = event.target;
    if (!picker || picker.input !== input) {
      if (event.key === "ArrowDown") {
        open(input);
        event.preventDefault();
      }
      return;
    }
    var move = moves()[event.key];
    if (move) {
      show(addDays(picker.active, move));
    } else if (event.key === "PageUp" || event.key === "PageDown") {
      show(addMonths(picker.active, event.key === "PageDown" ? 1 : -1));
    } else if (event.key === "Enter") {
      pick(picker.active);
    } else if (event.key === "Escape") {
      close();
    } else {
      return;
    }
    event.preventDefault();
  }

  function isDateInput(node) { return node instanceof HTMLInputElement && node.hasAttribute("data-jalali-date"); }

  document.addEventListener("focusin", function (event) {
    if (isDateInput(event.target)) { open(event.target); }
  });
  document.addEventListener("click", function (event) {
    if (isDateInput(event.target)) { open(event.target); }
  });
  document.addEventListener("focusout", function (event) {
    if (picker && event.target === picker.input) { close(); }
  });
  document.addEventListener("keydown", function (event) {
    if (isDateInput(event.target)) { onKeydown(event); }
  });
  document.addEventListener("input", function (event) {
    // A date typed by hand moves the calendar to it.
    if (picker && event.target === picker.input) {
      var typed = parse(picker.input.value);
      if (typed) {
        picker.chosen = typed;
        show(typed);
      }
    }
  });
  window.addEventListener("resize", close);

  window.PishkhanJalali = {
    toGregorian: toGregorian, fromGregorian: fromGregorian, parse: parse, format: format, isLeap: isLeap
  };
}());
