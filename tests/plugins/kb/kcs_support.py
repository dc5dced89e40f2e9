"""Helpers of the KCS and reports tests: demo tickets through the tickets plugin's desk (tests may
use the tickets plugin; the kb plugin's code never does) and articles as authors leave them."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from itertools import count

from sqlalchemy import select

from core.models import Department, User
from plugins.kb.models import Article, Audience, State
from plugins.tickets.desk import NewTicket, TicketDesk
from plugins.tickets.models import Category, Ticket

_keys = count(1)


def department(dbsession, code: str) -> Department:
    return dbsession.scalar(select(Department).where(Department.code == code))


def user(dbsession, username: str) -> User:
    return dbsession.scalar(select(User).where(User.username == username))


def desk(dbsession, settings, pluginmanager, username: str | None, now: datetime | None = None) -> TicketDesk:
    actor = user(dbsession, username) if username else None
    return TicketDesk(dbsession, settings, pluginmanager.hook, actor, "portal", now=now)


def open_ticket(dbsession, settings, pluginmanager, code: str = "it", **overrides) -> Ticket:
    dept = department(dbsession, code)
    category = dbsession.scalar(select(Category.id).where(Category.department_id == dept.id).limit(1))
    values = dict(subject="چاپگر طبقه دوم کاغذ را گیر می‌اندازد", department_id=dept.id,
                  description="هر بار که چاپ می‌زنم کاغذ وسط دستگاه گیر می‌کند.",
                  service_key=f"category:{category}", guest_name="رضا امینی", guest_mobile="09121234567")
    values.update(overrides)
    return desk(dbsession, settings, pluginmanager, None).open(NewTicket(**values))


def resolve(dbsession, settings, pluginmanager, ticket: Ticket, username: str = "agent",
            note: str = "سینی کاغذ را بیرون آوردیم و غلتک را تمیز کردیم.", now: datetime | None = None) -> None:
    desk(dbsession, settings, pluginmanager, username, now=now).transition(
        ticket, "resolve", resolution_code="solved", note=note)


def article(dbsession, code: str = "it", title: str = "مقاله", owner: str | None = None,
            state: str = State.published.value, audience: str = Audience.public.value,
            next_review_on: date | None = None, **counters) -> Article:
    """An article row as the authors' pages would leave it (counters set as the events would)."""
    row = Article(key=f"test-{next(_keys)}", department_id=department(dbsession, code).id, title=title,
                  summary="", body="", audience=audience, state=state, version=1,
                  owner_id=user(dbsession, owner).id if owner else None,
                  next_review_on=next_review_on or date.today() + timedelta(days=180), **counters)
    dbsession.add(row)
    dbsession.flush()
    return row


def form_fields(form) -> dict:
    """A form's hidden fields, as the browser would send them."""
    return {field["name"]: field.get("value", "") for field in form.find_all("input", type="hidden")}


def find_form(page, action_pattern: str, **hidden):
    """The form whose action matches and whose hidden fields have the given values."""
    for form in page.html.find_all("form", action=re.compile(action_pattern)):
        fields = form_fields(form)
        if all(fields.get(name) == str(value) for name, value in hidden.items()):
            return form
    raise AssertionError(f"no form {action_pattern} with {hidden}")
