"""The authors' workspace: the editor, the editorial flow and who may do what."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from core.models import User
from plugins.kb.models import Article, ArticleVersion, RelatedArticle
from tests.plugins.kb.authoring_support import department_id, editor_form, persian, sign_in, write


@pytest.fixture
def agent(testapp, org):
    return sign_in(testapp, "agent")


def test_an_agent_writes_a_draft_in_the_editor(agent, dbsession):
    page = agent.get("/desk/kb/new")
    form = editor_form(page)
    assert [value for value, _selected, _text in form["department"].options] == [
        str(department_id(dbsession, "it")), str(department_id(dbsession, "it-eng"))]
    form["title"] = "  اتصال به  وايفاي "
    form["summary"] = "راهنمای اتصال"
    form["body"] = "## مراحل\n\n- شبکه را انتخاب کنید"
    form["department"] = str(department_id(dbsession, "it"))
    form["tags"] = "وای‌فای، شبکه, wifi\nشبکه"
    form["note"] = "نسخه نخست"
    saved = form.submit("save", status=303)
    article = dbsession.scalar(select(Article).order_by(Article.id.desc()).limit(1))
    assert saved.location.endswith(f"/desk/kb/{article.id}/edit")
    assert (article.title, article.state, article.owner.username) == ("اتصال به وایفای", "draft", "agent")
    assert article.tag_names == sorted(["وای‌فای", "شبکه", "wifi"])
    assert article.key.startswith("it-")
    version = dbsession.scalar(select(ArticleVersion).where(ArticleVersion.article_id == article.id))
    assert version.note == "نسخه نخست"
    page = saved.follow()
    assert persian("The draft was created.") in page.text
    assert editor_form(page)["title"].value == "اتصال به وایفای"


def test_a_draft_can_start_from_a_ticket(agent, dbsession):
    it = department_id(dbsession, "it")
    page = agent.get("/desk/kb/new", {"title": "چاپگر کار نمی‌کند", "summary": "خلاصه", "body": "راه‌حل: ...",
                                      "department_id": str(it), "tags": "چاپگر، شبکه", "from_ticket": "17",
                                      "ticket_code": "12345678901"})
    form = editor_form(page)
    assert form["title"].value == "چاپگر کار نمی‌کند"
    assert form["body"].value == "راه‌حل: ..."
    assert form["department"].value == str(it)
    assert form["tags"].value == "چاپگر، شبکه"
    notice = page.html.find(attrs={"data-testid": "from-ticket"}).text
    assert persian("Draft from ticket") in notice and "۱۲۳۴-۵۶۷-۸۹۰۱" in notice
    assert form["from_ticket"].value == "17"
    form.submit("save", status=303)
    article = dbsession.scalar(select(Article).where(Article.title == "چاپگر کار نمی‌کند"))
    note = dbsession.scalar(select(ArticleVersion.note).where(ArticleVersion.article_id == article.id))
    assert "1234-567-8901" in note


def test_missing_title_and_bad_key_are_refused_in_persian_and_nothing_typed_is_lost(agent):
    form = editor_form(agent.get("/desk/kb/new"))
    form["body"] = "متنی که نباید گم شود"
    form["key"] = "Not A Key!"
    page = form.submit("save", status=400)
    assert persian("Required") in page.text
    assert persian("A key has lower-case Latin letters, digits, dots, dashes and underscores.") in page.text
    assert editor_form(page)["body"].value == "متنی که نباید گم شود"


def test_a_key_already_taken_is_shown_beside_the_key(agent, kb):
    write(kb, "agent", key="wifi-help")
    form = editor_form(agent.get("/desk/kb/new"))
    form["title"] = "عنوان دیگر"
    form["key"] = "wifi-help"
    page = form.submit("save", status=400)
    error = page.html.find(id=lambda value: value and value.startswith("error-")).text
    assert persian("Another article already has this key.") in error
    assert editor_form(page)["title"].value == "عنوان دیگر"


def test_an_agent_submits_for_review_but_cannot_publish(agent, kb, dbsession):
    article = write(kb, "agent")
    page = agent.get(f"/desk/kb/{article.id}/edit")
    assert [button["data-action"] for button in page.html.select("[data-testid=transitions] button")] == ["submit"]
    page.forms[0]  # the transition forms come before the editor
    token = editor_form(page)["csrf_token"].value
    agent.post(f"/desk/kb/{article.id}/transition", {"csrf_token": token, "action": "submit",
                                                      "version": article.version}, status=303)
    dbsession.refresh(article)
    assert article.state == "review"
    refused = agent.post(f"/desk/kb/{article.id}/transition", {"csrf_token": token, "action": "publish",
                                                                "version": article.version}, status=400)
    assert persian("You may not do this with this article.") in refused.text
    dbsession.refresh(article)
    assert article.state == "review"


def test_a_team_lead_publishes_and_validates(testapp, kb, dbsession, org):
    article = write(kb, "agent", state="review")
    lead = sign_in(testapp, "it.lead")
    page = lead.get(f"/desk/kb/{article.id}/edit")
    actions = [button["data-action"] for button in page.html.select("[data-testid=transitions] button")]
    assert actions == ["publish", "return_to_draft", "archive"]
    assert [button.text for button in page.html.select("[data-testid=transitions] button")] == [
        persian("Publish"), persian("Return to draft"), persian("Archive")]
    form = next(form for form in page.forms.values() if form.get("action", default=None)
                and form["action"].value == "publish")
    form.submit(status=303).follow()
    dbsession.refresh(article)
    assert article.state == "published"
    page = lead.get(f"/desk/kb/{article.id}/edit")
    assert "validate" in [button["data-action"] for button in page.html.select("[data-testid=transitions] button")]
    token = editor_form(page)["csrf_token"].value
    lead.post(f"/desk/kb/{article.id}/transition", {"csrf_token": token, "action": "validate",
                                                     "version": article.version}, status=303)
    dbsession.refresh(article)
    assert article.confidence == "validated"


def test_a_stale_transition_is_a_conflict(testapp, kb, dbsession, org):
    article = write(kb, "agent", state="review")
    lead = sign_in(testapp, "it.lead")
    token = editor_form(lead.get(f"/desk/kb/{article.id}/edit"))["csrf_token"].value
    page = lead.post(f"/desk/kb/{article.id}/transition", {"csrf_token": token, "action": "publish",
                                                            "version": article.version - 1}, status=409)
    assert persian("Someone else changed this article after the page was shown. Check it and try again.") in page.text
    dbsession.refresh(article)
    assert article.state == "review"


def test_an_hr_agent_can_neither_edit_nor_publish_an_it_article(testapp, kb, dbsession, org):
    draft = write(kb, "agent", state="review")
    published = write(kb, "agent", title="مقاله منتشرشده", state="published")
    hr = sign_in(testapp, "hr.desk")
    token = editor_form(hr.get("/desk/kb/new"))["csrf_token"].value
    hr.get(f"/desk/kb/{draft.id}/edit", status=404)
    hr.get(f"/desk/kb/{published.id}/edit", status=403)
    hr.post(f"/desk/kb/{draft.id}/transition", {"csrf_token": token, "action": "publish", "version": draft.version},
            status=404)
    hr.post(f"/desk/kb/{published.id}/transition", {"csrf_token": token, "action": "archive",
                                                     "version": published.version}, status=403)
    hr.post(f"/desk/kb/{published.id}/edit", {"csrf_token": token, "title": "x", "version": published.version},
            status=403)
    hr.get(f"/desk/kb/{draft.id}/versions", status=404)
    listed = hr.get("/desk/kb")
    titles = [link.text for link in listed.html.select("[data-testid=article-title]")]
    assert titles == ["مقاله منتشرشده"]
    dbsession.refresh(draft)
    assert draft.state == "review"


def test_an_hr_agent_cannot_move_their_draft_to_it(testapp, kb, dbsession, org):
    article = write(kb, "hr.desk", department="hr")
    hr = sign_in(testapp, "hr.desk")
    form = editor_form(hr.get(f"/desk/kb/{article.id}/edit"))
    form["department"].force_value(str(department_id(dbsession, "it")))
    page = form.submit("save", status=400)
    assert persian("Choose one of the listed options.") in page.text
    dbsession.refresh(article)
    assert article.department_id == department_id(dbsession, "hr")


def test_a_contributor_cannot_validate_through_the_editor(agent, kb, dbsession):
    article = write(kb, "agent")
    form = editor_form(agent.get(f"/desk/kb/{article.id}/edit"))
    assert "validated" not in [value for value, _s, _t in form["confidence"].options]
    form["confidence"].force_value("validated")
    form.submit("save", status=400)
    dbsession.refresh(article)
    assert article.confidence == "not_validated"


def test_a_concurrent_save_is_a_conflict_that_keeps_the_text(agent, kb, dbsession):
    article = write(kb, "agent", body="متن نخست")
    form = editor_form(agent.get(f"/desk/kb/{article.id}/edit"))
    # A lead saves while the agent is typing.
    from plugins.kb.articles import ArticleInput

    kb("it.lead").update(article, ArticleInput(title=article.title, department_id=article.department_id,
                                               body="متن سرپرست"))
    form["body"] = "متن نخست و افزوده‌ی من"
    page = form.submit("save", status=409)
    assert persian("Someone else saved this article while you were editing it. "
                   "Your text is kept below; compare it with the current version and save again.") in page.text
    again = editor_form(page)
    assert again["body"].value == "متن نخست و افزوده‌ی من"
    assert again["version"].value == "2"
    assert page.html.find(attrs={"data-testid": "current-body"}).text == "متن سرپرست"
    assert page.html.find(attrs={"data-testid": "conflict-diff"}).find("ins") is not None
    again.submit("save", status=303)
    dbsession.refresh(article)
    assert (article.body, article.version) == ("متن نخست و افزوده‌ی من", 3)


def test_related_articles_by_key_or_number(agent, kb, dbsession):
    article = write(kb, "agent")
    first = write(kb, None, title="الف", key="first-one", state="published")
    second = write(kb, None, title="ب", state="published")
    form = editor_form(agent.get(f"/desk/kb/{article.id}/edit"))
    form["related"] = f"FIRST-ONE، {second.id}"
    page = form.submit("save", status=303).follow()
    related = set(dbsession.scalars(select(RelatedArticle.related_id).where(RelatedArticle.article_id == article.id)))
    assert related == {first.id, second.id}
    assert set(editor_form(page)["related"].value.split(", ")) == {"first-one", second.key}
    assert dbsession.scalar(select(ArticleVersion.number).where(ArticleVersion.article_id == article.id)
                            .order_by(ArticleVersion.number.desc()).limit(1)) == 1  # no new text, no new version
    form = editor_form(page)
    form["related"] = "no-such-article"
    refused = form.submit("save", status=400)
    assert persian("No article has the key or number «${reference}».", reference="no-such-article") in refused.text


def test_the_preview_renders_sanitized_markdown(agent):
    form = editor_form(agent.get("/desk/kb/new"))
    token = form["csrf_token"].value
    page = agent.post("/desk/kb/new", {"csrf_token": token, "preview": "1", "title": "<b>عنوان</b>",
                                        "body": "**پررنگ**\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))"},
                      headers={"HX-Request": "true"})
    assert "<strong>پررنگ</strong>" in page.text
    assert "<script>" not in page.text and "&lt;script&gt;" in page.text
    assert 'href="javascript' not in page.text
    assert "&lt;b&gt;عنوان&lt;/b&gt;" in page.text


def test_script_in_titles_and_bodies_is_escaped_on_the_authors_pages(agent, kb):
    article = write(kb, "agent", title='<script>alert("t")</script>', body='<img src=x onerror="alert(1)">')
    for url in ("/desk/kb", f"/desk/kb/{article.id}/edit", f"/desk/kb/{article.id}/versions",
                f"/desk/kb/{article.id}/versions/1"):
        page = agent.get(url)
        assert '<script>alert("t")' not in page.text
        assert "&lt;script&gt;" in page.text
        assert "<img src=x" not in page.text


def test_requesters_and_visitors_stay_out(testapp, org):
    assert "/login" in testapp.get("/desk/kb", status=303).location
    sign_in(testapp, "student").get("/desk/kb/new", status=403)


def test_a_non_author_gets_no_new_article_button(testapp, org, dbsession):
    # An agent without a department or team writes for nobody.
    user = dbsession.scalar(select(User).where(User.username == "ssc.desk"))
    user.department_id = None
    user.teams.clear()
    dbsession.flush()
    page = sign_in(testapp, "ssc.desk").get("/desk/kb")
    assert page.html.find(attrs={"data-testid": "new-article"}) is None
    testapp.get("/desk/kb/new", status=403)
