"""The demo: the tickets' year reaches the center's facts through the ticket events as it is
played, and the center adds its agreements and unit costs (once), so its pages show real figures."""
from __future__ import annotations

from datetime import timedelta

import jdatetime
from sqlalchemy import func, select

from core.db import utcnow
from core.i18n import to_tehran
from plugins.shared_services import demo_data
from plugins.shared_services.models import Handoff, OlaAgreement, SlaAgreement, TicketFact, UnitCost
from plugins.tickets import demo
from plugins.tickets.models import Ticket
from tests.plugins.shared_services.conftest import sign_in, user
from tests.plugins.tickets.demo_requests_support import DemoRequests

SCALE = 0.04  # about 150 tickets over the year


def count(dbsession, model) -> int:
    return dbsession.scalar(select(func.count()).select_from(model))


def the_demo_year() -> dict[str, str]:
    """The period of the whole demo year: at this scale a customer unit has only a few requests,
    which a shorter period may miss, depending on the hour the demo is played."""
    today = to_tehran(utcnow()).date()
    start, end = (jdatetime.date.fromgregorian(date=day) for day in (today - timedelta(days=365), today))
    return {"period": "range", "start": start.strftime("%Y/%m/%d"), "end": end.strftime("%Y/%m/%d")}


def test_the_demo_year_fills_the_facts_and_the_pages(testapp, dbsession, org, settings, pluginmanager):
    pluginmanager.register_plugin(DemoRequests(), name="demo_requests")
    demo.load(dbsession, settings, scale=SCALE, hook=pluginmanager.hook)
    demo_data.populate(dbsession, pluginmanager.hook)
    tickets = count(dbsession, Ticket)
    assert tickets > 100 and count(dbsession, TicketFact) == tickets
    resolved = dbsession.scalar(select(func.count()).where(Ticket.resolved_at.is_not(None)))
    assert dbsession.scalar(select(func.count()).where(TicketFact.resolved_at.is_not(None))) == resolved
    escalated = dbsession.scalar(select(func.count()).where(Ticket.escalation_count > 0))
    assert count(dbsession, Handoff) >= escalated > 0
    assert count(dbsession, SlaAgreement) == 5 and count(dbsession, OlaAgreement) == 10
    assert count(dbsession, UnitCost) == 2 * (6 + 5)
    assert any(team.name == "میز خدمت یکپارچه" for team in user(dbsession, "ssc.desk").teams)
    demo_data.populate(dbsession, pluginmanager.hook)  # twice adds nothing
    assert count(dbsession, SlaAgreement) == 5 and count(dbsession, UnitCost) == 22

    sign_in(testapp, "director")
    page = testapp.get("/desk/ssc/agreements", the_demo_year())
    statuses = [badge["data-status"] for badge in page.html.select("[data-sla] [data-status]")]
    assert len(statuses) == 5 and set(statuses) & {"met", "at_risk", "missed"}
    showback = testapp.get("/desk/ssc/showback", the_demo_year())
    assert showback.html.find(attrs={"data-testid": "total-cost"}).get_text(strip=True) != "۰"
