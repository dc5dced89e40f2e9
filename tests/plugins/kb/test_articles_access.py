"""Who may read and write articles: a visitor is nobody, the CLI is the system."""
from plugins.kb.articles import ArticleInput, KnowledgeBase
from plugins.kb.backend import search_backend
from plugins.kb.models import Audience


def internal_published(kb, org):
    from core.models import Department

    it = org.query(Department).filter_by(code="it").one()
    system = kb(None)
    article = system.create(ArticleInput(title="روال بازنشانی گذرواژه", department_id=it.id, body="متن داخلی",
                                         audience=Audience.internal.value))
    system.transition(article, "publish")
    return article


def test_a_visitor_reads_public_articles_only(kb, org, dbsession, settings, pluginmanager):
    article = internal_published(kb, org)
    visitor = KnowledgeBase(dbsession, settings, search_backend(pluginmanager, settings), None)
    assert not visitor.is_staff
    assert not visitor.can_read(article)
    assert not visitor.can_write(article.department_id)
    assert visitor.readable_audiences() == (Audience.public.value,)


def test_the_cli_acts_as_the_system(kb, org):
    article = internal_published(kb, org)
    assert kb(None).system and kb(None).can_publish(article.department_id)


def test_a_requester_cannot_read_internal_articles(kb, org):
    article = internal_published(kb, org)
    student = kb("student")
    assert not student.can_read(article) and not student.can_write(article.department_id)
    assert kb("hr.desk").can_read(article)  # internal articles are for every agent
    assert not kb("hr.desk").can_edit(article)


def test_only_a_publisher_validates(kb, org):
    import pytest

    from core.models import Department
    from plugins.kb.articles import KbError
    from plugins.kb.models import Confidence

    it = org.query(Department).filter_by(code="it").one()
    values = ArticleInput(title="تنظیم چاپگر", department_id=it.id, confidence=Confidence.validated.value)
    with pytest.raises(KbError) as refused:
        kb("agent").create(values)
    assert refused.value.field == "confidence"
    article = kb("it.lead").create(values)
    edited = ArticleInput(title="تنظیم چاپگر طبقه دوم", department_id=it.id, confidence=Confidence.validated.value)
    assert kb("agent").update(article, edited).title == "تنظیم چاپگر طبقه دوم"  # a draft stays validated
