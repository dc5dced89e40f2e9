from pyramid.httpexceptions import HTTPSeeOther
from pyramid.security import forget, remember
from pyramid.view import view_config

from core.auth import LoginRefused, login
from core.i18n import _
from core.urls import local_path

MAX_USERNAME = 100
MAX_PASSWORD = 256


def safe_target(request, came_from: str | None) -> str:
    """Only paths on this site: a login link must not send people elsewhere."""
    home = "core.dashboard" if request.has_permission("workspace") else "core.home"
    return local_path(came_from) or request.route_url(home)


@view_config(route_name="core.login", renderer="core:templates/login.jinja2", permission="view")
def login_view(request):
    came_from = request.params.get("came_from", "")
    username = ""
    error = None
    if request.method == "POST":
        username = request.POST.get("username", "")[:MAX_USERNAME]
        password = request.POST.get("password", "")
        if not username.strip() or not password:
            error = _("Enter your username and password.")
        elif len(password) > MAX_PASSWORD:
            error = _("The username or password is not correct.")
        else:
            try:
                user = login(
                    request.dbsession,
                    request.registry.pluginmanager,
                    request.registry.settings,
                    username,
                    password,
                    request.client_addr or "",
                )
            except LoginRefused as refused:
                error = refused.message
            else:
                headers = remember(request, user.id)
                request.user = user
                return HTTPSeeOther(location=safe_target(request, came_from), headers=headers)
        request.response.status_int = 400 if error else 200
    return {"username": username, "error": error, "came_from": came_from}


@view_config(route_name="core.logout", request_method="POST", permission="view")
def logout_view(request):
    return HTTPSeeOther(location=request.route_url("core.home"), headers=forget(request))
