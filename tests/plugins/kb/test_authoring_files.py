"""Images and attachments of articles: checked by content and size, served to the article's readers."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from core.app import make_app
from plugins.kb.models import ArticleFile
from tests.plugins.kb.authoring_support import PNG, persian, sign_in, write

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def app(kb_plugins, app_settings, pluginmanager, engine, tmp_path):
    settings = dict(app_settings) | {"kb.files_dir": str(tmp_path / "kb-files"), "kb.max_file_mb": "0.01"}
    return make_app(settings, pluginmanager=pluginmanager)


@pytest.fixture
def agent(testapp, org):
    return sign_in(testapp, "agent")


def upload(testapp, article, name: str, content: bytes, htmx: bool = False, status=None):
    page = testapp.get(f"/desk/kb/{article.id}/files")
    token = page.html.find("input", {"name": "csrf_token"})["value"]
    headers = {"HX-Request": "true"} if htmx else {}
    return testapp.post(f"/desk/kb/{article.id}/files", {"csrf_token": token, "action": "upload"},
                        upload_files=[("file", name, content)], headers=headers, status=status)


def test_an_image_is_stored_by_digest_and_offered_as_markdown(agent, kb, dbsession, tmp_path):
    article = write(kb, "agent")
    page = upload(agent, article, "صفحه ورود.png", PNG, status=303).follow()
    row = dbsession.scalar(select(ArticleFile).where(ArticleFile.article_id == article.id))
    assert (row.filename, row.content_type, row.size) == ("صفحه ورود.png", "image/png", len(PNG))
    assert (tmp_path / "kb-files" / row.digest[:2] / row.digest).read_bytes() == PNG
    snippet = page.html.find(attrs={"data-testid": "snippet"})["value"]
    assert snippet == f"![صفحه ورود](/kb/files/{row.id}/صفحه%20ورود.png)"
    assert persian("«${name}» was added.", name="صفحه ورود.png") in page.text
    # The editor lists it too, and the rendered article shows it.
    from plugins.kb.markdown import render

    editor = agent.get(f"/desk/kb/{article.id}/edit")
    assert editor.html.find(attrs={"data-testid": "snippet"})["value"] == snippet
    size = editor.html.find(attrs={"data-file": str(row.id)}).find("small").text
    assert size == "(" + persian("${size} KB", size="۱") + ")"  # "(۱ کیلوبایت)", not "(۱ KB)"
    address = f"/kb/files/{row.id}/%D8%B5%D9%81%D8%AD%D9%87%20%D9%88%D8%B1%D9%88%D8%AF.png"
    assert f'<img src="{address}" alt="صفحه ورود">' in str(render(snippet))
    assert agent.get(address).body == PNG


def test_htmx_uploads_answer_with_the_panel(agent, kb, dbsession):
    article = write(kb, "agent")
    panel = upload(agent, article, "a.png", PNG, htmx=True, status=200)
    assert panel.html.find(attrs={"data-testid": "files-panel"}) is not None
    assert "<html" not in panel.text
    refused = upload(agent, article, "b.png", b"not an image at all", htmx=True, status=200)
    assert persian("«${name}» does not contain what its name says: it is not a real .${extension} file.",
                   name="b.png", extension="png") in refused.text
    assert len(dbsession.scalars(select(ArticleFile).where(ArticleFile.article_id == article.id)).all()) == 1


@pytest.mark.parametrize(("name", "content", "message", "mapping"), [
    ("photo.png", b"<html><script>alert(1)</script></html>",
     "«${name}» does not contain what its name says: it is not a real .${extension} file.",
     {"name": "photo.png", "extension": "png"}),
    ("report.pdf", PNG, "«${name}» does not contain what its name says: it is not a real .${extension} file.",
     {"name": "report.pdf", "extension": "pdf"}),
    ("page.svg", b"<svg onload='alert(1)'/>",
     "«${name}»: this kind of file cannot be added. Add images (JPG, PNG, GIF, WebP), PDF, plain text, Word, Excel, "
     "PowerPoint, OpenDocument text or ZIP files.", {"name": "page.svg"}),
    ("big.png", PNG + b"\0" * 20_000, "«${name}» is larger than ${max} MB.", {"name": "big.png", "max": "0.01"}),
    ("empty.txt", b"", "«${name}» is empty.", {"name": "empty.txt"}),
])
def test_files_that_are_not_what_they_say_or_too_large_are_refused(agent, kb, dbsession, name, content, message,
                                                                   mapping):
    article = write(kb, "agent")
    page = upload(agent, article, name, content, status=400)
    assert persian(message, **mapping) in page.html.find(attrs={"data-testid": "file-error"}).text
    assert dbsession.scalars(select(ArticleFile).where(ArticleFile.article_id == article.id)).all() == []


def test_a_file_is_removed(agent, kb, dbsession):
    article = write(kb, "agent")
    upload(agent, article, "a.png", PNG, status=303)
    row = dbsession.scalar(select(ArticleFile).where(ArticleFile.article_id == article.id))
    page = agent.get(f"/desk/kb/{article.id}/files")
    form = next(form for form in page.forms.values() if form.get("file_id", default=None) is not None)
    form.submit(status=303)
    assert dbsession.get(ArticleFile, row.id) is None


def test_who_may_read_a_file(testapp, kb, dbsession, org):
    public = write(kb, "agent", title="عمومی")
    internal = write(kb, "agent", title="داخلی", audience="internal")
    agent = sign_in(testapp, "agent")
    upload(agent, public, "a.png", PNG, status=303)
    upload(agent, internal, "b.pdf", PDF, status=303)
    image = dbsession.scalar(select(ArticleFile).where(ArticleFile.article_id == public.id))
    pdf = dbsession.scalar(select(ArticleFile).where(ArticleFile.article_id == internal.id))
    image_url, pdf_url = f"/kb/files/{image.id}/a.png", f"/kb/files/{pdf.id}/b.pdf"

    served = agent.get(pdf_url)  # drafts: their department's writers
    assert served.headers["Content-Type"] == "application/pdf"
    assert served.headers["Content-Disposition"].startswith("attachment;")
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    testapp.reset()

    testapp.get(image_url, status=404)  # a draft is nobody else's
    kb(None).transition(public, "publish")
    kb(None).transition(internal, "publish")
    served = testapp.get(image_url)  # a visitor reads published public articles
    assert served.body == PNG and served.headers["Content-Type"] == "image/png"
    assert served.headers["Content-Disposition"].startswith("inline;")
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    testapp.get(pdf_url, status=404)  # an internal article's file is not served to a visitor
    sign_in(testapp, "student").get(pdf_url, status=404)
    testapp.reset()
    sign_in(testapp, "hr.desk").get(pdf_url, status=200)  # staff read internal articles
    testapp.get("/kb/files/999999/x.png", status=404)


def test_only_editors_manage_files(testapp, kb, org):
    article = write(kb, "agent", state="published")
    agent = sign_in(testapp, "agent")
    agent.get(f"/desk/kb/{article.id}/files", status=403)
