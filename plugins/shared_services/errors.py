"""The error the center's rules raise when they refuse a change."""


class Refused(Exception):
    """A rule refused an agreement or a unit cost; nothing was saved. ``field`` names the form
    field the ``message`` (a translation string) belongs beside."""

    def __init__(self, field: str, message):
        super().__init__(str(message))
        self.field = field
        self.message = message
