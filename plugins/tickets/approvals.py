"""Approvals of a request, one step at a time, in the order its service asks for them.

While a step is undecided the ticket is pending with the reason "approval" (its SLA clocks
pause, as for any pending ticket). Each step goes to one person: the requester's manager (the
department manager of the requester's department, or of the nearest department above it), the
service owner (``ApprovalStep.username``) or the head of the ticket's department. When nobody
fits, the step goes to the ticket's department managers and the administrators, and the history
says so. Approvers decide on the workspace or through a single-use signed link e-mailed to them
(``plugins.tickets.approval_links``); those who have not decided are reminded after
``tickets.approval_reminder_hours`` business hours. The last approval starts the fulfilment; a
rejection cancels the request, and the requester reads why.
"""
from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import select

from core.contracts import APPROVERS, ApprovalStep
from core.i18n import _
from core.models import Department, Role, User
from plugins.tickets.desk import DeskError
from plugins.tickets.models import Approval, ApprovalState, PendingReason, Status, Ticket

REMINDER_BATCH = 200


# --- who decides -----------------------------------------------------------------------------

def department_chain(dbsession, department_id: int | None) -> list[int]:
    """``department_id`` and the departments above it, nearest first."""
    if department_id is None:
        return []
    parents = dict(dbsession.execute(select(Department.id, Department.parent_id)).all())
    chain: list[int] = []
    while department_id is not None and department_id not in chain:
        chain.append(department_id)
        department_id = parents.get(department_id)
    return chain


def nearest_managers(dbsession, department_id: int | None, *, walk_up: bool = True) -> list[User]:
    """The active department managers of ``department_id``, else of the nearest department above
    it that has one (``walk_up``)."""
    chain = department_chain(dbsession, department_id) if walk_up else ([department_id] if department_id else [])
    if not chain:
        return []
    managers: dict[int, list[User]] = {}
    for user in dbsession.scalars(select(User).where(User.role == Role.department_manager.value,
                                                     User.is_active.is_(True), User.department_id.in_(chain))
                                  .order_by(User.id)):
        managers.setdefault(user.department_id, []).append(user)
    return next((managers[department] for department in chain if department in managers), [])


def approver_for(dbsession, ticket: Ticket, kind: str, username: str | None) -> User | None:
    """The one person a step of ``kind`` goes to, or ``None`` when nobody fits."""
    if kind == "service_owner":
        user = dbsession.scalar(select(User).where(User.username == username)) if username else None
        return user if user is not None and user.is_active else None
    if kind == "requester_manager":
        requester = dbsession.get(User, ticket.requester_id) if ticket.requester_id else None
        if requester is None:
            return None
        managers = [user for user in nearest_managers(dbsession, requester.department_id) if user.id != requester.id]
        return managers[0] if managers else None
    if kind == "department_head":
        managers = nearest_managers(dbsession, ticket.department_id, walk_up=False)
        return managers[0] if managers else None
    return None


def fallback_deciders(dbsession, ticket: Ticket) -> list[User]:
    """Who decides a step nobody fits: the ticket's department managers and the administrators."""
    admins = list(dbsession.scalars(select(User).where(User.role == Role.admin.value, User.is_active.is_(True))
                                    .order_by(User.id)))
    return nearest_managers(dbsession, ticket.department_id) + admins


def deciders(dbsession, ticket: Ticket, approval: Approval) -> list[User]:
    if approval.approver_id is not None:
        user = dbsession.get(User, approval.approver_id)
        return [user] if user is not None and user.is_active else []
    return fallback_deciders(dbsession, ticket)


def may_decide(dbsession, user: User | None, approval: Approval) -> bool:
    """Whether ``user`` may decide ``approval`` now."""
    if user is None or not user.is_active or approval.state != ApprovalState.pending.value:
        return False
    if approval.approver_id is not None:
        return approval.approver_id == user.id
    if user.role == Role.admin.value:
        return True
    ticket = dbsession.get(Ticket, approval.ticket_id)
    return user.role == Role.department_manager.value and user.department_id in department_chain(
        dbsession, ticket.department_id)


# --- the steps -----------------------------------------------------------------------------

