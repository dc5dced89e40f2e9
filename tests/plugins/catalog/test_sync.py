"""The upgrade's sync: cards inserted, brought up to date until someone edits them, and specs
that cannot be stored refused with an error naming the plugin."""
from __future__ import annotations

import dataclasses
import logging

from sqlalchemy import select

from core import demo
from core.db import utcnow
from plugins.catalog.models import CatalogServiceRow
from plugins.catalog.registry import ask
from plugins.catalog.sync import sync_services
from tests.plugins.catalog.catalog_specs import EDUCATION_SERVICES, ENROLMENT, INTERNAL, VPN, Provider


def card(dbsession, service_id: str) -> CatalogServiceRow:
    return dbsession.scalar(select(CatalogServiceRow).where(CatalogServiceRow.service_id == service_id))


def sync(dbsession, pluginmanager) -> None:
    sync_services(dbsession, ask(pluginmanager))


def test_cards_are_inserted_with_their_provider_and_every_field(synced):
    enrolment = card(synced, ENROLMENT)
    assert enrolment.provider == "testedu" and enrolment.department.code == "education"
    assert enrolment.cost_rials == 120000 and enrolment.required_documents == ["تصویر کارت دانشجویی"]
    assert enrolment.stages[0] == {"stage": "information", "channels": ["website"], "electronic": True}
    assert enrolment.approvals == [{"approver": "service_owner", "title": "تأیید اداره آموزش", "username": None}]
    assert enrolment.tasks == [{"title": "صدور گواهی", "team": "کارشناسان امور آموزشی"}]
    assert "گواهی اشتغال به تحصیل" in enrolment.search_text and ENROLMENT in enrolment.search_text
    assert card(synced, VPN).provider == "testit" and card(synced, INTERNAL).public is False


def test_running_twice_changes_nothing(synced, pluginmanager):
    version = card(synced, ENROLMENT).version
    sync(synced, pluginmanager)
    assert card(synced, ENROLMENT).version == version
    assert len(synced.scalars(select(CatalogServiceRow)).all()) == 4


def test_an_unedited_card_follows_its_plugin_and_an_edited_one_is_kept(synced, pluginmanager, providers):
    edited = card(synced, VPN)
    edited.title, edited.edited_at = "عنوانی که مدیر نوشت", utcnow()
    synced.flush()
    education = providers["testedu"]
    education.services[0] = dataclasses.replace(education.services[0], title="گواهی اشتغال به تحصیل (جدید)",
                                                duration_days=4)
    providers["testit"].services[0] = dataclasses.replace(providers["testit"].services[0], title="تغییر افزونه")
    sync(synced, pluginmanager)
    assert card(synced, ENROLMENT).title == "گواهی اشتغال به تحصیل (جدید)"
    assert card(synced, ENROLMENT).duration_days == 4
    assert card(synced, VPN).title == "عنوانی که مدیر نوشت"


def test_specs_that_cannot_be_stored_are_refused_and_logged(synced, pluginmanager, register_plugin, caplog):
    original = EDUCATION_SERVICES[1]
    register_plugin(Provider(
        dataclasses.replace(original, service_id="1234", title="شناسه کوتاه"),
        dataclasses.replace(original, service_id=ENROLMENT, title="شناسه دیگری"),
        dataclasses.replace(original, service_id="۳۰۰۰۰۰۰۰۰۰۱", department="nowhere", title="واحد ناموجود"),
        dataclasses.replace(original, service_id="30000000002", cost_rials=-1, title="هزینه منفی"),
        dataclasses.replace(original, service_id="30000000003", title="درست"),
    ), "rogue")
    with caplog.at_level(logging.ERROR, logger="plugins.catalog.sync"):
        sync(synced, pluginmanager)
    messages = [record.getMessage() for record in caplog.records]
    assert len(messages) == 4 and all("'rogue'" in message for message in messages)
    assert any("11 digits" in message for message in messages)
    assert any("belongs to plugin 'testedu'" in message for message in messages)
    assert any("'nowhere' does not exist" in message for message in messages)
    assert any("negative" in message for message in messages)
    assert card(synced, ENROLMENT).provider == "testedu"
    assert card(synced, "30000000003").provider == "rogue"
    assert card(synced, "30000000001") is None and card(synced, "30000000002") is None


def test_a_card_created_in_the_workspace_is_never_taken_over(synced, pluginmanager, register_plugin, caplog):
    mine = card(synced, VPN)
    mine.provider = None
    synced.flush()
    with caplog.at_level(logging.ERROR, logger="plugins.catalog.sync"):
        sync(synced, pluginmanager)
    assert "a card created in the workspace" in caplog.text
    assert card(synced, VPN).provider is None


def test_the_upgrade_stores_the_cards(demo_org, catalog_plugins, providers, pluginmanager, settings):
    """``pishkhan db upgrade`` populates without the demo: the catalog's ``pishkhan_populate``."""
    demo.populate(demo_org, pluginmanager, settings, demo=False)
    assert card(demo_org, ENROLMENT).provider == "testedu"
    demo.populate(demo_org, pluginmanager, settings, demo=False)
    assert len(demo_org.scalars(select(CatalogServiceRow)).all()) == 4
