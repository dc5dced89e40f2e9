"""Reporting periods in Jalali months: this month, last month, the last three months, or a range
of Jalali days someone types. Periods are Tehran days, both ends included."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import colander
import jdatetime

from core.forms import JalaliDate
from core.i18n import _
from core.schemas import CHOOSE_FROM_LIST

CHOICES = {
    "this_month": _("This month"),
    "last_month": _("Last month"),
    "last_3_months": _("Last 3 months"),
    "range": _("Dates"),
}
DEFAULT = "this_month"
LONGEST_DAYS = 3 * 366


@dataclass(frozen=True)
class Period:
    choice: str
    start: date
    end: date  # included

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def is_over(self, today: date) -> bool:
        return self.end < today

    def overlap(self, valid_from: date, valid_until: date | None) -> tuple[date, date] | None:
        """The days of the period inside ``[valid_from, valid_until]``, or ``None``."""
        start = max(self.start, valid_from)
        end = self.end if valid_until is None else min(self.end, valid_until)
        return (start, end) if start <= end else None


def month_start(day: jdatetime.date) -> jdatetime.date:
    return jdatetime.date(day.year, day.month, 1)


def months_back(day: jdatetime.date, count: int) -> jdatetime.date:
    """The first day of the Jalali month ``count`` months before ``day``'s."""
    index = day.year * 12 + day.month - 1 - count
    return jdatetime.date(index // 12, index % 12 + 1, 1)


def named_period(choice: str, today: date) -> Period:
    jalali_today = jdatetime.date.fromgregorian(date=today)
    if choice == "last_month":
        first = months_back(jalali_today, 1)
        return Period(choice, first.togregorian(), month_start(jalali_today).togregorian() - timedelta(days=1))
    if choice == "last_3_months":
        return Period(choice, months_back(jalali_today, 2).togregorian(), today)
    return Period(DEFAULT, month_start(jalali_today).togregorian(), today)


class PeriodSchema(colander.Schema):
    """The period picker of the reports (a GET form)."""

    period = colander.SchemaNode(colander.String(), missing=DEFAULT,
                                 validator=colander.OneOf(list(CHOICES), msg_err=CHOOSE_FROM_LIST))
    start = colander.SchemaNode(JalaliDate(), missing=None)
    end = colander.SchemaNode(JalaliDate(), missing=None)

    def validator(self, node, values):
        if values["period"] != "range":
            return
        error = colander.Invalid(node)
        if values["start"] is None:
            error["start"] = _("Give the first day of the period.")
        if values["end"] is None:
            error["end"] = _("Give the last day of the period.")
        if values["start"] and values["end"]:
            if values["end"] < values["start"]:
                error["end"] = _("The end date is before the start date.")
            elif (values["end"] - values["start"]).days >= LONGEST_DAYS:
                error["end"] = _("Choose a period of at most three years.")
        if error.children:
            raise error


def period_from(params, today: date) -> tuple[Period, dict[str, str]]:
    """The period asked for in ``params`` (a request's GET), and the errors of what was typed
    (field → message); with errors, this month."""
    wanted = {key: params.get(key, "") for key in ("period", "start", "end")}
    wanted = {key: value for key, value in wanted.items() if value}
    try:
        values = PeriodSchema().deserialize(wanted)
    except colander.Invalid as invalid:
        return named_period(DEFAULT, today), {child.node.name: child.msg for child in invalid.children}
    if values["period"] == "range":
        return Period("range", values["start"], values["end"]), {}
    return named_period(values["period"], today), {}
