"""The SMS notification channel: logged in development, sent through Kavenegar in production."""
from core import hookimpl
from core.app import SettingsError
from plugins.sms.channels import KavenegarSmsChannel, LoggingSmsChannel

BACKENDS = {"log": LoggingSmsChannel, "kavenegar": KavenegarSmsChannel}


@hookimpl
def pishkhan_settings_defaults():
    return {
        "sms.backend": "log",
        "sms.kavenegar.api_key": "",
        "sms.kavenegar.sender": "",
        "sms.kavenegar.url": "https://api.kavenegar.com",
    }


@hookimpl
def pishkhan_notification_channels(settings):
    """One channel named ``sms``; a wrong backend or a missing API key stops the worker at start-up."""
    backend = settings["sms.backend"].strip()
    if backend not in BACKENDS:
        raise SettingsError(f"Setting 'sms.backend' is {backend!r}; allowed values: {', '.join(BACKENDS)}")
    if backend == "kavenegar" and not settings["sms.kavenegar.api_key"].strip():
        raise SettingsError("Setting 'sms.kavenegar.api_key' is empty; sms.backend = kavenegar needs it")
    return [BACKENDS[backend]()]
