"""Approvers' pages: the steps waiting for me (``/desk/approvals``), one step with the request
and the decision form (``/desk/approvals/{id}``), and the signed link of an e-mail
(``/approve/{token}``), which shows the request and decides on a confirming POST (with CSRF).

An approver need not work in the ticket's department: the step being theirs is what lets them
read the request here, with the documents of its form. Anyone else gets a 404.
"""
from __future__ import annotations

from pyramid.httpexceptions import HTTPNotFound, HTTPSeeOther
from pyramid.view import view_config
from sqlalchemy import and_, false, or_, select, true
from sqlalchemy.orm import joinedload

from core.db import utcnow
from core.i18n import _
from core.models import Role, User
from core.normalize import normalize_text
from core.security import department_subtree_ids
from plugins.tickets import approval_links, approvals, attachments
from plugins.tickets.access import may_work_on
from plugins.tickets.desk import DeskError, TicketDesk
from plugins.tickets.models import Approval, ApprovalState, Attachment, Ticket

LIST_TEMPLATE = "plugins.tickets:templates/approvals/mine.jinja2"
STEP_TEMPLATE = "plugins.tickets:templates/approvals/step.jinja2"
LINK_TEMPLATE = "plugins.tickets:templates/approvals/link.jinja2"
MAX_LISTED = 200
MAX_COMMENT = 5000
LINK_REFUSED = {
    "tampered": _("This approval link is not valid: it may have been changed or cut. Open the link from the "
                  "e-mail again, or decide from «My approvals» after signing in."),
    "expired": _("This approval link has expired. Sign in and decide from «My approvals»; the request is still "
                 "waiting for you."),
    "used": _("This approval link was already used: the step has been decided. A link can be used once."),
    "not_yours": _("This approval step is no longer yours to decide."),
}


def waiting_for(request, user: User):
    """Pending steps ``user`` decides: their own, and those nobody fits in the departments they
    manage (every one, for administrators)."""
    if user.role == Role.admin.value:
        unassigned = true()
    elif user.role == Role.department_manager.value and user.department_id is not None:
        unassigned = Ticket.department_id.in_(department_subtree_ids(request.dbsession, user.department_id))
    else:
        unassigned = false()
    return or_(Approval.approver_id == user.id, and_(Approval.approver_id.is_(None), unassigned))


@view_config(route_name="tickets.approvals", request_method="GET", permission="workspace", renderer=LIST_TEMPLATE)
def my_approvals(request) -> dict:
    rows = request.dbsession.execute(
        select(Approval, Ticket).join(Ticket, Ticket.id == Approval.ticket_id)
        .options(joinedload(Ticket.requester), joinedload(Ticket.department))
        .where(Approval.state == ApprovalState.pending.value, waiting_for(request, request.user))
        .order_by(Approval.id).limit(MAX_LISTED + 1)
    ).all()
    return {"rows": rows[:MAX_LISTED], "more": len(rows) > MAX_LISTED}


def step_for(request) -> Approval:
    """The step of the URL if the caller decides it or works on its ticket, else 404."""
    approval = request.dbsession.get(Approval, int(request.matchdict["id"]))
    if approval is None:
        raise HTTPNotFound()
    if not (approvals.may_decide(request.dbsession, request.user, approval)
            or may_work_on(request, request.dbsession.get(Ticket, approval.ticket_id))):
        raise HTTPNotFound()
    return approval


def step_page(request, approval: Approval, *, user: User | None, errors: dict | None = None,
              status: int = 200, token: str | None = None) -> dict:
    request.response.status_int = status
    ticket = request.dbsession.get(Ticket, approval.ticket_id)
    documents = form_documents(request.dbsession, ticket.id)
    return {
        "approval": approval,
        "ticket": ticket,
        "documents": [(document, request.route_path("tickets.approval.link.file", token=token, file_id=document.id)
                       if token else request.route_path("tickets.approval.file", id=approval.id, file_id=document.id))
                      for document in documents],
        "steps": approvals.steps_of(request.dbsession, ticket.id),
        "may_decide": approvals.may_decide(request.dbsession, user, approval),
        "errors": errors or {},
        "comment": request.POST.get("comment", "") if errors else "",
    }


@view_config(route_name="tickets.approval", request_method="GET", permission="workspace", renderer=STEP_TEMPLATE)
def step(request) -> dict:
    return step_page(request, step_for(request), user=request.user)


