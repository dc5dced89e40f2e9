"""An article's versions: the list, word differences and restoring an earlier text."""
from __future__ import annotations

from plugins.kb.articles import ArticleInput
from plugins.kb.diff import list_diff, word_diff
from tests.plugins.kb.authoring_support import persian, sign_in, write


def rewrite(kb, username, article, body, title=None, tags=(), note=""):
    return kb(username).update(article, ArticleInput(title=title or article.title, department_id=article.department_id,
                                                     body=body, tags=list(tags)), note=note)


def test_word_diff_marks_words_and_escapes_html():
    html = str(word_diff("رمز را <b>عوض</b> کنید\nسطر دوم", "رمز را <b>تغییر</b> کنید\nسطر دوم"))
    assert "<del>&lt;b&gt;عوض&lt;/b&gt;</del><ins>&lt;b&gt;تغییر&lt;/b&gt;</ins>" in html
    assert html.endswith("سطر دوم")
    assert str(word_diff("", "تازه")) == "<ins>تازه</ins>"
    assert str(list_diff(["الف", "ب"], ["ب", "<ج>"])) == "ب، <ins>&lt;ج&gt;</ins>، <del>الف</del>"


def test_versions_are_listed_with_author_state_and_note(testapp, kb, org):
    article = write(kb, "agent", body="متن نخست")
    rewrite(kb, "it.lead", article, "متن دوم", note="اصلاح سرپرست")
    page = sign_in(testapp, "agent").get(f"/desk/kb/{article.id}/versions")
    rows = page.html.select("[data-testid=versions] tbody tr")
    assert [row["data-version"] for row in rows] == ["2", "1"]
    assert "حمید رضایی" in rows[0].text and "اصلاح سرپرست" in rows[0].text
    assert persian("Draft") in rows[1].text and "سارا کریمی" in rows[1].text
    assert rows[0].find(attrs={"data-testid": "restore"}) is None  # the current version


def test_the_diff_shows_what_a_version_changed(testapp, kb, org):
    article = write(kb, "agent", body="برای اتصال، شبکه را انتخاب کنید.", tags=["شبکه"])
    rewrite(kb, "agent", article, "برای اتصال، شبکه eduroam را انتخاب کنید.", title="اتصال به eduroam",
            tags=["شبکه", "eduroam"])
    agent = sign_in(testapp, "agent")
    page = agent.get(f"/desk/kb/{article.id}/versions/2")
    body = page.html.find(attrs={"data-testid": "diff-body"})
    assert [ins.text for ins in body.find_all("ins")] == ["eduroam "]
    assert page.html.find(attrs={"data-testid": "diff-tags"}).find("ins").text == "eduroam"
    assert page.html.find(attrs={"data-testid": "diff-title"}).find("del") is not None
    first = agent.get(f"/desk/kb/{article.id}/versions/1")
    assert first.html.find(attrs={"data-testid": "diff-body"}).find("ins").text == "برای اتصال، شبکه را انتخاب کنید."
    backwards = agent.get(f"/desk/kb/{article.id}/versions/1", {"from": "2"})
    assert backwards.html.find(attrs={"data-testid": "diff-body"}).find("del").text == "eduroam "
    agent.get(f"/desk/kb/{article.id}/versions/9", status=404)
    agent.get(f"/desk/kb/{article.id}/versions/2", {"from": "7"}, status=404)


def test_restore_brings_an_old_text_back_as_a_new_version(testapp, kb, dbsession, org):
    article = write(kb, "agent", body="متن درست", tags=["الف"])
    rewrite(kb, "agent", article, "متن خراب")
    agent = sign_in(testapp, "agent")
    page = agent.get(f"/desk/kb/{article.id}/versions")
    form = next(form for form in page.forms.values() if form.action.endswith("/versions/1/restore"))
    done = form.submit(status=303).follow()
    dbsession.refresh(article)
    assert (article.body, article.tag_names, article.version) == ("متن درست", ["الف"], 3)
    assert persian("Version ${number} is the current text again (saved as version ${new}).",
                   number="۱", new="۳") in done.text
    restored = done.html.find(attrs={"data-version": "3"})
    assert persian("Restored from version ${number}", number="۱") in restored.text
    # The page the agent had open is stale now: restoring from it is a conflict.
    stale = form.submit(status=409)
    assert persian("Someone else changed this article after the page was shown. Check it and try again.") in stale.text


def test_only_editors_restore(testapp, kb, dbsession, org):
    article = write(kb, "agent", body="نخست")
    rewrite(kb, None, article, "دوم")
    kb(None).transition(article, "publish")
    agent = sign_in(testapp, "agent")
    page = agent.get(f"/desk/kb/{article.id}/versions")
    assert page.html.find(attrs={"data-testid": "restore"}) is None
    token = page.html.find("input", {"name": "csrf_token"}) or None
    token = token["value"] if token else agent.get("/desk/kb/new").forms["article-editor"]["csrf_token"].value
    agent.post(f"/desk/kb/{article.id}/versions/1/restore", {"csrf_token": token, "version": article.version},
               status=400)
    dbsession.refresh(article)
    assert article.body == "دوم"