def begin(desk, ticket: Ticket, steps: list[ApprovalStep]) -> None:
    """Record the steps with the person each goes to, put the ticket on hold for approval and
    ask the first approver."""
    rows = []
    for position, step in enumerate(steps, start=1):
        if step.approver not in APPROVERS:
            raise ValueError(f"unknown approver kind {step.approver!r} (one of {APPROVERS})")
        approver = approver_for(desk.dbsession, ticket, step.approver, step.username)
        rows.append(Approval(ticket_id=ticket.id, position=position, kind=step.approver, title=step.title or "",
                             approver_id=approver.id if approver is not None else None,
                             state=ApprovalState.waiting.value, comment=""))
    desk.dbsession.add_all(rows)
    desk.apply_transition(ticket, "pend", reason=PendingReason.approval.value)
    ask(desk, ticket, rows[0])


def ask(desk, ticket: Ticket, approval: Approval) -> None:
    approval.state = ApprovalState.pending.value
    approval.requested_at = approval.reminded_at = desk.now
    approval.link_nonce = secrets.token_hex(16)
    desk.dbsession.flush()
    desk.record(ticket, "approval_requested", approval=approval.id, title=approval.title, approver_kind=approval.kind,
                approver=approval.approver_id, to_managers=approval.approver_id is None)


def steps_of(dbsession, ticket_id: int) -> list[Approval]:
    return list(dbsession.scalars(select(Approval).where(Approval.ticket_id == ticket_id)
                                  .order_by(Approval.position)))


def decide(desk, approval: Approval, *, approve: bool, comment: str = "") -> None:
    """The actor's decision on ``approval``; ``DeskError`` if it is not theirs to take or taken."""
    comment = (comment or "").strip()
    if approval.state != ApprovalState.pending.value:
        raise DeskError("already_decided", _("This approval step was already decided."))
    if not may_decide(desk.dbsession, desk.actor, approval):
        raise DeskError("forbidden", _("You are not the approver of this step."))
    if not approve and not comment:
        raise DeskError("reason_required", _("Say why the request is rejected."), "comment")
    ticket = desk.dbsession.get(Ticket, approval.ticket_id)
    approval.state = (ApprovalState.approved if approve else ApprovalState.rejected).value
    approval.decided_at = desk.now
    approval.decided_by_id = desk.actor.id
    approval.comment = comment
    approval.link_nonce = None
    desk.record(ticket, "approval_approved" if approve else "approval_rejected", approval=approval.id,
                title=approval.title, approver_kind=approval.kind, comment=comment)
    later = [row for row in steps_of(desk.dbsession, ticket.id) if row.state == ApprovalState.waiting.value]
    if not approve:
        for row in later:
            row.state = ApprovalState.cancelled.value
        desk.apply_transition(ticket, "cancel", rejected=True, note=comment)
        return
    if later:
        ask(desk, ticket, later[0])
        return
    desk.apply_transition(ticket, "resume", approved=True,
                          target=Status.assigned if ticket.assignee_id else Status.new)
    from plugins.tickets import fulfilment

    fulfilment.begin(desk, ticket)


# --- reminders --------------------------------------------------------------------------------

def remind(context) -> None:
    """Ask again the approvers who have not decided within ``tickets.approval_reminder_hours``
    business hours of the request (or of the last reminder)."""
    from plugins.tickets.desk import TicketDesk
    from plugins.tickets.sla.ticket_clocks import business_calendar, calendar_id_for

    hours = timedelta(hours=float(context.settings.get("tickets.approval_reminder_hours", 8)))
    desk = TicketDesk(context.dbsession, context.settings, context.hook, actor=None, channel="system",
                      now=context.now)
    due = context.dbsession.scalars(
        select(Approval).where(Approval.state == ApprovalState.pending.value,
                               Approval.reminded_at <= context.now - hours)
        .order_by(Approval.id).limit(REMINDER_BATCH)
    ).all()
    for approval in due:
        ticket = context.dbsession.get(Ticket, approval.ticket_id)
        calendar = business_calendar(context.dbsession, calendar_id_for(context.dbsession, ticket.department_id))
        if calendar.elapsed(approval.reminded_at, context.now) < hours:
            continue
        approval.reminded_at = context.now
        desk.record(ticket, "approval_reminded", approval=approval.id, title=approval.title,
                    approver_kind=approval.kind, approver=approval.approver_id,
                    to_managers=approval.approver_id is None)
