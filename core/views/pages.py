from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import view_config

from core.contracts import DashboardWidget
from core.i18n import LANGUAGE_COOKIE, LANGUAGES
from core.pagecache import cached_for_visitors
from core.plugins import flatten, ordered
from core.urls import local_path
from core.widgets import core_widgets


@view_config(route_name="core.home", renderer="core:templates/home.jinja2", permission="view",
             decorator=cached_for_visitors(30))
def home(request):
    """The greeting, then the plugins' sections (the knowledge base's search box)."""
    sections = ordered(flatten(request.registry.pluginmanager.hook.pishkhan_portal_home_sections(request=request)))
    return {"sections": [section.render(request) for section in sections]}


@view_config(route_name="core.dashboard", renderer="core:templates/dashboard.jinja2", permission="workspace")
def dashboard(request):
    widgets: list[DashboardWidget] = ordered(
        flatten(request.registry.pluginmanager.hook.pishkhan_dashboard_widgets(request=request)) + core_widgets()
    )
    visible = [w for w in widgets if w.permission is None or request.has_permission(w.permission)]
    return {"widgets": [(widget, widget.render(request)) for widget in visible]}


@view_config(route_name="core.language", request_method=("GET", "POST"), permission="view")
def switch_language(request):
    """Remember the language for this browser; a signed-in person's POST saves it on the account.

    A GET only sets the browser's cookie (visitors follow a link, so their pages need no session).
    """
    language = request.params.get("language")
    target = local_path(request.params.get("came_from")) or request.route_url("core.home")
    response = HTTPSeeOther(location=target)
    if language in LANGUAGES:
        response.set_cookie(LANGUAGE_COOKIE, language, max_age=365 * 86400, samesite="Lax", httponly=True)
        if request.method == "POST" and request.user is not None:
            request.user.preferred_language = language
    return response
