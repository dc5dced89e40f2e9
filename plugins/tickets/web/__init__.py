"""The tickets plugin's pages and API. Every route is declared here; the views live in one module
per audience: the portal (requesters and guests), the workspace (agents), the front-desk
quick-log, SLA administration and the JSON API."""
from pyramid.events import BeforeRender

from plugins.tickets import labels
from plugins.tickets.request_forms import answer
from plugins.tickets.tracking import format_code

# Ids in addresses have at most 18 digits: a longer number names no row, and would not fit the
# database's integers (a 500 instead of a 404).
PORTAL_ROUTES = (
    ("tickets.portal.new", "/requests/new"),
    ("tickets.portal.suggestions", "/requests/new/suggestions"),  # answers offered while typing
    ("tickets.portal.mine", "/requests"),
    ("tickets.portal.receipt", "/requests/{id:\\d{1,18}}/receipt"),
    ("tickets.portal.ticket", "/requests/{id:\\d{1,18}}"),
    ("tickets.portal.attachment", "/requests/{id:\\d{1,18}}/files/{file_id:\\d{1,18}}"),
    ("tickets.track", "/track"),
    ("tickets.approval.link.file", "/approve/{token}/files/{file_id:\\d{1,18}}"),
    ("tickets.approval.link", "/approve/{token}"),  # an approver's signed link from their e-mail
)
WORKSPACE_ROUTES = (
    ("tickets.queue", "/desk/tickets"),
    ("tickets.bulk", "/desk/tickets/bulk"),
    ("tickets.views", "/desk/tickets/views"),
    ("tickets.ticket", "/desk/tickets/{id:\\d{1,18}}"),
    ("tickets.ticket.action", "/desk/tickets/{id:\\d{1,18}}/{action}"),
    ("tickets.attachment", "/desk/tickets/{id:\\d{1,18}}/files/{file_id:\\d{1,18}}"),
    ("tickets.quicklog", "/desk/contact"),
    ("tickets.quicklog.people", "/desk/contact/people"),
    ("tickets.approvals", "/desk/approvals"),
    ("tickets.approval", "/desk/approvals/{id:\\d{1,18}}"),
    ("tickets.approval.file", "/desk/approvals/{id:\\d{1,18}}/files/{file_id:\\d{1,18}}"),
    ("tickets.tasks", "/desk/tasks"),
    ("tickets.canned", "/desk/canned-responses"),
)
ADMIN_ROUTES = (
    ("tickets.admin.calendars", "/admin/calendars"),
    ("tickets.admin.calendar", "/admin/calendars/{id:\\d{1,18}}"),
    ("tickets.admin.closures", "/admin/closures"),
    ("tickets.admin.sla", "/admin/sla"),
)
API_ROUTES = (
    ("tickets.api.tickets", "/api/v1/tickets"),
    ("tickets.api.ticket", "/api/v1/tickets/{id:\\d{1,18}}"),
    ("tickets.api.comments", "/api/v1/tickets/{id:\\d{1,18}}/comments"),
    ("tickets.api.transitions", "/api/v1/tickets/{id:\\d{1,18}}/transitions"),
    ("tickets.api.assignment", "/api/v1/tickets/{id:\\d{1,18}}/assignment"),
    ("tickets.api.track", "/api/v1/track/{code}"),
)


def add_template_helpers(event):
    """The tickets templates read ``labels``, ``format_code`` and ``form_answer`` without every
    view passing them."""
    renderer = event.get("renderer_name") or ""
    if renderer.startswith("plugins.tickets:"):
        event["labels"] = labels
        event["format_code"] = format_code
        event["form_answer"] = answer


def includeme(config):
    for name, pattern in PORTAL_ROUTES + WORKSPACE_ROUTES + ADMIN_ROUTES + API_ROUTES:
        config.add_route(name, pattern)
    config.add_subscriber(add_template_helpers, BeforeRender)
    config.add_static_view("tickets-static", "plugins.tickets:static/")
    config.scan("plugins.tickets.web")
