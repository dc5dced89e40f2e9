import types

from core import hookimpl
from core.auth import create_api_token
from core.contracts import Identity
from core.models import User
from core.security import ALL_DEPARTMENTS, department_subtree_ids
from core.testing import csrf_token, log_in


def login_form(testapp, username, password):
    return testapp.post(
        "/login", {"username": username, "password": password, "csrf_token": csrf_token(testapp)}, status="*"
    )


def test_wrong_password_is_refused_without_saying_which_part(testapp, demo_org):
    page = login_form(testapp, "agent", "wrong-password")
    assert page.status_int == 400
    assert page.html.find(attrs={"data-testid": "login-error"}) is not None
    assert "Traceback" not in page.text
    unknown = login_form(testapp, "nobody-here", "wrong-password")
    assert unknown.html.find(attrs={"data-testid": "login-error"}).text == page.html.find(
        attrs={"data-testid": "login-error"}).text


def test_repeated_failures_are_throttled_even_with_the_right_password(testapp, demo_org):
    first_error = login_form(testapp, "agent", "bad").html.find(attrs={"data-testid": "login-error"}).text
    for _ in range(4):
        login_form(testapp, "agent", "bad")
    page = login_form(testapp, "agent", "pishkhan123")
    assert page.status_int == 400
    assert page.html.find(attrs={"data-testid": "login-error"}).text != first_error
    assert testapp.get("/workspace", status="*").status_int == 303  # still anonymous


def test_username_accepts_persian_digits_and_arabic_letters(testapp, demo_org):
    log_in(testapp, "AGENT ")
    assert "سارا کریمی" in testapp.get("/workspace").text


def test_disabled_account_cannot_log_in(testapp, demo_org):
    demo_org.query(User).filter_by(username="agent").one().is_active = False
    page = login_form(testapp, "agent", "pishkhan123")
    assert page.status_int == 400


def test_post_without_csrf_token_is_refused(testapp, demo_org):
    log_in(testapp, "agent")
    page = testapp.post("/logout", status=400)
    assert 'data-testid="error-page"' in page.text
    assert "Traceback" not in page.text
    assert testapp.get("/workspace").status_int == 200  # still logged in


def test_login_redirect_stays_on_this_site(testapp, demo_org):
    response = testapp.post("/login", {"username": "agent", "password": "pishkhan123", "came_from": "//evil.example",
                                       "csrf_token": csrf_token(testapp)}, status=303)
    assert response.location == "http://localhost/workspace"


def test_requester_cannot_open_the_workspace_or_admin(testapp, demo_org):
    log_in(testapp, "student")
    assert testapp.get("/workspace", status=403).html.find(attrs={"data-testid": "error-page"})
    testapp.get("/admin", status=403)


def test_anonymous_is_sent_to_login(testapp):
    response = testapp.get("/workspace", status=303)
    assert "/login?came_from=%2Fworkspace" in response.location


def test_unknown_page_is_a_friendly_404(testapp):
    page = testapp.get("/no/such/page", status=404)
    assert 'data-testid="error-page"' in page.text


def test_api_token_authenticates_without_csrf(testapp, demo_org):
    user = demo_org.query(User).filter_by(username="it.lead").one()
    token = create_api_token(demo_org, user)
    response = testapp.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.json["username"] == "it.lead"
    assert response.content_type == "application/json"
    assert user.full_name in response.text  # Persian as UTF-8 text, not \u escapes
    testapp.get("/api/v1/me", headers={"Authorization": "Bearer pk_wrong"}, status=401)


def test_principals_are_scoped_by_department(testapp, demo_org, app):
    agent = demo_org.query(User).filter_by(username="it.eng").one()
    director = demo_org.query(User).filter_by(username="director").one()
    request = types.SimpleNamespace(dbsession=demo_org, registry=app.registry, environ={})
    from core.security import user_principals

    agent_principals = user_principals(request, agent)
    assert f"department:{agent.department_id}" in agent_principals
    assert f"department:{agent.teams[0].department_id}" in agent_principals  # the IT team's department
    assert ALL_DEPARTMENTS not in agent_principals
    assert ALL_DEPARTMENTS in user_principals(request, director)


