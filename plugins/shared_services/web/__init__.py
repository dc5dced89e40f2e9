"""The shared service center's pages, all under ``/desk/ssc`` with ``CenterContext`` as their
context: the overview, the agreements and their forms, the customer units, showback and its CSV,
and the unit costs. Views live in one module per page family."""
from pyramid.events import BeforeRender

from core.normalize import to_persian_digits
from plugins.shared_services import agreements
from plugins.shared_services.roles import CenterContext

ROUTES = (
    ("ssc.overview", "/desk/ssc"),
    ("ssc.agreements", "/desk/ssc/agreements"),
    ("ssc.sla.new", "/desk/ssc/agreements/sla/new"),
    ("ssc.sla.edit", "/desk/ssc/agreements/sla/{id:\\d+}"),
    ("ssc.sla.remove", "/desk/ssc/agreements/sla/{id:\\d+}/remove"),
    ("ssc.ola.new", "/desk/ssc/agreements/ola/new"),
    ("ssc.ola.edit", "/desk/ssc/agreements/ola/{id:\\d+}"),
    ("ssc.ola.remove", "/desk/ssc/agreements/ola/{id:\\d+}/remove"),
    ("ssc.customers", "/desk/ssc/customers"),
    ("ssc.customer", "/desk/ssc/customers/{code}"),
    ("ssc.showback", "/desk/ssc/showback"),
    ("ssc.showback.csv", "/desk/ssc/showback.csv"),
    ("ssc.costs", "/desk/ssc/costs"),
    ("ssc.costs.remove", "/desk/ssc/costs/{id:\\d+}/remove"),
)


def decimal(request, value: float | None, places: int = 1) -> str:
    """``۹۲٫۵`` in Persian, ``92.5`` in English; empty for no value."""
    if value is None:
        return ""
    text = f"{value:.{places}f}"
    if text.endswith("." + "0" * places):
        text = text[: -places - 1]
    return to_persian_digits(text).replace(".", "٫") if request.locale_name == "fa" else text


def add_template_helpers(event):
    renderer = event.get("renderer_name") or ""
    request = event.get("request")
    if renderer.startswith("plugins.shared_services:") and request is not None:
        event["decimal"] = lambda value, places=1: decimal(request, value, places)
        event["status_titles"] = agreements.STATUS_TITLES


def includeme(config):
    for name, pattern in ROUTES:
        config.add_route(name, pattern, factory=CenterContext)
    config.add_subscriber(add_template_helpers, BeforeRender)
    config.scan("plugins.shared_services.web")
