"""KCS on the agent's ticket page: the "Knowledge" card and the forms it posts.

The card (``pishkhan_ticket_panels``) lists the articles linked to the ticket, suggests three
articles for its subject, searches the knowledge base (htmx), links and unlinks articles ("solved
with" counts a reuse), flags an article as outdated or wrong, and opens the article editor with a
draft made from the ticket. It costs one query for the links and one search.

The kb plugin never imports the tickets plugin: the card's forms carry a signed *grant* for the
ticket (``plugins.kb.web.ticket_grant``) and the handlers act on that.
"""
from __future__ import annotations

from markupsafe import Markup
from pyramid.httpexceptions import HTTPNotFound, HTTPSeeOther
from pyramid.renderers import render, render_to_response
from pyramid.view import view_config
from sqlalchemy import select

from core.contracts import SearchQuery, TicketPanel
from core.i18n import _
from core.normalize import normalize_line
from core.urls import local_path
from plugins.kb import flags, search, ticket_links
from plugins.kb.articles import KbError, KnowledgeBase
from plugins.kb.models import Article, Flag, FlagKind, TicketLink
from plugins.kb.web import ticket_grant

TEMPLATES = "plugins.kb:templates/kcs/"
SUGGESTED = 3
RESULTS = 5
MAX_QUERY = 200
MAX_DRAFT_TEXT = 6000  # the draft travels in the editor's address
# The KCS article template's headings, in the author's language.
PROBLEM, SOLUTION = _("Problem"), _("Solution")
UNKNOWN_LINK_ACTION = _("Choose whether to link the article to the ticket or to unlink it.")


def ticket_panel() -> TicketPanel:
    return TicketPanel("kb.knowledge", _("Knowledge"), render_panel)


# --- the card -------------------------------------------------------------------------------

def render_panel(request, ticket) -> Markup:
    links = ticket_links.linked_articles(request.dbsession, ticket.id)
    linked_ids = {article.id for _link, article in links}
    found = _search(request, ticket.subject, SUGGESTED + len(linked_ids))
    suggested = [item for item in found if item.article.id not in linked_ids][:SUGGESTED]
    values = {
        "ticket_id": ticket.id,
        "grant": ticket_grant.issue(request, ticket),
        "came_from": request.path_qs,
        "links": links,
        "suggested": suggested,
        "linked_ids": linked_ids,
        "new_article_url": draft_url(request, ticket),
        "flag_kinds": flags.KIND_TITLES,
    }
    return Markup(render(TEMPLATES + "panel.jinja2", values, request=request))


def draft_url(request, ticket) -> str:
    """The article editor, filled in from the ticket in the KCS template (problem, resolution),
    with the ticket's department and service chosen."""
    localizer = request.localizer
    description = (ticket.description or "").strip()[:MAX_DRAFT_TEXT]
    resolution = ""
    if ticket.resolved_at is not None and ticket.resolution_note:
        resolution = ticket.resolution_note.strip()[:MAX_DRAFT_TEXT]
    body = (f"## {localizer.translate(PROBLEM)}\n\n{description}\n\n"
            f"## {localizer.translate(SOLUTION)}\n\n{resolution}").rstrip() + "\n"
    first_line = description.splitlines()[0] if description else ""
    query = {
        "title": ticket.subject, "summary": first_line[:500], "body": body,
        "department_id": ticket.department_id, "from_ticket": ticket.id, "ticket_code": ticket.tracking_code,
    }
    if ticket.service_key:
        query["service"] = ticket.service_key
    return request.route_path("kb.article.new", _query=query)


def _search(request, text: str, limit: int) -> list:
    text = normalize_line(text)[:MAX_QUERY]
    if not text:
        return []
    kb = KnowledgeBase.for_request(request)
    return search.find(request.dbsession, kb.backend, SearchQuery(
        text=text, audiences=kb.readable_audiences(), department_ids=None, limit=limit))


def _came_from(request, params) -> str:
    """Where to go back to: a path of this site only."""
    return local_path(params.get("came_from", "")) or request.route_path("kb.manage")


def _granted_ticket(request, params) -> ticket_links.TicketRef:
    ticket = ticket_grant.verify(request, request.matchdict["ticket_id"], params.get("grant"))
    if ticket is None:
        raise HTTPNotFound()
    return ticket


def _readable_article(request, kb: KnowledgeBase, article_id) -> Article:
    try:
        article = request.dbsession.get(Article, int(article_id))
    except (TypeError, ValueError, OverflowError):
        article = None
    if article is None or not kb.can_read(article):
        raise HTTPNotFound()
    return article


# --- search from the ticket -----------------------------------------------------------------

