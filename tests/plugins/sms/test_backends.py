"""``sms.backend`` chooses the one channel named ``sms``; a wrong choice stops the worker at start-up."""
from __future__ import annotations

import pytest

import plugins.sms
from core.app import SettingsError, effective_settings
from core.plugins import create_plugin_manager
from plugins.sms.channels import KavenegarSmsChannel, LoggingSmsChannel


@pytest.fixture
def settings_with():
    """``settings_with(ini)``: the effective settings, the SMS plugin's defaults under the INI's values.

    No database: a bare plugin manager, so these tests are not repeated for each database.
    """
    pluginmanager = create_plugin_manager({}, load_entry_points=False)
    pluginmanager.register_plugin(plugins.sms, name="sms")
    return lambda ini=None: effective_settings(ini or {}, pluginmanager)


def channels(settings: dict) -> list:
    return plugins.sms.pishkhan_notification_channels(settings)


def test_the_defaults_only_log(settings_with):
    settings = settings_with()

    assert {key: value for key, value in settings.items() if key.startswith("sms.")} == {
        "sms.backend": "log", "sms.kavenegar.api_key": "", "sms.kavenegar.sender": "",
        "sms.kavenegar.url": "https://api.kavenegar.com"}
    [channel] = channels(settings)
    assert isinstance(channel, LoggingSmsChannel) and channel.name == "sms"


def test_kavenegar_is_chosen_with_its_api_key(settings_with):
    [channel] = channels(settings_with({"sms.backend": "kavenegar", "sms.kavenegar.api_key": "KEY"}))

    assert isinstance(channel, KavenegarSmsChannel) and channel.name == "sms"


def test_an_unknown_backend_names_the_setting_and_the_choices(settings_with):
    with pytest.raises(SettingsError, match=r"'sms.backend' is 'smsir'; allowed values: log, kavenegar"):
        channels(settings_with({"sms.backend": "smsir"}))


def test_kavenegar_without_an_api_key_is_refused(settings_with):
    with pytest.raises(SettingsError, match="'sms.kavenegar.api_key' is empty"):
        channels(settings_with({"sms.backend": "kavenegar"}))
