"""The e-mail notification channel: SMTP settings from the INI, Persian right-to-left HTML."""
from core import hookimpl
from plugins.email.channel import EmailChannel


@hookimpl
def pishkhan_notification_channels(settings):
    return [EmailChannel()]