def form_documents(dbsession, ticket_id: int, file_id: int | None = None) -> list[Attachment]:
    """The documents the requester gave with the service's form: what an approver reads."""
    query = select(Attachment).where(Attachment.ticket_id == ticket_id, Attachment.label.is_not(None),
                                     Attachment.is_internal.is_(False)).order_by(Attachment.id)
    if file_id is not None:
        query = query.where(Attachment.id == file_id)
    return list(dbsession.scalars(query))


def document_response(request, approval: Approval):
    found = form_documents(request.dbsession, approval.ticket_id, int(request.matchdict["file_id"]))
    if not found:
        raise HTTPNotFound()
    return attachments.download_response(request, found[0])


@view_config(route_name="tickets.approval.file", request_method="GET", permission="workspace")
def step_document(request):
    return document_response(request, step_for(request))


@view_config(route_name="tickets.approval", request_method="POST", permission="workspace", renderer=STEP_TEMPLATE)
def decide_step(request):
    approval = step_for(request)
    try:
        message = decide(request, approval, TicketDesk.for_request(request, channel="portal"))
    except DeskError as refused:
        return step_page(request, approval, user=request.user, status=400,
                         errors={refused.field or "_form": request.localizer.translate(refused.message)})
    request.session.flash(request.localizer.translate(message))
    return HTTPSeeOther(location=request.route_url("tickets.approvals"))


def decide(request, approval: Approval, desk: TicketDesk):
    """Approve or reject ``approval`` as the desk's actor, from the posted form."""
    decision = request.POST.get("decision", "")
    if decision not in ("approve", "reject"):
        raise DeskError("invalid_choice", _("Choose to approve or to reject."), "decision")
    comment = normalize_text(request.POST.get("comment", ""))
    if len(comment) > MAX_COMMENT:
        raise DeskError("too_long", _("This text is too long (at most ${max} characters).",
                                      mapping={"max": MAX_COMMENT}), "comment")
    with request.dbsession.begin_nested():
        approvals.decide(desk, approval, approve=decision == "approve", comment=comment)
    return _("You approved the request.") if decision == "approve" else _("You rejected the request.")


# --- the signed link ---------------------------------------------------------------------------

@view_config(route_name="tickets.approval.link", permission="view", renderer=LINK_TEMPLATE)
def link(request):
    """GET shows the request and asks to confirm; POST decides once."""
    found = linked_step(request)
    if isinstance(found, str):
        return link_refused(request, found)
    approval, user = found
    token = request.matchdict["token"]
    if request.method != "POST":
        return {**step_page(request, approval, user=user, token=token), "approver": user, "done": False}
    try:
        message = decide(request, approval, TicketDesk(request.dbsession, request.registry.settings,
                                                       request.registry.pluginmanager.hook, user, "email"))
    except DeskError as refused:
        errors = {refused.field or "_form": request.localizer.translate(refused.message)}
        return {**step_page(request, approval, user=user, errors=errors, status=400, token=token),
                "approver": user, "done": False}
    return {**step_page(request, approval, user=user), "approver": user, "done": True, "message": message}


@view_config(route_name="tickets.approval.link.file", request_method="GET", permission="view")
def link_document(request):
    """A document of the request, while the link may still decide it."""
    found = linked_step(request)
    if isinstance(found, str):
        raise HTTPNotFound()
    return document_response(request, found[0])


def linked_step(request) -> tuple[Approval, User] | str:
    """The pending step the URL's link decides and its approver, or why the link is refused."""
    try:
        claim = approval_links.read(request.registry.settings, request.matchdict["token"], utcnow())
    except approval_links.LinkRefused as refused:
        return refused.reason
    approval = request.dbsession.get(Approval, claim.approval_id)
    if approval is None:
        return "tampered"
    if approval.state != ApprovalState.pending.value or approval.link_nonce != claim.nonce:
        return "used"
    user = request.dbsession.get(User, claim.user_id)
    if not approvals.may_decide(request.dbsession, user, approval):
        return "not_yours"
    return approval, user


def link_refused(request, reason: str) -> dict:
    request.response.status_int = {"tampered": 400, "expired": 410, "used": 409, "not_yours": 403}[reason]
    return {"refused": LINK_REFUSED[reason], "reason": reason}
