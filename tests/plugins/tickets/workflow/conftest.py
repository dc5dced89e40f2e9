"""The tests of request forms, approvals, fulfilment tasks and transfers run the app with the
test department plugin of ``support`` registered."""
from __future__ import annotations

import pytest

from core.app import make_app
from tests.plugins.tickets.workflow.support import WorkflowPlugin


@pytest.fixture
def workflow_plugin(register_plugin):
    return register_plugin(WorkflowPlugin(), "test_workflow")


@pytest.fixture
def attachments_dir(tmp_path):
    return tmp_path / "attachments"


@pytest.fixture
def app(tickets_plugin, workflow_plugin, app_settings, pluginmanager, engine, attachments_dir):
    return make_app({**app_settings, "tickets.attachments_dir": str(attachments_dir)}, pluginmanager=pluginmanager)
