"""Every department's identity cards (شناسنامه خدمت) are complete and within the allowed values,
with 11-digit service IDs of the demo's scheme, unique across every installed plugin."""
from __future__ import annotations

import re
from collections import Counter

import pytest

from core.contracts import (
    LIFE_EVENTS,
    SERVICE_CHANNELS,
    SERVICE_LEVELS,
    SERVICE_NATURES,
    SERVICE_STAGES,
    SERVICE_TRIGGERS,
    SERVICE_TYPES,
)
from core.plugins import create_plugin_manager, flatten
from tests.plugins.departments.specs import DEPARTMENT_PLUGINS, SEGMENTS, USERS, services

TEXT_FIELDS = ("title", "description", "audience", "process", "procedure", "owner", "contact", "sla", "frequency")


def test_each_department_brings_four_to_eight_services():
    counts = {code: len(services(code)) for code in DEPARTMENT_PLUGINS}
    assert all(4 <= count <= 8 for count in counts.values()), counts


@pytest.mark.parametrize("code", DEPARTMENT_PLUGINS)
def test_service_ids_follow_the_scheme(code):
    for service in services(code):
        assert re.fullmatch(r"10842" + SEGMENTS[code] + r"\d\d00", service.service_id), service.service_id
        assert service.department == code
        assert service.key == f"catalog:{service.service_id}"


def test_service_ids_are_unique_across_every_installed_plugin():
    installed = flatten(create_plugin_manager({"pishkhan.plugins.enabled": "*"}).hook.pishkhan_catalog_services())
    ids = Counter(service.service_id for service in installed)
    assert all(re.fullmatch(r"\d{11}", service_id) for service_id in ids)
    assert [service_id for service_id, count in ids.items() if count > 1] == []
    assert {service.service_id for code in DEPARTMENT_PLUGINS for service in services(code)} <= set(ids)


@pytest.mark.parametrize("code", DEPARTMENT_PLUGINS)
def test_every_field_is_filled_with_an_allowed_value(code):
    titles = Counter(service.title for service in services(code))
    assert max(titles.values()) == 1
    for service in services(code):
        where = service.title
        for name in TEXT_FIELDS:
            assert getattr(service, name).strip(), (where, name)
        assert service.type in SERVICE_TYPES and service.nature in SERVICE_NATURES, where
        assert service.levels and set(service.levels) <= set(SERVICE_LEVELS), where
        assert service.life_event in LIFE_EVENTS and service.trigger in SERVICE_TRIGGERS, where
        assert service.duration_days > 0 and service.yearly_volume > 0, where
        assert service.visits >= 0 and service.cost_rials >= 0, where
        assert bool(service.payment_account) == (service.cost_rials > 0), where  # a fee names its account
        assert service.integrations and all(name.strip() for name in service.integrations), where
        assert service.keywords and all(keyword.strip() for keyword in service.keywords), where
        assert all(document.strip() for document in service.required_documents), where
        assert [stage.stage for stage in service.stages] == list(SERVICE_STAGES), where
        for stage in service.stages:
            assert stage.channels and set(stage.channels) <= set(SERVICE_CHANNELS), (where, stage.stage)
        assert service.owner_username in USERS and USERS[service.owner_username][1] == code, where
        assert service.form is not None, where


def test_students_services_are_g2c_and_staff_services_internal():
    for code in DEPARTMENT_PLUGINS:
        for service in services(code):
            if service.audience.startswith(("دانشجویان", "دانش‌آموختگان")):
                assert service.type == "G2C", service.title
            if service.audience.startswith(("کارکنان", "واحدهای دانشگاه")):
                assert service.type == "internal", service.title


def test_the_certificate_of_enrolment_is_as_the_acceptance_test_needs_it():
    [certificate] = [service for service in services("education") if service.title == "گواهی اشتغال به تحصیل"]
    assert certificate.type == "G2C" and certificate.duration_days == 3
    assert [step.approver for step in certificate.approvals] == ["service_owner"]
    assert certificate.approvals[0].username == certificate.owner_username == "edu.lead"
    assert [task.team for task in certificate.tasks] == ["میز خدمت آموزش"]
    assert all(stage.electronic for stage in certificate.stages)  # fully electronic: its e-level is the highest
