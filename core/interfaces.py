"""Contracts of swappable components that hooks return, checked with ``verifyObject``."""
from zope.interface import Attribute, Interface


class INotificationChannel(Interface):
    """A way to reach a person: e-mail, SMS, a messenger bot.

    The core never calls a channel inside a request: ``core.outbox.enqueue`` writes a message to
    the outbox in the request's transaction and the worker calls ``deliver`` after commit.
    """

    name = Attribute("Short stable name used in outbox rows, e.g. 'email' or 'sms'.")

    def deliver(message, settings):
        """Send one outbox message (a ``core.outbox.OutboxMessage``).

        Raise an exception to have the worker retry later with backoff; return normally when the
        message has been handed to the transport.
        """
