"""Showback: what the requests of a period cost, per service and provider department and per
customer unit: volume × unit cost, in integer rials.

Volume is the requests received in the period (contact day), cancelled ones left out. The unit
cost of each service and department is asked of ``pishkhan_service_unit_cost`` once, valued with
the price list in force on the period's last day (today for a period still running); a
department's plugin may answer instead of the center's price list.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.i18n import _, format_date
from core.models import Department
from core.normalize import to_latin_digits
from plugins.shared_services.models import TicketFact
from plugins.shared_services.periods import Period
from plugins.shared_services.unit_costs import PriceList, valuing


@dataclass
class Line:
    """Requests of one service (or of one customer unit, or one provider department) and their cost."""

    key: tuple
    title: str
    department: str = ""
    volume: int = 0
    unit_cost: int | None = None
    cost: int = 0

    @property
    def cost_per_request(self) -> int | None:
        return round(self.cost / self.volume) if self.volume else None


@dataclass
class Report:
    period: Period
    priced_on: date
    services: list[Line] = field(default_factory=list)
    customers: list[Line] = field(default_factory=list)
    providers: list[Line] = field(default_factory=list)
    details: list[tuple[Line, str, int, int]] = field(default_factory=list)  # service line, customer, volume, cost
    volume: int = 0
    cost: int = 0
    unpriced: int = 0  # requests of services without a unit cost

    @property
    def cost_per_request(self) -> int | None:
        return round(self.cost / self.volume) if self.volume else None


def report(dbsession: Session, hook, period: Period, today: date, guests_title: str) -> Report:
    priced_on = min(period.end, today)
    names = dict(dbsession.execute(select(Department.id, Department.name)).all())
    rows = dbsession.execute(
        select(TicketFact.provider_department_id, TicketFact.service_key, TicketFact.customer_department_id,
               func.max(TicketFact.service_title), func.count())
        .where(TicketFact.contact_on >= period.start, TicketFact.contact_on <= period.end,
               TicketFact.status != "cancelled")
        .group_by(TicketFact.provider_department_id, TicketFact.service_key, TicketFact.customer_department_id)
    ).all()
    result = Report(period, priced_on)
    services: dict[tuple, Line] = {}
    customers: dict[int | None, Line] = {}
    providers: dict[int, Line] = {}
    with valuing(PriceList.on(dbsession, priced_on)):
        for provider_id, service_key, customer_id, title, volume in rows:
            line = services.get((provider_id, service_key))
            if line is None:
                unit_cost = hook.pishkhan_service_unit_cost(dbsession=dbsession, service_key=service_key,
                                                            department_id=provider_id)
                line = services[(provider_id, service_key)] = Line(
                    (provider_id, service_key), title or service_key or "", names.get(provider_id, ""),
                    unit_cost=int(unit_cost) if unit_cost is not None else None)
            cost = volume * (line.unit_cost or 0)
            line.volume += volume
            line.cost += cost
            customer = customers.setdefault(customer_id, Line((customer_id,), names.get(customer_id, guests_title)))
            provider = providers.setdefault(provider_id, Line((provider_id,), names.get(provider_id, "")))
            for total in (customer, provider):
                total.volume += volume
                total.cost += cost
            result.details.append((line, customer.title, volume, cost))
            result.volume += volume
            result.cost += cost
            if line.unit_cost is None:
                result.unpriced += volume
    result.services = sorted(services.values(), key=lambda line: (-line.cost, -line.volume, line.department,
                                                                  line.title))
    result.customers = sorted(customers.values(), key=lambda line: (-line.cost, -line.volume, line.title))
    result.providers = sorted(providers.values(), key=lambda line: (-line.cost, -line.volume, line.title))
    result.details.sort(key=lambda row: (row[0].department, row[0].title, row[1]))
    return result


NO_SERVICE = _("No service (complaints, suggestions, questions)")
CSV_HEADER = (_("From"), _("To"), _("Provider department"), _("Service key"), _("Service"), _("Customer unit"),
              _("Number of requests"), _("Unit cost (rials)"), _("Cost (rials)"))
CSV_TOTAL = _("Total")


def jalali(day: date) -> str:
    """``1405/09/01``: Jalali, with Latin digits that a spreadsheet reads as they are."""
    return to_latin_digits(format_date(day, "fa"))


def text_cell(value: str) -> str:
    """A text a spreadsheet will not run as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def to_csv(result: Report, translate) -> bytes:
    """The report's detail lines (service × customer unit) and a total, for Excel: UTF-8 with a
    byte-order mark, a header in the reader's language, Jalali dates, plain numbers."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([translate(title) for title in CSV_HEADER])
    start, end = jalali(result.period.start), jalali(result.period.end)
    for line, customer, volume, cost in result.details:
        writer.writerow((start, end, text_cell(line.department), text_cell(line.key[1] or ""),
                         text_cell(line.title or translate(NO_SERVICE)), text_cell(customer), volume,
                         "" if line.unit_cost is None else line.unit_cost, cost))
    writer.writerow((start, end, translate(CSV_TOTAL), "", "", "", result.volume, "", result.cost))
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")
