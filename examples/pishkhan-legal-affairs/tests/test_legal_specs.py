"""The department's plain data is what Pishkhan expects: valid identity cards, teams that exist,
a request form that accepts Persian input and refuses bad input in Persian."""
import io
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import colander
import pytest
from pishkhan_legal import department, routing, services
from pishkhan_legal.forms import ContractReviewForm
from pyramid.i18n import make_localizer
from sqlalchemy import select

import core
from core import contracts
from core.departments import department_specs, sync_departments
from core.models import Department
from core.plugins import create_plugin_manager, flatten

TEAMS = {team.name for spec in department.DEPARTMENTS for team in spec.teams}
LOCALE_DIRS = [str(Path(core.__file__).parent / "locale"), str(Path(colander.__file__).parent / "locale")]


def persian(message) -> str:
    return make_localizer("fa", LOCALE_DIRS).translate(message)


def upload(filename: str, content: bytes) -> SimpleNamespace:
    """What a browser's file input posts: a name and the file."""
    return SimpleNamespace(filename=filename, file=io.BytesIO(content))


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def test_service_ids_are_eleven_digits_and_taken_by_no_other_department():
    ids = [service.service_id for service in services.SERVICES]
    assert all(len(service_id) == 11 and service_id.isdigit() for service_id in ids)
    assert len(set(ids)) == len(ids)
    installed = create_plugin_manager({"pishkhan.plugins.enabled": "*", "pishkhan.plugins.disabled": "legal"})
    others = {service.service_id for service in flatten(installed.hook.pishkhan_catalog_services())}
    assert others.isdisjoint(ids)


def test_identity_cards_use_the_catalogs_vocabulary():
    for service in services.SERVICES:
        assert service.department == department.CODE
        assert service.title and service.description and service.owner and service.contact
        assert service.type in contracts.SERVICE_TYPES
        assert service.nature in contracts.SERVICE_NATURES
        assert set(service.levels) <= set(contracts.SERVICE_LEVELS)
        assert service.life_event in contracts.LIFE_EVENTS
        assert service.trigger in contracts.SERVICE_TRIGGERS
        assert [stage.stage for stage in service.stages] == list(contracts.SERVICE_STAGES)
        assert all(set(stage.channels) <= set(contracts.SERVICE_CHANNELS) for stage in service.stages)
        assert all(step.approver in contracts.APPROVERS for step in service.approvals)
        assert service.duration_days > 0 and service.cost_rials >= 0


def test_every_team_named_exists_in_the_department():
    named = [rule.team for rule in routing.ROUTING_RULES]
    named += [task.team for service in services.SERVICES for task in service.tasks]
    assert set(named) <= TEAMS
    codes = {rule.department for rule in routing.ROUTING_RULES}
    codes |= {spec.department for spec in department.SLA_POLICIES + department.CALENDARS}
    codes |= {spec.department for spec in department.KNOWLEDGE_CATEGORIES}
    assert codes == {department.CODE}
    assert sorted(policy.priority for policy in department.SLA_POLICIES) == [1, 2, 3, 4]


def test_contract_requests_route_to_the_lawyers_by_service_and_by_keyword():
    by_service, by_keyword = routing.ROUTING_RULES
    assert by_service.services == (services.CONTRACT_REVIEW.key,) == ("catalog:10842190100",)
    assert "قرارداد" in by_keyword.keywords
    assert by_service.team == by_keyword.team == department.LAWYERS.name


def test_the_form_accepts_persian_digits_and_arabic_letters():
    values = ContractReviewForm().deserialize({
        "contract_kind": "پیمانکاری",
        "counterparty": "شركت مهندسي پارس",  # Arabic ك and ي, as some keyboards type them
        "signing_date": "۱۴۰۵/۰۹/۰۳",
        "draft": upload("پیش‌نویس قرارداد.pdf", PDF),
    })
    assert values["signing_date"] == date(2026, 11, 24)
    assert values["counterparty"] == "شرکت مهندسی پارس"
    assert values["draft"].filename == "پیش‌نویس قرارداد.pdf"
    assert values["draft"].content_type == "application/pdf"
    assert values["approval_letter"] is None


@pytest.mark.parametrize(("field", "value", "message"), [
    ("draft", None, "«پیش‌نویس قرارداد»"),
    ("draft", upload("قرارداد.pdf", b"MZ\x90\x00 not a pdf"), ".pdf"),
    ("signing_date", "1405/13/40", "۱۴۰۵/۰۹/۰۳"),
    ("contract_kind", "خرید ملک", None),
])
def test_the_form_refuses_bad_input_with_a_persian_message(field, value, message):
    submitted = {"contract_kind": "اجاره", "counterparty": "شرکت پارس", "signing_date": "1405/09/03",
                 "draft": upload("draft.pdf", PDF), field: value}
    with pytest.raises(colander.Invalid) as refused:
        ContractReviewForm().deserialize({key: value for key, value in submitted.items() if value is not None})
    shown = refused.value.asdict(translate=persian)[field]
    assert any("\u0600" <= letter <= "\u06ff" for letter in shown), shown  # Persian, not the English msgid
    if message:
        assert message in shown


def test_db_upgrade_creates_the_department_and_its_teams(legal_plugin, pluginmanager, dbsession):
    sync_departments(dbsession, department_specs(pluginmanager))

    legal = dbsession.scalar(select(Department).where(Department.code == "legal"))
    assert legal.name == "امور حقوقی"
    assert {team.name: team.tier for team in legal.teams} == {"میز خدمت حقوقی": 1, "کارشناسان حقوقی": 3}
