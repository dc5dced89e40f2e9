"""Fulfilment tasks of a request: asked for once it is approved (or at once when it needs no
approval), each for a team of the ticket's department; a member of that team marks it done with
a note, and the last one done resolves the ticket."""
from __future__ import annotations

from sqlalchemy import exists, select

from core.i18n import _
from core.models import Team, TeamMember, User
from core.plugins import flatten
from plugins.tickets.desk import DeskError
from plugins.tickets.lifecycle import ResolutionCode
from plugins.tickets.models import Task, Ticket

MAX_NOTE = 5000
FULFILLED = _("Every fulfilment task is done: the request was fulfilled.")


def begin(desk, ticket: Ticket) -> list[Task]:
    """Create the tasks the service's plugin names; a team the department does not have is
    replaced by the ticket's own team."""
    wanted = flatten(desk.hook.pishkhan_ticket_fulfilment(dbsession=desk.dbsession, ticket=ticket))
    if not wanted:
        return []
    teams = dict(desk.dbsession.execute(select(Team.name, Team.id)
                                        .where(Team.department_id == ticket.department_id)).all())
    tasks = [Task(ticket_id=ticket.id, position=position, title=task.title,
                  team_id=teams.get(task.team, ticket.team_id), is_done=False, created_at=desk.now, note="")
             for position, task in enumerate(wanted, start=1)]
    desk.dbsession.add_all(tasks)
    desk.dbsession.flush()
    desk.record(ticket, "tasks_created", tasks=[{"id": task.id, "title": task.title, "team": task.team_id}
                                                for task in tasks])
    return tasks


def tasks_of(dbsession, ticket_id: int) -> list[Task]:
    return list(dbsession.scalars(select(Task).where(Task.ticket_id == ticket_id).order_by(Task.position)))


def may_complete(dbsession, user: User | None, task: Task) -> bool:
    """Only a member of the task's team marks it done."""
    return user is not None and task.team_id is not None and bool(dbsession.scalar(select(exists().where(
        TeamMember.team_id == task.team_id, TeamMember.user_id == user.id))))


def complete(desk, task: Task, note: str) -> bool:
    """Mark ``task`` done; when it was the ticket's last open task, resolve the ticket. Returns
    whether the ticket was resolved."""
    note = (note or "").strip()
    if task.is_done:
        raise DeskError("already_done", _("This task is already done."))
    if not may_complete(desk.dbsession, desk.actor, task):
        raise DeskError("forbidden", _("Only a member of the task's team can mark it done."))
    if len(note) > MAX_NOTE:
        raise DeskError("too_long", _("This text is too long (at most ${max} characters).",
                                      mapping={"max": MAX_NOTE}), "note")
    ticket = desk.dbsession.get(Ticket, task.ticket_id)
    if not ticket.is_open:
        raise DeskError("invalid_transition", _("The request is no longer open."))
    task.is_done = True
    task.done_at = desk.now
    task.done_by_id = desk.actor.id
    task.note = note
    desk.dbsession.flush()
    desk.record(ticket, "task_done", task=task.id, title=task.title, note=note)
    remaining = desk.dbsession.scalar(select(exists().where(Task.ticket_id == ticket.id, Task.is_done.is_(False))))
    if remaining:
        return False
    from plugins.tickets.notifications import translate_for_organization

    desk.apply_transition(ticket, "resolve", resolution_code=ResolutionCode.fulfilled.value,
                          note=translate_for_organization(desk.settings, FULFILLED))
    return True
