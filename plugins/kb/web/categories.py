"""The category tree (``/desk/kb/categories``): publishers arrange their departments' categories,
directors and administrators the organization's too. Changes go through ``plugins.kb.categories``."""
from __future__ import annotations

import colander
from pyramid.httpexceptions import HTTPForbidden, HTTPSeeOther
from pyramid.request import Request
from pyramid.response import Response
from pyramid.view import view_config
from sqlalchemy import func, select

from core.i18n import _
from core.normalize import normalize_digits
from core.schemas import department_tree
from core.views.admin import MAX_ID
from plugins.kb import categories
from plugins.kb.articles import KbError, KnowledgeBase
from plugins.kb.models import Article, Category
from plugins.kb.schemas import CategorySchema, category_tree

PAGE = "plugins.kb:templates/authoring/categories.jinja2"


def sections(request: Request, knowledge_base: KnowledgeBase) -> list[dict]:
    """One section per department the actor arranges (the organization's first), each with its
    categories in tree order and how many articles each holds."""
    departments = [(None, _("Every department"))] if categories.may_arrange(knowledge_base, None) else []
    departments += [(department.id, department.name) for department, _depth in department_tree(request.dbsession)
                    if categories.may_arrange(knowledge_base, department.id)]
    ids = {department_id for department_id, _name in departments if department_id is not None}
    used = dict(request.dbsession.execute(select(Article.category_id, func.count()).where(
        Article.category_id.is_not(None)).group_by(Article.category_id)).all())
    rows: dict[int | None, list] = {department_id: [] for department_id, _name in departments}
    for category, depth in category_tree(request.dbsession, ids):
        if category.department_id in rows:
            rows[category.department_id].append((category, depth, used.get(category.id, 0)))
    return [{"department_id": department_id, "name": name, "rows": rows[department_id]}
            for department_id, name in departments]


@view_config(route_name="kb.categories", request_method="GET", permission="workspace", renderer=PAGE)
def category_page(request: Request) -> dict:
    return _page(request, KnowledgeBase.for_request(request))


def _page(request: Request, knowledge_base: KnowledgeBase, error=None, typed: dict | None = None) -> dict:
    found = sections(request, knowledge_base)
    if not found:
        raise HTTPForbidden()
    return {"sections": found, "error": error, "typed": typed or {}}


@view_config(route_name="kb.categories", request_method="POST", permission="workspace", renderer=PAGE)
def change_categories(request: Request) -> dict | Response:
    """``action``: ``add`` (department, parent, name), ``change`` (id, name, parent) or ``delete`` (id)."""
    knowledge_base = KnowledgeBase.for_request(request)
    action = request.POST.get("action")
    typed = {name: value for name, value in request.POST.items() if isinstance(value, str)}
    try:
        with request.dbsession.begin_nested():
            message = _apply(request, knowledge_base, action)
    except KbError as error:
        request.response.status_int = 400
        return _page(request, knowledge_base, error.message, typed)
    except colander.Invalid as invalid:
        request.response.status_int = 400
        messages = invalid.asdict(request.localizer.translate).values()
        return _page(request, knowledge_base, "; ".join(messages), typed)
    request.session.flash(request.localizer.translate(message))
    return HTTPSeeOther(location=request.route_url("kb.categories"))


def _apply(request: Request, knowledge_base: KnowledgeBase, action: str | None):
    if action == "add":
        values = CategorySchema().deserialize(_posted(request, ("name", "parent", "department")))
        category = categories.add(knowledge_base, values["name"], values["department"], values["parent"])
        return _("The category «${name}» was added.", mapping={"name": category.name})
    category = _category(request)
    if action == "change":
        values = CategorySchema().deserialize(_posted(request, ("name", "parent")))
        categories.change(knowledge_base, category, values["name"], values["parent"])
        return _("The category «${name}» was saved.", mapping={"name": category.name})
    if action == "delete":
        categories.remove(knowledge_base, category)
        return _("The category «${name}» was deleted.", mapping={"name": category.name})
    raise KbError(_("Choose a value from the list."))


def _posted(request: Request, names: tuple[str, ...]) -> dict:
    posted = {name: request.POST.get(name, "") for name in names}
    return {name: normalize_digits(value) if name != "name" else value for name, value in posted.items()}


def _category(request: Request) -> Category:
    digits = normalize_digits(request.POST.get("id"))
    category = request.dbsession.get(Category, int(digits)) if digits and int(digits) <= MAX_ID else None
    if category is None:
        raise KbError(_("This category is no longer there."))
    return category
