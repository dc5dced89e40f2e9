"""The e-mail notification channel: SMTP settings from the INI, Persian right-to-left HTML."""
from core import hookimpl
from plugins.email.channel import EmailChannel


@hookimpl
def pishkhan_settings_defaults():
    return {
        "mail.host": "127.0.0.1",
        "mail.port": "25",
        "mail.sender": "پیشخوان <no-reply@pishkhan.local>",
    }


@hookimpl
def pishkhan_notification_channels(settings):
    return [EmailChannel()]
