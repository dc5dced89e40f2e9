"""What the identity card's coded values are called, in the reader's language."""
from __future__ import annotations

from core.i18n import _

TYPE_LABELS = {
    "G2C": _("Government to citizens (G2C)"),
    "G2B": _("Government to businesses (G2B)"),
    "G2G": _("Government to government (G2G)"),
    "internal": _("Internal (to the organization's own people)"),
}
NATURE_LABELS = {
    "sovereign": _("Sovereign (a function of government)"),
    "operational": _("Operational (service provision)"),
}
LEVEL_LABELS = {
    "national": _("National"),
    "regional": _("Regional"),
    "provincial": _("Provincial"),
    "city": _("City"),
    "rural": _("Rural"),
}
LIFE_EVENT_LABELS = {
    "birth": _("Birth"),
    "education": _("Education"),
    "health": _("Health"),
    "tax": _("Tax"),
    "business": _("Business"),
    "social_security": _("Social security"),
    "property": _("Property registration"),
    "urban_facilities": _("Urban facilities"),
    "insurance": _("Insurance"),
    "marriage": _("Marriage"),
    "retirement": _("Retirement"),
    "certificates": _("Certificates"),
    "death": _("Death"),
    "employment": _("Employment"),
    "other": _("Other life events"),
}
TRIGGER_LABELS = {
    "request": _("The applicant's request"),
    "date": _("A set date"),
    "event": _("A set event"),
    "agency": _("The agency's own decision"),
    "other": _("Another way"),
}
STAGE_LABELS = {
    "information": _("Information"),
    "request": _("Request"),
    "processing": _("Processing (producing the service)"),
    "delivery": _("Delivery"),
}
CHANNEL_LABELS = {
    "website": _("Website"),
    "mobile_app": _("Mobile app"),
    "sms": _("SMS"),
    "ivr": _("Phone (IVR or call centre)"),
    "counter": _("Counter offices (Pishkhan offices)"),
    "intranet": _("Intranet or ERP"),
    "in_person": _("In person"),
    "email": _("E-mail"),
    "mail": _("Post"),
}
APPROVER_LABELS = {
    "requester_manager": _("The requester's manager"),
    "service_owner": _("The service owner"),
    "department_head": _("The department head"),
}
E_LEVEL_LABELS = {
    0: _("Not electronic"),
    1: _("Information online"),
    2: _("Requested online"),
    3: _("Processed online"),
    4: _("Fully electronic"),
}