def test_department_subtree(demo_org):
    from core.models import Department

    it = demo_org.query(Department).filter_by(code="it").one()
    it_eng = demo_org.query(Department).filter_by(code="it-eng").one()
    assert department_subtree_ids(demo_org, it.id) == {it.id, it_eng.id}


def test_plugins_add_principals_and_identities(testapp, demo_org, register_plugin):
    user = demo_org.query(User).filter_by(username="staff").one()

    class SingleSignOn:
        @hookimpl
        def pishkhan_identify(self, request):
            if request.headers.get("X-SSO-User") == "staff":
                return Identity(user_id=user.id, username="staff")
            return None

        @hookimpl
        def pishkhan_principals(self, request, user):
            return ["role:agent"] if user.username == "staff" else None

    register_plugin(SingleSignOn(), "sso")
    page = testapp.get("/workspace", headers={"X-SSO-User": "staff"})
    assert "محسن توکلی" in page.text


def test_outside_directory_can_refuse_a_login(testapp, demo_org, register_plugin):
    class Directory:
        @hookimpl
        def pishkhan_authenticate(self, dbsession, login, password, settings):
            return False if login == "agent" else None

    register_plugin(Directory(), "ldap")
    assert login_form(testapp, "agent", "pishkhan123").status_int == 400
    assert login_form(testapp, "it.lead", "pishkhan123").status_int == 303


def test_language_switch_never_redirects_to_another_site(testapp):
    token = csrf_token(testapp)
    for target in ("//evil.example/", "/\\evil.example", "https://evil.example/", "/\r\nLocation: x"):
        response = testapp.post("/language", {"language": "en", "came_from": target, "csrf_token": token},
                                status=303)
        assert response.location == "http://localhost/"
        link = testapp.get("/language", {"language": "en", "came_from": target}, status=303)
        assert link.location == "http://localhost/"
    kept = testapp.post("/language", {"language": "fa", "came_from": "/login?x=1", "csrf_token": token}, status=303)
    assert kept.location.endswith("/login?x=1")


def test_visitors_pages_make_no_session(testapp):
    assert "Set-Cookie" not in testapp.get("/").headers


def test_a_signed_in_language_choice_is_saved_on_the_account(testapp, demo_org):
    log_in(testapp, "agent")
    token = testapp.get("/workspace").html.find("input", {"name": "csrf_token"})["value"]
    testapp.post("/language", {"language": "en", "csrf_token": token, "came_from": "/workspace"}, status=303)
    assert demo_org.query(User).filter_by(username="agent").one().preferred_language == "en"
    testapp.get("/language?language=fa", status=303)  # a link only sets the cookie
    assert demo_org.query(User).filter_by(username="agent").one().preferred_language == "en"
    testapp.post("/language", {"language": "fa"}, status=400)  # no token, no change


def test_no_page_may_be_framed_or_sniffed(testapp, demo_org):
    """Clickjacking: another site must not frame a form (log-in, a ticket's buttons) under a decoy."""
    for response in (testapp.get("/login"), testapp.get("/no/such/page", status=404),
                     testapp.get("/api/v1/openapi.json")):
        assert response.headers["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"


def test_an_address_that_is_not_utf8_is_a_400_not_a_500(testapp):
    page = testapp.get("/login?came_from=%FF", status=400)
    assert page.html.find(attrs={"data-testid": "error-page"}) is not None
    assert "Traceback" not in page.text
    path = testapp.get("/%FF", status=400)
    assert path.content_type == "text/plain" and path.text.strip()
    assert testapp.get("/api/v1/%FF", status=400).json["error"]["code"] == "invalid_encoding"
