"""What people read for the knowledge base's codes: editorial states, KCS confidence, audiences,
with the Bootstrap colour of each badge."""
from __future__ import annotations

from core.i18n import _
from plugins.kb.models import Audience, Confidence, State

STATE = {
    State.draft.value: _("Draft"),
    State.review.value: _("In review"),
    State.published.value: _("Published"),
}
STATE_COLOR = {State.draft.value: "secondary", State.review.value: "warning", State.published.value: "success"}

CONFIDENCE = {
    Confidence.work_in_progress.value: _("Work in progress"),
    Confidence.not_validated.value: _("Not validated"),
    Confidence.validated.value: _("Validated"),
    Confidence.archived.value: _("Archived"),
}
CONFIDENCE_COLOR = {
    Confidence.work_in_progress.value: "light",
    Confidence.not_validated.value: "info",
    Confidence.validated.value: "primary",
    Confidence.archived.value: "dark",
}

AUDIENCE = {
    Audience.public.value: _("Public"),
    Audience.internal.value: _("Internal (agents only)"),
}