@view_config(route_name="kb.ticket.search", request_method="GET", permission="workspace")
def search_for_ticket(request):
    """The results under the card's search box (htmx), or a page of them without JavaScript."""
    ticket = _granted_ticket(request, request.GET)
    query = normalize_line(request.GET.get("q", ""))[:MAX_QUERY]
    found = _search(request, query, RESULTS) if query else []
    linked_ids = set(request.dbsession.scalars(
        select(TicketLink.article_id).where(TicketLink.ticket_id == ticket.id))) if found else set()
    values = {"ticket_id": ticket.id, "grant": request.GET.get("grant"), "came_from": _came_from(request, request.GET),
              "query": query, "results": found, "linked_ids": linked_ids, "flag_kinds": flags.KIND_TITLES}
    template = "_results.jinja2" if request.headers.get("HX-Request") else "search_page.jinja2"
    return render_to_response(TEMPLATES + template, values, request=request)


# --- link and unlink ------------------------------------------------------------------------

@view_config(route_name="kb.ticket.link", request_method="POST", permission="workspace")
def link_for_ticket(request):
    ticket = _granted_ticket(request, request.POST)
    kb = KnowledgeBase.for_request(request)
    action = request.POST.get("action")
    came_from = _came_from(request, request.POST)
    if action == "unlink":
        article_id = request.POST.get("article_id", "")
        if not (article_id.isdecimal() and len(article_id) <= 18):
            raise HTTPNotFound()
        if ticket_links.unlink(kb, ticket, int(article_id)):
            request.session.flash(request.localizer.translate(_("The article is no longer linked to the ticket.")))
        return HTTPSeeOther(came_from)
    if action != "link":
        return _refused(request, KbError(UNKNOWN_LINK_ACTION), came_from)
    article = _readable_article(request, kb, request.POST.get("article_id"))
    solved_with = request.POST.get("solved_with") == "1"
    try:
        ticket_links.link(kb, ticket, article, solved_with=solved_with)
    except KbError as error:
        return _refused(request, error, came_from)
    message = (_("“${title}” is linked as the article that solved this ticket.", mapping={"title": article.title})
               if solved_with else _("“${title}” is linked to this ticket.", mapping={"title": article.title}))
    request.session.flash(request.localizer.translate(message))
    return HTTPSeeOther(came_from)


def _refused(request, error: KbError, came_from: str):
    response = render_to_response(TEMPLATES + "refused.jinja2", {"message": error.message, "came_from": came_from},
                                  request=request)
    response.status = 400
    return response


# --- flags ----------------------------------------------------------------------------------

@view_config(route_name="kb.article.flag", request_method="GET", permission="workspace")
def article_flags(request):
    kb = KnowledgeBase.for_request(request)
    article = _readable_article(request, kb, request.matchdict["id"])
    return _flags_page(request, kb, article)


def _flags_page(request, kb: KnowledgeBase, article: Article, error: KbError | None = None, status: int = 200):
    typed = request.POST if error is not None else {}
    values = {
        "article": article,
        "flags": flags.flags_of(request.dbsession, article.id),
        "can_resolve": kb.can_publish(article.department_id),
        "flag_kinds": flags.KIND_TITLES,
        "error": error,
        "typed_kind": typed.get("kind", FlagKind.outdated.value),
        "typed_note": typed.get("note", ""),
        "grant": typed.get("grant", ""),
        "ticket_id": typed.get("ticket_id", ""),
        "came_from": _came_from(request, typed) if typed.get("came_from") else "",
    }
    response = render_to_response(TEMPLATES + "flags.jinja2", values, request=request)
    response.status = status
    return response


@view_config(route_name="kb.article.flag", request_method="POST", permission="workspace")
def flag_article(request):
    kb = KnowledgeBase.for_request(request)
    article = _readable_article(request, kb, request.matchdict["id"])
    ticket_id = None
    if request.POST.get("grant"):
        ticket = ticket_grant.verify(request, request.POST.get("ticket_id"), request.POST.get("grant"))
        ticket_id = ticket.id if ticket is not None else None
    try:
        flags.flag(kb, article, request.POST.get("kind", ""), request.POST.get("note", ""), ticket_id=ticket_id)
    except KbError as error:
        return _flags_page(request, kb, article, error, status=400)
    request.session.flash(request.localizer.translate(
        _("Thank you: the owner of “${title}” will see your flag.", mapping={"title": article.title})))
    came_from = request.POST.get("came_from")
    return HTTPSeeOther(_came_from(request, request.POST) if came_from else
                        request.route_path("kb.article.flag", id=article.id))


@view_config(route_name="kb.flag.resolve", request_method="POST", permission="workspace")
def resolve_flag(request):
    kb = KnowledgeBase.for_request(request)
    try:
        row = request.dbsession.get(Flag, int(request.matchdict["id"]))
    except ValueError:
        row = None
    article = request.dbsession.get(Article, row.article_id) if row is not None else None
    if article is None or not kb.can_read(article):
        raise HTTPNotFound()
    came_from = _came_from(request, request.POST) if request.POST.get("came_from") else \
        request.route_path("kb.article.flag", id=article.id)
    try:
        flags.resolve(kb, row, article)
    except KbError as error:
        return _refused(request, error, came_from)
    request.session.flash(request.localizer.translate(_("The flag is resolved.")))
    return HTTPSeeOther(came_from)
