"""What the agent's ticket page shows besides the ticket row: the timeline (replies, internal
notes, attachments and history merged by time), the SLA clocks, the links, the people an agent
may assign or escalate to, canned responses and who else has the ticket open.

Each panel is one query whatever the ticket's length, so the page costs the same for a ticket
with three events as for one with three hundred.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from markupsafe import Markup
from sqlalchemy import and_, case, or_, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, joinedload
from translationstring import TranslationString

from core.contracts import TicketPanel
from core.i18n import _, format_number
from core.models import Department, Team, TeamMember, User
from core.notes import write_after_commit
from core.plugins import flatten, ordered
from core.security import STAFF_ROLES
from plugins.tickets import labels
from plugins.tickets.models import (
    Approval,
    Attachment,
    CannedResponse,
    Comment,
    SlaClock,
    Task,
    Ticket,
    TicketEvent,
    TicketLink,
    TicketView,
)
from plugins.tickets.sla.ticket_clocks import business_calendar

# Someone whose page polled within this window still has the ticket open.
VIEWER_WINDOW = timedelta(minutes=2)
VIEWER_REFRESH = timedelta(seconds=30)  # the page polls every 30 s; a fresher mark needs no write
# Comments are shown by their own entry; the history's "commented" line would say it twice.
EVENTS_SHOWN_ELSEWHERE = ("commented",)
# Event data keys that name a person or a team, resolved to names in one query each.
USER_KEYS = {"assigned": ("from", "to"), "approval_requested": ("approver",), "approval_reminded": ("approver",)}
TEAM_KEYS = {"escalated": ("from_team", "to_team"), "transferred": ("from_team", "to_team")}
DEPARTMENT_KEYS = {"transferred": ("from_department", "to_department")}

CLOCK_KIND = {"response": _("First response"), "resolution": _("Resolution")}
CLOCK_STATE = {"running": _("Running"), "paused": _("Paused"), "met": _("Met"), "breached": _("Breached")}
CLOCK_COLOR = {"running": "primary", "paused": "secondary", "met": "success", "breached": "danger"}
# How a link reads from the other ticket's side.
REVERSE_LINK_KIND = {"duplicate_of": _("Duplicated by"), "related_to": _("Related to"), "parent_of": _("Child of")}


@dataclass
class TimelineEntry:
    """A reply or note (``comment``) or a line of history (``event``) at ``at``."""

    at: datetime
    comment: Comment | None = None
    event: TicketEvent | None = None
    attachments: list[Attachment] = field(default_factory=list)

    @property
    def sort_key(self) -> tuple:
        # Changes made in one action share a time: the ticket's creation comes first, then the
        # messages, then the other lines of history, each in the order they were written.
        if self.comment is not None:
            return (self.at, 1, self.comment.id)
        return (self.at, 0 if self.event.kind == "created" else 2, self.event.id)


@dataclass
class Timeline:
    entries: list[TimelineEntry]
    ticket_files: list[Attachment]  # files sent with the request itself, not with a message
    people: dict[int, str]  # user id → full name, for authors, actors and assignees in events
    teams: dict[int, Team]
    departments: dict[int, str]  # department id → name, for transfers


def timeline(dbsession: Session, ticket: Ticket) -> Timeline:
    """Replies, internal notes and history of ``ticket`` in time order (five queries in all)."""
    comments = dbsession.scalars(select(Comment).where(Comment.ticket_id == ticket.id).order_by(Comment.id)).all()
    events = dbsession.scalars(
        select(TicketEvent).where(TicketEvent.ticket_id == ticket.id,
                                  TicketEvent.kind.not_in(EVENTS_SHOWN_ELSEWHERE)).order_by(TicketEvent.id)
    ).all()
    files = dbsession.scalars(select(Attachment).where(Attachment.ticket_id == ticket.id)
                              .order_by(Attachment.id)).all()
    by_comment: dict[int, list[Attachment]] = {}
    for attachment in files:
        by_comment.setdefault(attachment.comment_id, []).append(attachment)
    entries = [TimelineEntry(comment.created_at, comment=comment, attachments=by_comment.get(comment.id, []))
               for comment in comments]
    entries += [TimelineEntry(event.at, event=event) for event in events]
    entries.sort(key=lambda entry: entry.sort_key)
    user_ids = {c.author_id for c in comments} | {e.actor_id for e in events}
    team_ids: set = set()
    department_ids: set = set()
    for event in events:
        user_ids |= {event.data.get(key) for key in USER_KEYS.get(event.kind, ())}
        team_ids |= {event.data.get(key) for key in TEAM_KEYS.get(event.kind, ())}
        department_ids |= {event.data.get(key) for key in DEPARTMENT_KEYS.get(event.kind, ())}
    return Timeline(entries, by_comment.get(None, []), names_of(dbsession, user_ids), teams_of(dbsession, team_ids),
                    department_names(dbsession, department_ids))


def department_names(dbsession: Session, department_ids: set) -> dict[int, str]:
    ids = {department_id for department_id in department_ids if isinstance(department_id, int)}
    if not ids:
        return {}
    return dict(dbsession.execute(select(Department.id, Department.name).where(Department.id.in_(ids))).all())


def names_of(dbsession: Session, user_ids: set) -> dict[int, str]:
    ids = {user_id for user_id in user_ids if isinstance(user_id, int)}
    if not ids:
        return {}
    return dict(dbsession.execute(select(User.id, User.full_name).where(User.id.in_(ids))).all())


def teams_of(dbsession: Session, team_ids: set) -> dict[int, Team]:
    ids = {team_id for team_id in team_ids if isinstance(team_id, int)}
    if not ids:
        return {}
    return {team.id: team for team in dbsession.scalars(select(Team).options(joinedload(Team.department))
                                                        .where(Team.id.in_(ids)))}


# --- SLA clocks -------------------------------------------------------------------------------

@dataclass(frozen=True)
class ClockView:
    kind: str
    target: TranslationString
    due_at: datetime | None
    stopped_at: datetime | None
    percent: int  # share of the target consumed by now; above 100 once late
    state: str  # running, paused, met, breached


def clocks(dbsession: Session, ticket: Ticket, now: datetime, language: str) -> list[ClockView]:
    """The ticket's response and resolution clocks as they stand ``now`` (one query; the
    business calendars are remembered by ``business_calendar``)."""
    rows = dbsession.scalars(select(SlaClock).where(SlaClock.ticket_id == ticket.id)
                             .order_by(case((SlaClock.kind == "response", 0), else_=1))).all()
    return [clock_view(dbsession, row, now, language) for row in rows]


def clock_view(dbsession: Session, row: SlaClock, now: datetime, language: str) -> ClockView:
    consumed = timedelta(seconds=row.consumed_seconds)
    if row.is_running and row.running_since is not None and now > row.running_since:
        consumed += business_calendar(dbsession, row.calendar_id).elapsed(row.running_since, now)
    target = timedelta(seconds=row.target_seconds)
    late = row.breached or consumed > target or (row.is_running and row.due_at is not None and row.due_at <= now)
    if late:
        state = "breached"
    elif row.stopped_at is not None:
        state = "met"
    elif row.paused_at is not None:
        state = "paused"
    else:
        state = "running"
    percent = int(consumed / target * 100) if target else 0
    return ClockView(row.kind, duration_text(row.target_seconds, language), row.due_at, row.stopped_at, percent, state)


def duration_text(seconds: int, language: str) -> TranslationString:
    """``4 h 30 min`` of business time, digits in the reader's language."""
    hours, minutes = divmod(seconds // 60, 60)
    mapping = {"hours": format_number(hours, language), "minutes": format_number(minutes, language)}
    if hours and minutes:
        return _("${hours} h ${minutes} min", mapping=mapping)
    if hours:
        return _("${hours} h", mapping=mapping)
    return _("${minutes} min", mapping=mapping)


# --- links ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class LinkView:
    label: TranslationString
    other: Ticket


def links(dbsession: Session, ticket: Ticket, visible_departments: set[int] | None) -> list[LinkView]:
    """Links from and to ``ticket`` whose other end the agent may see (one query)."""
    query = (
        select(TicketLink, Ticket)
        .join(Ticket, or_(and_(TicketLink.source_id == ticket.id, Ticket.id == TicketLink.target_id),
                          and_(TicketLink.target_id == ticket.id, Ticket.id == TicketLink.source_id)))
        .order_by(TicketLink.id)
    )
    if visible_departments is not None:
        query = query.where(Ticket.department_id.in_(visible_departments))
    return [LinkView(labels.LINK_KIND[link.kind] if link.source_id == ticket.id else REVERSE_LINK_KIND[link.kind],
                     other)
            for link, other in dbsession.execute(query).all()]


# --- approvals and fulfilment tasks ----------------------------------------------------------

@dataclass
class Workflow:
    """The ticket's approval steps and fulfilment tasks, and what the viewer may do with them."""

    approvals: list[Approval]
    tasks: list[Task]
    people: dict[int, str]  # approvers, deciders and those who did the tasks
    deciding: Approval | None  # the pending step the viewer decides
    my_team_ids: set[int]

    def task_forms(self, ticket: Ticket) -> set[str]:
        """The ids of the tasks the viewer may mark done now (their forms are on the page)."""
        if not ticket.is_open or ticket.pending_reason == "approval":
            return set()
        return {str(task.id) for task in self.tasks if not task.is_done and task.team_id in self.my_team_ids}


def workflow(dbsession: Session, ticket: Ticket, user: User) -> Workflow:
    """At most four queries, however many steps and tasks the ticket has."""
    from plugins.tickets.approvals import may_decide

    steps = list(dbsession.scalars(select(Approval).where(Approval.ticket_id == ticket.id)
                                   .order_by(Approval.position)))
    tasks = list(dbsession.scalars(select(Task).options(joinedload(Task.team)).where(Task.ticket_id == ticket.id)
                                   .order_by(Task.position)))
    pending = next((step for step in steps if step.state == "pending"), None)
    people = names_of(dbsession, {step.approver_id for step in steps} | {step.decided_by_id for step in steps}
                      | {task.done_by_id for task in tasks})
    my_teams = set(dbsession.scalars(select(TeamMember.team_id).where(TeamMember.user_id == user.id)))
    deciding = pending if pending is not None and may_decide(dbsession, user, pending) else None
    return Workflow(steps, tasks, people, deciding, my_teams)


def transfer_departments(dbsession: Session, ticket: Ticket) -> list[Department]:
    return list(dbsession.scalars(select(Department).where(Department.is_active.is_(True),
                                                           Department.id != ticket.department_id)
                                  .order_by(Department.name)))


# --- choices for the forms ----------------------------------------------------------------

def assignable_agents(dbsession: Session, ticket: Ticket) -> list[User]:
    """Active staff of the ticket's team and department, the team's members first."""
    in_department = or_(
        User.department_id == ticket.department_id,
        User.id.in_(select(TeamMember.user_id).join(Team, Team.id == TeamMember.team_id)
                    .where(Team.department_id == ticket.department_id)),
    )
    team_first = case((User.id.in_(select(TeamMember.user_id).where(TeamMember.team_id == ticket.team_id)), 0),
                      else_=1)
    return list(dbsession.scalars(
        select(User).where(User.is_active.is_(True), User.role.in_([role.value for role in STAFF_ROLES]),
                           in_department).order_by(team_first, User.full_name)
    ))


def escalation_teams(dbsession: Session, ticket: Ticket) -> list[Team]:
    """Every other team of every department, grouped by department and ordered by tier."""
    return list(dbsession.scalars(
        select(Team).join(Team.department).options(joinedload(Team.department))
        .where(Team.id != (ticket.team_id or 0), Department.is_active.is_(True))
        .order_by(Team.department_id, Team.tier, Team.name)
    ))


def canned_responses(dbsession: Session, department_id: int) -> list[CannedResponse]:
    """The department's canned responses and the organization-wide ones."""
    return list(dbsession.scalars(
        select(CannedResponse)
        .where(or_(CannedResponse.department_id.is_(None), CannedResponse.department_id == department_id))
        .order_by(CannedResponse.title)
    ))


def canned_response(dbsession: Session, department_id: int, canned_id) -> CannedResponse | None:
    try:
        row = dbsession.get(CannedResponse, int(canned_id))
    except (TypeError, ValueError, OverflowError):
        return None
    if row is None or row.department_id not in (None, department_id):
        return None
    return row


def services(hook, dbsession: Session, department_id: int) -> list:
    return flatten(hook.pishkhan_ticket_services(dbsession=dbsession, department_id=department_id))


def plugin_panels(request, ticket: Ticket) -> list[tuple[TicketPanel, Markup]]:
    """Other plugins' cards (the knowledge base's, say), rendered in their declared order."""
    found = ordered(flatten(request.registry.pluginmanager.hook.pishkhan_ticket_panels(request=request, ticket=ticket)))
    return [(panel, panel.render(request, ticket)) for panel in found]


def channel_titles(hook) -> dict[str, TranslationString]:
    return {channel.name: channel.title for channel in flatten(hook.pishkhan_ticket_channels())}


# --- who else has the ticket open ---------------------------------------------------------

def note_viewer(request, ticket_id: int, user_id: int, now: datetime) -> None:
    """Remember that ``user_id`` has the ticket open (one upsert, after the page's transaction).

    A mark younger than ``VIEWER_REFRESH`` is left alone: reading a page then costs no write, so
    agents opening tickets do not queue for SQLite's single write lock.
    """
    seen_at = request.dbsession.scalar(select(TicketView.seen_at).where(TicketView.ticket_id == ticket_id,
                                                                        TicketView.user_id == user_id))
    if seen_at is not None and now - seen_at < VIEWER_REFRESH:
        return

    def mark(dbsession: Session) -> None:
        insert = postgresql_insert if dbsession.get_bind().dialect.name == "postgresql" else sqlite_insert
        statement = insert(TicketView).values(ticket_id=ticket_id, user_id=user_id, seen_at=now)
        dbsession.execute(statement.on_conflict_do_update(index_elements=["ticket_id", "user_id"],
                                                          set_={"seen_at": now}))

    write_after_commit(request, mark)


def other_viewers(dbsession: Session, ticket_id: int, user_id: int, now: datetime) -> list[str]:
    """Names of the other people who had the ticket open in the last two minutes."""
    return list(dbsession.scalars(
        select(User.full_name).join(TicketView, TicketView.user_id == User.id)
        .where(TicketView.ticket_id == ticket_id, TicketView.user_id != user_id,
               TicketView.seen_at >= now - VIEWER_WINDOW)
        .order_by(User.full_name)
    ))
