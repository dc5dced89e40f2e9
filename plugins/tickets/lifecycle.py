"""Which status changes exist and who may make them; enforced on the server for every channel.

new → assigned → in progress → pending ⇄ in progress → resolved → closed, with reopened and
cancelled. Assigning an agent moves a new ticket to assigned; the rest are the actions below.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass

from plugins.tickets.models import OPEN_STATUSES, Status


class Party(enum.StrEnum):
    """Who acts on a ticket: an agent who may work it, its requester, or the worker."""

    staff = "staff"
    requester = "requester"
    system = "system"


class ResolutionCode(enum.StrEnum):
    solved = "solved"
    workaround = "workaround"
    answered = "answered"
    duplicate = "duplicate"
    cannot_reproduce = "cannot_reproduce"
    withdrawn = "withdrawn"
    fulfilled = "fulfilled"  # every fulfilment task of the request is done


@dataclass(frozen=True)
class Action:
    name: str
    sources: tuple[Status, ...]
    target: Status
    parties: tuple[Party, ...]


_WORKING = (Status.new, Status.assigned, Status.in_progress, Status.reopened)
ACTIONS = {
    action.name: action
    for action in (
        Action("start", (Status.new, Status.assigned, Status.reopened), Status.in_progress, (Party.staff,)),
        Action("pend", _WORKING, Status.pending, (Party.staff,)),
        Action("resume", (Status.pending,), Status.in_progress, (Party.staff, Party.requester, Party.system)),
        Action("resolve", OPEN_STATUSES, Status.resolved, (Party.staff,)),
        Action("close", (Status.resolved,), Status.closed, (Party.staff, Party.requester, Party.system)),
        Action("reopen", (Status.resolved, Status.closed), Status.reopened, (Party.staff, Party.requester)),
        Action("cancel", OPEN_STATUSES, Status.cancelled, (Party.staff, Party.requester)),
    )
}


class TransitionRefused(Exception):
    """An action that the ticket's status or the actor's role does not allow; ``message`` is
    translatable and ``code`` is stable for the API."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def allowed(action_name: str, status: str, party: Party) -> bool:
    action = ACTIONS.get(action_name)
    return action is not None and status in action.sources and party in action.parties


def available_actions(status: str, party: Party) -> list[str]:
    """The actions to offer as buttons, in lifecycle order."""
    return [name for name, action in ACTIONS.items() if status in action.sources and party in action.parties]
