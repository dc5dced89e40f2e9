"""Unit costs: what handling one request costs, in integer rials, per service of a department or
as the department's default, each from a day on.

The price list in force on a day keeps, for every department and service, the row with the
latest ``valid_from`` not after that day; a service without its own price takes its
department's default. ``pishkhan_service_unit_cost`` (the center's default, ``trylast``) answers
from the list in force today, or from the one the showback report is valuing a period with
(``valuing``), so the report asks the hook per service without a query each time.
"""
from __future__ import annotations

import contextlib
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.i18n import _
from plugins.shared_services.errors import Refused
from plugins.shared_services.models import UnitCost

MAX_RIALS = 10**15  # a thousand billion tomans: more is a typing mistake


@dataclass(frozen=True)
class PriceList:
    day: date
    prices: dict[tuple[int, str | None], int]  # (department id, service key or None) → rials

    @classmethod
    def on(cls, dbsession: Session, day: date) -> PriceList:
        prices: dict[tuple[int, str | None], int] = {}
        rows = dbsession.execute(select(UnitCost.department_id, UnitCost.service_key, UnitCost.cost_rials)
                                 .where(UnitCost.valid_from <= day).order_by(UnitCost.valid_from, UnitCost.id))
        for department_id, service_key, rials in rows:
            prices[(department_id, service_key)] = rials  # a later valid_from replaces an earlier one
        return cls(day, prices)

    def cost(self, service_key: str | None, department_id: int) -> int | None:
        if service_key is not None and (department_id, service_key) in self.prices:
            return self.prices[(department_id, service_key)]
        return self.prices.get((department_id, None))


_valuing: ContextVar[PriceList | None] = ContextVar("ssc_price_list", default=None)


@contextlib.contextmanager
def valuing(prices: PriceList):
    """Answer ``pishkhan_service_unit_cost`` from ``prices`` inside the block."""
    token = _valuing.set(prices)
    try:
        yield prices
    finally:
        _valuing.reset(token)


def default_unit_cost(dbsession: Session, service_key: str | None, department_id: int, today: date) -> int | None:
    prices = _valuing.get() or PriceList.on(dbsession, today)
    return prices.cost(service_key, department_id)


def add_unit_cost(dbsession: Session, *, department_id: int, service_key: str | None, service_title: str,
                  cost_rials: int, valid_from: date, actor_id: int | None, now: datetime) -> UnitCost:
    """A new price from ``valid_from`` on; a price of the same scope and day is replaced."""
    if cost_rials < 0:
        raise Refused("cost_rials", _("A unit cost cannot be negative."))
    if cost_rials > MAX_RIALS:
        raise Refused("cost_rials", _("This cost is too large; write it in rials without separators."))
    scope = UnitCost.service_key.is_(None) if service_key is None else UnitCost.service_key == service_key
    row = dbsession.scalar(select(UnitCost).where(UnitCost.department_id == department_id, scope,
                                                  UnitCost.valid_from == valid_from))
    if row is None:
        row = UnitCost(department_id=department_id, service_key=service_key, valid_from=valid_from)
        dbsession.add(row)
    row.service_title = service_title
    row.cost_rials = cost_rials
    row.updated_at, row.updated_by_id = now, actor_id
    dbsession.flush()
    return row
