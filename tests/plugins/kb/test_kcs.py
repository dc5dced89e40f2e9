"""KCS on the ticket page: the knowledge card, search from a ticket, "solved with" links and reuse,
drafts from tickets, flags, and resolved tickets heard through the ticket hooks."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import webtest
from sqlalchemy import select

import plugins.tickets
from core.app import make_app
from core.contracts import SearchQuery
from core.testing import counted_statements, csrf_token, log_in, new_plugin_manager
from plugins.kb import search
from plugins.kb.articles import ArticleInput
from plugins.kb.models import Article, Flag, ResolvedTicket, TicketLink
from plugins.tickets.models import Category
from plugins.tickets.sla.ticket_clocks import forget_calendars
from tests.plugins.kb.kcs_support import department, desk, find_form, form_fields, open_ticket, resolve

PRINTER_TITLE = "رفع گیر کردن کاغذ در چاپگر"


@pytest.fixture(autouse=True)
def fresh_calendars():
    forget_calendars()


def published(kb, code: str, title: str, body: str, audience: str = "public", summary: str = "") -> Article:
    writer = kb(None)
    article = writer.create(ArticleInput(title=title, department_id=department(writer.dbsession, code).id,
                                         body=body, summary=summary, audience=audience))
    return writer.transition(article, "publish")


@pytest.fixture
def articles(kb, tickets_org):
    return {
        "printer": published(kb, "it", PRINTER_TITLE, "اگر کاغذ در چاپگر گیر کرد، سینی را بیرون بیاورید و غلتک را "
                             "تمیز کنید.", summary="چاپگر کاغذ را گیر می‌اندازد"),
        "toner": published(kb, "it", "تعویض کارتریج چاپگر", "کارتریج چاپگر را این‌گونه عوض کنید.",
                           audience="internal"),
        "vpn": published(kb, "it", "اتصال به وی‌پی‌ان دانشگاه", "برای اتصال به وی‌پی‌ان نرم‌افزار را نصب کنید."),
        "leave": published(kb, "hr", "مرخصی استحقاقی کارکنان", "هر کارمند سالانه ۲۶ روز مرخصی دارد."),
    }


@pytest.fixture
def ticket(tickets_org, settings, pluginmanager, articles):
    return open_ticket(tickets_org, settings, pluginmanager)


@pytest.fixture
def agent(testapp, tickets_org):
    log_in(testapp, "agent")
    return testapp


def ticket_url(ticket) -> str:
    return f"/desk/tickets/{ticket.id}"


def titles(element) -> list[str]:
    """The titles of the articles found, as read (without the highlighting's tags)."""
    found = element.find_all(attrs={"data-testid": "kb-result"})
    return [" ".join(item.find("a").get_text().split()) for item in found]


def panel(page):
    return page.html.find(attrs={"data-testid": "kb-panel"})


def link(agent, page, article, solved_with: bool = True, action: str = "link"):
    form = find_form(page, r"/for-ticket/\d+/links$", action=action, article_id=article.id,
                     **({"solved_with": "1" if solved_with else "0"} if action == "link" else {}))
    return agent.post(form["action"], form_fields(form), status=303).follow()


# --- the card --------------------------------------------------------------------------------

def test_the_knowledge_card_is_on_an_it_agents_ticket_page(agent, ticket, articles):
    page = agent.get(ticket_url(ticket))
    card = page.html.find(attrs={"data-panel": "kb.knowledge"})
    assert card is not None and "دانش" in card.get_text()
    suggested = panel(page).find(attrs={"data-testid": "kb-suggested"})
    found = titles(suggested)
    assert PRINTER_TITLE in found and len(found) <= 3
    assert "مرخصی استحقاقی کارکنان" not in found
    assert panel(page).find(attrs={"data-testid": "kb-no-links"}) is not None
    assert panel(page).find(attrs={"data-testid": "kb-search"}) is not None


def test_internal_articles_are_suggested_to_agents(agent, tickets_org, settings, pluginmanager, articles):
    ticket = open_ticket(tickets_org, settings, pluginmanager, subject="کارتریج چاپگر")
    suggested = panel(agent.get(ticket_url(ticket))).find(attrs={"data-testid": "kb-suggested"})
    assert "تعویض کارتریج چاپگر" in suggested.get_text()


def test_searching_from_the_ticket(agent, ticket, articles):
    page = agent.get(ticket_url(ticket))
    form = panel(page).find("form", attrs={"role": "search"})
    params = {**form_fields(form), "q": "وی پی ان"}
    fragment = agent.get(form["action"], params, headers={"HX-Request": "true"})
    assert "<html" not in fragment.text
    assert titles(fragment.html)[0] == "اتصال به وی‌پی‌ان دانشگاه"
    results = fragment.html.find_all(attrs={"data-testid": "kb-result"})
    assert results[0].find(attrs={"data-testid": "kb-solved-with"}) is not None

    nothing = agent.get(form["action"], {**params, "q": "زرافه‌ی بنفش"}, headers={"HX-Request": "true"})
    assert nothing.html.find(attrs={"data-testid": "kb-no-results"}) is not None
    without_javascript = agent.get(form["action"], params)
    assert "<html" in without_javascript.text and "اتصال به وی‌پی‌ان دانشگاه" in titles(without_javascript.html)


def test_linking_as_solved_with_counts_a_reuse_and_unlinking_takes_it_back(agent, ticket, articles, org):
    printer = articles["printer"]
    page = link(agent, agent.get(ticket_url(ticket)), printer)
    assert "به‌عنوان مقاله‌ای که این درخواست را حل کرد" in page.text
    linked = panel(page).find(attrs={"data-testid": "kb-linked"})
    assert PRINTER_TITLE in linked.get_text() and linked.find(attrs={"data-testid": "kb-solved-with-badge"})
    org.refresh(printer)
    assert printer.reuse_count == 1
    row = org.get(TicketLink, (printer.id, ticket.id))
    assert row.tracking_code == ticket.tracking_code and row.solved_with

    suggested = panel(page).find(attrs={"data-testid": "kb-suggested"})
    assert suggested is None or PRINTER_TITLE not in suggested.get_text()  # not suggested twice

    page = link(agent, page, printer, action="unlink")
    org.refresh(printer)
    assert printer.reuse_count == 0 and org.get(TicketLink, (printer.id, ticket.id)) is None

    page = link(agent, page, printer, solved_with=False)
    org.refresh(printer)
    assert printer.reuse_count == 0 and not org.get(TicketLink, (printer.id, ticket.id)).solved_with
    page = link(agent, page, printer)  # "solved with this" on a link that was only a reference
    org.refresh(printer)
    assert printer.reuse_count == 1 and org.get(TicketLink, (printer.id, ticket.id)).solved_with


def test_a_forged_link_for_another_departments_ticket_is_refused(app, testapp, dbsession, ticket, articles,
                                                                 tickets_org, settings, pluginmanager):
    printer = articles["printer"]
    hr_ticket = open_ticket(tickets_org, settings, pluginmanager, "hr", subject="مرخصی استحقاقی من چند روز است")
    log_in(testapp, "hr.desk")
    hr_page = testapp.get(ticket_url(hr_ticket))
    hr_fields = form_fields(panel(hr_page).find("form", attrs={"role": "search"}))
    testapp.get(ticket_url(ticket), status=404)  # the tickets plugin hides the IT ticket
    token = csrf_token(testapp)
    fields = {"csrf_token": token, "action": "link", "article_id": printer.id, "solved_with": "1", "came_from": "/"}

    # hr.desk's own grant, sent for the IT ticket; then one claiming the IT department
    testapp.post(f"/desk/kb/for-ticket/{ticket.id}/links", {**fields, "grant": hr_fields["grant"]}, status=404)
    _hr_department, code, issued, signature = hr_fields["grant"].split(".")
    forged = ".".join((str(ticket.department_id), ticket.tracking_code, issued, signature))
    testapp.post(f"/desk/kb/for-ticket/{ticket.id}/links", {**fields, "grant": forged}, status=404)
    testapp.get(f"/desk/kb/for-ticket/{ticket.id}", {"grant": forged, "q": "چاپگر"}, status=404)

    # the IT agent's grant, replayed from hr.desk's session
    it_agent = webtest.TestApp(app, extra_environ={"app.dbsession": dbsession, "HTTP_HOST": "localhost"})
    log_in(it_agent, "agent")
    it_grant = form_fields(panel(it_agent.get(ticket_url(ticket))).find("form", attrs={"role": "search"}))["grant"]
    testapp.post(f"/desk/kb/for-ticket/{ticket.id}/links", {**fields, "grant": it_grant}, status=404)

    assert dbsession.scalar(select(TicketLink).where(TicketLink.ticket_id == ticket.id)) is None
    dbsession.refresh(printer)
    assert printer.reuse_count == 0


def test_going_back_stays_on_this_site_and_a_bad_article_number_is_404(agent, ticket, articles):
    """A tab is dropped by browsers from an address: ``/\t/evil.example`` would open another site."""
    printer = articles["printer"]
    form = find_form(agent.get(ticket_url(ticket)), r"/for-ticket/\d+/links$", action="link", article_id=printer.id,
                     solved_with="1")
    fields = form_fields(form)
    for target in ("/\t/evil.example", "//evil.example", "/\\evil.example", "https://evil.example"):
        response = agent.post(form["action"], {**fields, "came_from": target}, status=303)
        assert response.location == "http://localhost/desk/kb"
    for number in ("9" * 30, "²"):
        agent.post(form["action"], {**fields, "action": "unlink", "article_id": number}, status=404)


def test_a_link_post_needs_the_csrf_token(agent, ticket, articles):
    form = find_form(agent.get(ticket_url(ticket)), r"/links$", action="link", article_id=articles["printer"].id,
                     solved_with="1")
    fields = {**form_fields(form), "csrf_token": "forged"}
    agent.post(form["action"], fields, status=400)


@pytest.mark.parametrize("action", [None, "", "delete"])
def test_a_link_post_without_a_known_action_is_refused_on_a_persian_page(agent, org, ticket, articles, action):
    """Not WebOb's English "400 Bad Request": the workspace's page, in the reader's language."""
    form = find_form(agent.get(ticket_url(ticket)), r"/links$", action="link", article_id=articles["printer"].id,
                     solved_with="1")
    fields = {name: value for name, value in form_fields(form).items() if name != "action"}
    if action is not None:
        fields["action"] = action
    refused = agent.post(form["action"], fields, status=400)
    assert refused.html.find("html")["lang"] == "fa"
    message = refused.html.find(attrs={"data-testid": "page-error"}).get_text(strip=True)
    assert message == "انتخاب کنید مقاله به این درخواست پیوند داده شود یا پیوندش برداشته شود."
    assert "Bad Request" not in refused.text
    back = refused.html.find("a", string="بازگشت")
    assert back is not None and back["href"] == ticket_url(ticket)
    assert org.get(TicketLink, (articles["printer"].id, ticket.id)) is None


# --- a draft from the ticket -----------------------------------------------------------------

def test_create_an_article_from_a_resolved_ticket(agent, ticket, tickets_org, settings, pluginmanager):
    resolve(tickets_org, settings, pluginmanager, ticket, note="سینی کاغذ را بیرون آوردیم و غلتک را تمیز کردیم.")
    page = agent.get(ticket_url(ticket))
    href = panel(page).find(attrs={"data-testid": "kb-new-from-ticket"})["href"]
    url = urlsplit(href)
    assert url.path == "/desk/kb/new"
    params = {name: values[0] for name, values in parse_qs(url.query).items()}
    assert params["title"] == ticket.subject
    assert params["summary"] == "هر بار که چاپ می‌زنم کاغذ وسط دستگاه گیر می‌کند."
    assert params["body"] == ("## مشکل\n\nهر بار که چاپ می‌زنم کاغذ وسط دستگاه گیر می‌کند.\n\n"
                              "## راه‌حل\n\nسینی کاغذ را بیرون آوردیم و غلتک را تمیز کردیم.\n")
    assert params["department_id"] == str(ticket.department_id)
    assert params["from_ticket"] == str(ticket.id)
    assert params["ticket_code"] == ticket.tracking_code


def chosen(editor, name: str) -> str:
    """The option the author sees chosen in the editor's ``name`` list."""
    select = editor.html.find("select", attrs={"name": name})
    options = select.find_all("option", selected=True) or select.find_all("option")[:1]
    return options[0].get_text(strip=True)


@pytest.mark.parametrize(("username", "code", "resolver"), [("agent", "it", "agent"), ("admin", "hr", "hr.desk")])
def test_the_draft_from_a_ticket_has_its_department_and_service_chosen(testapp, tickets_org, settings, pluginmanager,
                                                                       username, code, resolver):
    """The author saves without picking either again. The IT agent writes for IT only; the admin,
    of IT, for every department: the HR ticket's draft is HR's, not the admin's own department's."""
    ticket = open_ticket(tickets_org, settings, pluginmanager, code)
    resolve(tickets_org, settings, pluginmanager, ticket, username=resolver)
    assert ticket.resolved_at is not None
    log_in(testapp, username)
    href = panel(testapp.get(ticket_url(ticket))).find(attrs={"data-testid": "kb-new-from-ticket"})["href"]
    editor = testapp.get(href)
    assert chosen(editor, "department") == ticket.department.name
    assert ticket.service_title and chosen(editor, "service") == ticket.service_title
    editor.forms["article-editor"].submit("save", status=303)
    draft = tickets_org.scalar(select(Article).where(Article.title == ticket.subject))
    assert (draft.department_id, draft.service_key) == (ticket.department_id, ticket.service_key)


@pytest.mark.parametrize("username", ["agent", "admin"])
def test_a_drafts_service_that_the_editor_does_not_offer_is_left_to_choose(testapp, tickets_org, username):
    """A service no longer there, another department's (the agent is not offered it; the admin is,
    but not for an IT article) or nonsense: "No particular service", and the department stays."""
    log_in(testapp, username)
    it, hr = department(tickets_org, "it"), department(tickets_org, "hr")
    hr_service = tickets_org.scalar(select(Category.id).where(Category.department_id == hr.id).limit(1))
    for service in ("category:999999", f"category:{hr_service}", "<b>"):
        editor = testapp.get("/desk/kb/new", {"department_id": it.id, "service": service})
        assert chosen(editor, "department") == it.name
        assert chosen(editor, "service") == "بدون خدمت مشخص"  # "No particular service"


def test_a_draft_from_an_open_ticket_leaves_the_solution_to_write(agent, ticket):
    href = panel(agent.get(ticket_url(ticket))).find(attrs={"data-testid": "kb-new-from-ticket"})["href"]
    body = parse_qs(urlsplit(href).query)["body"][0]
    assert body.endswith("## راه‌حل\n") and "## مشکل" in body


# --- flags -----------------------------------------------------------------------------------

def test_flag_an_article_from_the_ticket_and_a_publisher_resolves_it(agent, app, dbsession, ticket, articles):
    printer = articles["printer"]
    page = agent.get(ticket_url(ticket))
    form = panel(page).find("form", action=f"/desk/kb/{printer.id}/flags")
    done = agent.post(form["action"], {**form_fields(form), "kind": "outdated",
                                       "note": "منوی چاپگرهای جدید فرق کرده است"}, status=303).follow()
    assert done.request.path == ticket_url(ticket) and "گزارش شما را می‌بیند" in done.text
    flag = dbsession.scalar(select(Flag).where(Flag.article_id == printer.id))
    assert (flag.kind, flag.note, flag.ticket_id, flag.resolved_at) == (
        "outdated", "منوی چاپگرهای جدید فرق کرده است", ticket.id, None)
    dbsession.refresh(printer)
    assert printer.open_flag_count == 1

    # the agent is no publisher: the flag stays open
    flags_page = agent.get(f"/desk/kb/{printer.id}/flags")
    assert flags_page.html.find(attrs={"data-testid": "kb-resolve-flag"}) is None
    agent.post(f"/desk/kb/flags/{flag.id}/resolve", {"csrf_token": csrf_token(agent)}, status=400)

    lead = webtest.TestApp(app, extra_environ={"app.dbsession": dbsession, "HTTP_HOST": "localhost"})
    log_in(lead, "it.lead")
    flags_page = lead.get(f"/desk/kb/{printer.id}/flags")
    assert "منوی چاپگرهای جدید فرق کرده است" in flags_page.text
    resolve_form = flags_page.html.find("form", action=f"/desk/kb/flags/{flag.id}/resolve")
    lead.post(resolve_form["action"], form_fields(resolve_form), status=303)
    dbsession.refresh(flag)
    dbsession.refresh(printer)
    assert flag.resolved_at is not None and printer.open_flag_count == 0
    lead.post(resolve_form["action"], form_fields(resolve_form), status=303)  # twice changes nothing
    dbsession.refresh(printer)
    assert printer.open_flag_count == 0


def test_a_flag_without_a_note_is_explained_and_keeps_what_was_chosen(agent, ticket, articles, dbsession):
    printer = articles["printer"]
    form = panel(agent.get(ticket_url(ticket))).find("form", action=f"/desk/kb/{printer.id}/flags")
    page = agent.post(form["action"], {**form_fields(form), "kind": "wrong", "note": "  "}, status=400)
    assert page.html.find(attrs={"data-testid": "form-error"}) is not None
    assert page.html.find("option", selected=True)["value"] == "wrong"
    again = page.html.find("form", action=f"/desk/kb/{printer.id}/flags")
    assert form_fields(again)["came_from"] == ticket_url(ticket)
    assert dbsession.scalar(select(Flag).where(Flag.article_id == printer.id)) is None


def test_nobody_flags_what_they_cannot_read(testapp, kb, articles):
    draft = kb(None).create(ArticleInput(title="پیش‌نویس منابع انسانی", department_id=articles["leave"].department_id))
    log_in(testapp, "agent")
    testapp.get(f"/desk/kb/{draft.id}/flags", status=404)
    testapp.post(f"/desk/kb/{draft.id}/flags", {"csrf_token": csrf_token(testapp), "kind": "wrong", "note": "x"},
                 status=404)


# --- resolved tickets through the ticket hooks ------------------------------------------------

def test_resolving_through_the_desk_records_the_resolution_and_reopening_forgets_it(
        tickets_org, settings, pluginmanager, ticket):
    resolve(tickets_org, settings, pluginmanager, ticket)
    row = tickets_org.get(ResolvedTicket, ticket.id)
    assert (row.department_id, row.resolved_at) == (ticket.department_id, ticket.resolved_at)

    desk(tickets_org, settings, pluginmanager, "agent").transition(ticket, "reopen", note="دوباره گیر کرد")
    assert tickets_org.get(ResolvedTicket, ticket.id) is None

    resolve(tickets_org, settings, pluginmanager, ticket, note="غلتک را عوض کردیم.")
    assert tickets_org.get(ResolvedTicket, ticket.id).resolved_at == ticket.resolved_at


# --- what the card costs ----------------------------------------------------------------------

def test_the_card_costs_one_query_and_one_search(agent, ticket, articles, app_settings, dbsession, engine, kb):
    """The ticket page with the kb plugin, minus the same page without it, is the card: its
    links query and its search — whatever the number of links."""
    tickets_only = new_plugin_manager(app_settings)
    tickets_only.register_plugin(plugins.tickets, name="tickets")
    plain = webtest.TestApp(make_app(dict(app_settings), pluginmanager=tickets_only),
                            extra_environ={"app.dbsession": dbsession, "HTTP_HOST": "localhost"})
    log_in(plain, "agent")

    def statements(client) -> int:
        with counted_statements(engine, dbsession) as seen:
            client.get(ticket_url(ticket))
        return len(seen)

    def search_statements() -> int:
        writer = kb("agent")
        with counted_statements(engine, dbsession) as seen:
            search.find(dbsession, writer.backend, SearchQuery(ticket.subject, ("public", "internal"), limit=3))
        return len(seen)

    for client in (agent, plain):
        client.get(ticket_url(ticket))  # calendars and viewer marks settle
    card = statements(agent) - statements(plain)
    assert card <= 1 + search_statements()

    for article in (articles["printer"], articles["vpn"], articles["toner"]):
        dbsession.add(TicketLink(article_id=article.id, ticket_id=ticket.id, tracking_code=ticket.tracking_code))
    dbsession.flush()
    assert statements(agent) - statements(plain) == card
