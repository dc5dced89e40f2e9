"""What happens to a new ticket after it is opened: the approvals its service needs
(``pishkhan_ticket_approvals``), then the tasks that fulfil it (``pishkhan_ticket_fulfilment``).
A ticket whose service asks for neither behaves as any other."""
from __future__ import annotations

from core.plugins import flatten


def start(desk, ticket) -> None:
    from plugins.tickets import approvals, fulfilment

    steps = flatten(desk.hook.pishkhan_ticket_approvals(dbsession=desk.dbsession, ticket=ticket))
    if steps:
        approvals.begin(desk, ticket, steps)
    else:
        fulfilment.begin(desk, ticket)
