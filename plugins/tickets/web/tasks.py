"""``/desk/tasks``: the open fulfilment tasks of my teams, oldest first, a page at a time (keyset
on the task id). Each is marked done on its ticket's page (``/desk/tickets/{id}/task``)."""
from __future__ import annotations

import re

from pyramid.view import view_config
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from core.models import TeamMember
from plugins.tickets.models import Task, Ticket

TASKS_PER_PAGE = 50


@view_config(route_name="tickets.tasks", request_method="GET", permission="workspace",
             renderer="plugins.tickets:templates/tasks/mine.jinja2")
def my_tasks(request) -> dict:
    after = request.GET.get("after", "")
    statement = (
        select(Task).join(Ticket, Ticket.id == Task.ticket_id)
        .options(joinedload(Task.team), joinedload(Task.ticket))
        .where(Task.is_done.is_(False),
               Task.team_id.in_(select(TeamMember.team_id).where(TeamMember.user_id == request.user.id)),
               Ticket.status.not_in(("resolved", "closed", "cancelled")))
        .order_by(Task.id).limit(TASKS_PER_PAGE + 1)
    )
    if re.fullmatch(r"[0-9]{1,10}", after):
        statement = statement.where(Task.id > int(after))
    tasks = request.dbsession.scalars(statement).all()
    next_url = None
    if len(tasks) > TASKS_PER_PAGE:
        tasks = tasks[:TASKS_PER_PAGE]
        next_url = request.route_url("tickets.tasks", _query={"after": tasks[-1].id})
    return {"tasks": tasks, "next_url": next_url}
