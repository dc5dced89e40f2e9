"""What people read for the stored codes of tickets (statuses, types, channels, reasons…).

Templates of the tickets plugin receive this module as ``labels``:
``{{ layout.t(labels.STATUS[ticket.status]) }}``.
"""
from core.i18n import _

STATUS = {
    "new": _("New"),
    "assigned": _("Assigned"),
    "in_progress": _("In progress"),
    "pending": _("Pending"),
    "reopened": _("Reopened"),
    "resolved": _("Resolved"),
    "closed": _("Closed"),
    "cancelled": _("Cancelled"),
}
STATUS_COLOR = {
    "new": "primary", "assigned": "info", "in_progress": "info", "pending": "warning",
    "reopened": "danger", "resolved": "success", "closed": "secondary", "cancelled": "secondary",
}
TYPE = {
    "incident": _("Incident"),
    "service_request": _("Service request"),
    "complaint": _("Complaint"),
    "suggestion": _("Suggestion"),
    "information": _("Information request"),
}
LEVEL = {"high": _("High"), "medium": _("Medium"), "low": _("Low")}
PRIORITY = {1: _("P1 · critical"), 2: _("P2 · high"), 3: _("P3 · normal"), 4: _("P4 · low")}
PRIORITY_COLOR = {1: "danger", 2: "warning", 3: "info", 4: "secondary"}
PENDING_REASON = {
    "awaiting_requester": _("Awaiting the requester"),
    "third_party": _("Awaiting a third party"),
    "approval": _("Awaiting approval"),
}
RESOLUTION_CODE = {
    "solved": _("Solved"),
    "workaround": _("Workaround given"),
    "answered": _("Question answered"),
    "duplicate": _("Duplicate"),
    "cannot_reproduce": _("Could not reproduce"),
    "withdrawn": _("Withdrawn by the requester"),
    "fulfilled": _("Fulfilled"),
}
ACTION = {
    "start": _("Start work"),
    "pend": _("Put on hold"),
    "resume": _("Resume"),
    "resolve": _("Resolve"),
    "close": _("Close"),
    "reopen": _("Reopen"),
    "cancel": _("Cancel"),
}
SLA_STATE = {
    "ok": _("On time"),
    "warning": _("Breaching soon"),
    "breached": _("Overdue"),
    "paused": _("Paused"),
    "met": _("Met"),
}
SLA_COLOR = {"ok": "success", "warning": "warning", "breached": "danger", "paused": "secondary", "met": "success"}
TIER = {1: _("L1 · front desk"), 2: _("L2 · general support"), 3: _("L3 · specialists")}
LINK_KIND = {"duplicate_of": _("Duplicate of"), "related_to": _("Related to"), "parent_of": _("Parent of")}
# The Iranian citizen questionnaire's axes (DOMAIN §1.6), each answered on three levels.
SURVEY_AXES = {
    "transparency": _("Process transparency: I was told the steps and documents needed"),
    "responsiveness": _("Responsiveness: staff were courteous and followed up"),
    "mastery": _("Process mastery: nothing had to be done twice"),
    "time": _("Time: the promise on the receipt was kept"),
    "orderliness": _("Orderliness: the request was handled in order and fairly"),
}
SURVEY_LEVELS = {1: _("Poor"), 2: _("Fair"), 3: _("Good")}
EVENT = {
    "created": _("Created"),
    "updated": _("Updated"),
    "transitioned": _("Status changed"),
    "assigned": _("Assigned"),
    "commented": _("Message"),
    "escalated": _("Escalated"),
    "sla_warning": _("SLA warning"),
    "sla_breach": _("SLA breach"),
    "resolved": _("Resolved"),
    "closed": _("Closed"),
    "rated": _("Rated"),
    "linked": _("Linked"),
    "merged": _("Merged"),
    "transferred": _("Transferred"),
    "approval_requested": _("Approval requested"),
    "approval_reminded": _("Approver reminded"),
    "approval_approved": _("Approved"),
    "approval_rejected": _("Rejected"),
    "tasks_created": _("Fulfilment tasks created"),
    "task_done": _("Task done"),
}
APPROVER = {
    "requester_manager": _("The requester's manager"),
    "service_owner": _("The service owner"),
    "department_head": _("The head of the department"),
}
APPROVAL_STATE = {
    "waiting": _("Waiting for an earlier step"),
    "pending": _("Awaiting decision"),
    "approved": _("Approved"),
    "rejected": _("Rejected"),
    "cancelled": _("Not needed"),
}
APPROVAL_COLOR = {"waiting": "light", "pending": "warning", "approved": "success", "rejected": "danger",
                  "cancelled": "secondary"}

_TABLES = {"STATUS": STATUS, "TYPE": TYPE, "PRIORITY": PRIORITY, "SLA_STATE": SLA_STATE,
           "PENDING_REASON": PENDING_REASON, "RESOLUTION_CODE": RESOLUTION_CODE, "ACTION": ACTION}
_translated: dict[str, dict[str, dict]] = {}


def translated(localizer) -> dict[str, dict]:
    """Every table above by name (``translated(request.localizer)["STATUS"]["new"]``), its labels
    in the localizer's language: translated once per process and language, not once per row."""
    found = _translated.get(localizer.locale_name)
    if found is None:
        translate = localizer.translate
        found = {name: {key: translate(label) for key, label in table.items()} for name, table in _TABLES.items()}
        _translated[localizer.locale_name] = found
    return found
