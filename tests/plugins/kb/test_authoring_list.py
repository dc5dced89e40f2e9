"""The authors' list (``/desk/kb``): what each agent sees, filters, pages and a constant cost."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import update

from core.normalize import to_persian_digits
from core.testing import counted_statements
from plugins.kb.models import Article
from tests.plugins.kb.authoring_support import department_id, persian, sign_in, write


def titles(page) -> list[str]:
    return [link.text for link in page.html.select("[data-testid=article-title]")]


def test_filters(testapp, kb, dbsession, org):
    mine = write(kb, "agent", title="پیش‌نویس من")
    write(kb, "it.lead", title="در بازبینی", state="review")
    write(kb, "hr.desk", title="منابع انسانی منتشرشده", department="hr", state="published", audience="internal")
    write(kb, "hr.desk", title="پیش‌نویس منابع انسانی", department="hr")
    flagged = write(kb, None, title="گزارش‌شده", state="published")
    dbsession.execute(update(Article).where(Article.id == flagged.id).values(open_flag_count=2))
    dbsession.execute(update(Article).where(Article.id == mine.id).values(next_review_on=date.today() - timedelta(1)))
    agent = sign_in(testapp, "agent")
    tabs = [tab.text for tab in agent.get("/desk/kb").html.select("[data-testid=kb-tabs] a")]
    assert tabs[:3] == [persian("All"), persian("Drafts"), persian("In review")]
    assert set(titles(agent.get("/desk/kb"))) == {"پیش‌نویس من", "در بازبینی", "منابع انسانی منتشرشده",
                                                   "گزارش‌شده"}
    assert titles(agent.get("/desk/kb", {"state": "review"})) == ["در بازبینی"]
    assert titles(agent.get("/desk/kb", {"owner": "mine"})) == ["پیش‌نویس من"]
    assert titles(agent.get("/desk/kb", {"department": department_id(dbsession, "hr")})) == ["منابع انسانی منتشرشده"]
    assert titles(agent.get("/desk/kb", {"audience": "internal"})) == ["منابع انسانی منتشرشده"]
    assert titles(agent.get("/desk/kb", {"q": "بازبيني"})) == ["در بازبینی"]  # Arabic yeh typed
    assert titles(agent.get("/desk/kb", {"q": "%"})) == []
    due = agent.get("/desk/kb", {"due": "1"})
    assert titles(due) == ["پیش‌نویس من"] and due.html.find(attrs={"data-testid": "due-for-review"})
    flags = agent.get("/desk/kb", {"flagged": "1"})
    assert titles(flags) == ["گزارش‌شده"]
    assert persian("${count} open flags", count="۲") in flags.html.find(attrs={"data-testid": "open-flags"}).text
    refused = agent.get("/desk/kb", {"state": "nonsense"}, status=400)
    assert persian("Choose a value from the list.") in refused.text
    agent.get("/desk/kb", {"cursor": "forged"}, status=400)


def test_keyset_pages(testapp, kb, dbsession, org):
    for number in range(30):
        write(kb, "agent", title=f"مقاله {number:02d}")
    agent = sign_in(testapp, "agent")
    for sort in ("updated", "newest", "review"):
        seen, page = [], agent.get("/desk/kb", {"sort": sort})
        while True:
            seen += titles(page)
            link = page.html.find(attrs={"data-testid": "next-page"})
            if link is None:
                break
            page = agent.get(link["href"])
        # Stored with Latin digits, shown with Persian ones on this Persian page.
        assert sorted(seen) == sorted(to_persian_digits(f"مقاله {number:02d}") for number in range(30)), sort
    first = agent.get("/desk/kb", {"sort": "newest"})
    assert len(titles(first)) == 25 and titles(first)[0] == "مقاله ۲۹"


def test_the_list_costs_the_same_with_many_articles(testapp, kb, engine, dbsession, org):
    agent = sign_in(testapp, "agent")

    def statements() -> list[str]:
        with counted_statements(engine, dbsession) as seen:
            agent.get("/desk/kb")
        return seen

    for number in range(3):
        write(kb, "agent", title=f"نخست {number}", category_id=None)
    agent.get("/desk/kb")  # what a process remembers after its first page is not the list's cost
    few = statements()
    for number in range(40):
        write(kb, "hr.desk" if number % 2 else "agent", title=f"بعدی {number}", department="hr" if number % 2 else "it",
              state="published" if number % 3 else "draft")
    many = statements()
    # Not more with 43 articles than with 3 (a lookup a process remembers may be saved once more).
    assert len(many) <= len(few) <= 6, "\n".join(line.split("\n")[0][:90] for line in few + ["--"] + many)
