"""What people are told about tickets: rows of the core outbox (e-mail and SMS), in Persian with
Jalali dates and Persian digits, to the right people and never to the one who acted."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from core import outbox
from core.models import OutboxMessage, User
from core.normalize import to_persian_digits
from core.worker import JobContext
from plugins.email.channel import EmailChannel, render
from plugins.tickets.desk import NewTicket
from plugins.tickets.sla.sweep import close_resolved, sweep_clocks
from plugins.tickets.tracking import format_code
from tests.plugins.email.test_email_channel import smtp_server  # noqa: F401 (a fixture)
from tests.plugins.tickets import sla_helpers
from tests.plugins.tickets.sla_helpers import department_id, open_ticket, service_key, tehran

office = sla_helpers.office
pytestmark = pytest.mark.usefixtures("office")
BASE = "http://127.0.0.1:6543"


def mail(username: str) -> str:
    return f"{username.replace('.', '_')}@demo.pishkhan.ir"


def user(dbsession, username: str) -> User:
    return dbsession.scalar(select(User).where(User.username == username))


def sent(dbsession) -> list[OutboxMessage]:
    dbsession.flush()
    return list(dbsession.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def recipients(rows) -> list[tuple[str, str]]:
    return [(row.channel, row.recipient) for row in rows]


class Outbox:
    """The outbox rows each step adds: ``box.new()`` after the step."""

    def __init__(self, dbsession):
        self.dbsession = dbsession
        self.seen = len(sent(dbsession))

    def new(self) -> list[OutboxMessage]:
        rows = sent(self.dbsession)
        added, self.seen = rows[self.seen:], len(rows)
        return added


@pytest.fixture
def box(dbsession, org):
    return Outbox(dbsession)


def code_fa(ticket) -> str:
    return to_persian_digits(format_code(ticket.tracking_code))


def guest_ticket(desk, dbsession, at="1405/09/07 09:00"):
    return desk(None, "portal", now=tehran(at)).open(NewTicket(
        subject="گواهی اشتغال به تحصیل", department_id=department_id(dbsession, "it"),
        service_key=service_key(dbsession, "it"), channel="portal", guest_name="رضا امینی",
        guest_mobile="09121234567", guest_email="reza@example.ir"))


def student_ticket(desk, dbsession, at="1405/09/07 09:00"):
    """A call from the student, logged by the IT front desk (agent)."""
    return desk("agent", "phone", now=tehran(at)).open(NewTicket(
        subject="رمز عبور سامانه گلستان", department_id=department_id(dbsession, "it"),
        service_key=service_key(dbsession, "it"), channel="phone", requester_id=user(dbsession, "student").id))


def test_receipt_to_a_guest_by_sms_and_email(desk, dbsession, box):
    ticket = guest_ticket(desk, dbsession)
    sms, email = box.new()
    assert (sms.channel, sms.recipient) == ("sms", "09121234567")
    code = code_fa(ticket)
    assert sms.payload["text"] == f"پیشخوان: درخواست شما ثبت شد. کد رهگیری {code}؛ موعد انجام ۱۴۰۵/۰۹/۰۸ ۰۹:۰۰."
    assert (email.channel, email.recipient, email.template) == ("email", "reza@example.ir", "message")
    assert email.subject == f"رسید درخواست {code}"
    assert email.payload["greeting"] == "رضا امینی گرامی،"
    body = email.payload["body"]
    for line in (f"کد رهگیری: {code}", "خدمت: حساب کاربری و گذرواژه", "موعد انجام: ۱۴۰۵/۰۹/۰۸ ۰۹:۰۰"):
        assert line in body
    assert email.payload["link"] == f"{BASE}/track?code={ticket.tracking_code}"
    assert email.payload["link_text"] == "پیگیری درخواست"


def test_receipt_to_a_registered_requester_not_to_the_agent_who_logged_the_call(desk, dbsession, box):
    ticket = student_ticket(desk, dbsession)
    student = user(dbsession, "student")
    rows = box.new()
    assert recipients(rows) == [("sms", student.mobile), ("email", mail("student"))]
    assert rows[1].payload["link"] == f"{BASE}/requests/{ticket.id}"
    assert rows[1].payload["greeting"] == "علی رستمی گرامی،"


def test_the_base_url_setting_makes_the_links(desk, dbsession, box, settings):
    settings["pishkhan.base_url"] = "https://pishkhan.uni.ac.ir/"
    ticket = student_ticket(desk, dbsession)
    assert box.new()[1].payload["link"] == f"https://pishkhan.uni.ac.ir/requests/{ticket.id}"


def test_a_public_reply_reaches_the_requester_an_internal_note_does_not(desk, dbsession, box):
    ticket = student_ticket(desk, dbsession)
    box.new()
    agent = desk("agent", now=tehran("1405/09/07 09:30"))
    agent.comment(ticket, "سلام، گذرواژه شما بازنشانی شد. لطفاً دوباره وارد شوید.")
    sms, email = box.new()
    assert (sms.recipient, email.recipient) == (user(dbsession, "student").mobile, mail("student"))
    assert sms.payload["text"] == f"پیشخوان: به درخواست {code_fa(ticket)} شما پاسخ تازه‌ای داده شد."
    assert email.subject == f"پاسخ تازه به درخواست {code_fa(ticket)}"
    assert "سارا کریمی به درخواست شما «رمز عبور سامانه گلستان» پاسخ داد:" in email.payload["body"]
    assert "گذرواژه شما بازنشانی شد" in email.payload["body"]
    agent.comment(ticket, "احتمالاً مشکل از LDAP است.", internal=True)
    assert box.new() == []  # nobody is assigned yet; the requester never hears of internal notes


def test_an_internal_note_by_a_colleague_reaches_the_assignee(desk, dbsession, box):
    ticket = student_ticket(desk, dbsession)
    desk("agent").assign(ticket, assignee_id=user(dbsession, "agent").id)  # took it themselves: no message
    box.new()
    desk("it.lead").comment(ticket, "سرور LDAP را بررسی کن.", internal=True)
    [email] = box.new()
    assert email.recipient == mail("agent") and email.subject == f"یادداشت داخلی روی درخواست {code_fa(ticket)}"
    assert email.payload["link"] == f"{BASE}/desk/tickets/{ticket.id}"


def test_assigning_tells_the_new_assignee(desk, dbsession, box):
    ticket = student_ticket(desk, dbsession)
    box.new()
    desk("agent").assign(ticket, assignee_id=user(dbsession, "agent").id)
    assert box.new() == []
    desk("agent").assign(ticket, assignee_id=user(dbsession, "it.agent2").id)
    [email] = box.new()
    assert email.recipient == mail("it.agent2") and email.subject == f"درخواست {code_fa(ticket)} به شما واگذار شد"


def test_a_requester_reply_reaches_the_assignee_or_else_the_team_lead(desk, dbsession, box):
    ticket = guest_ticket(desk, dbsession)
    box.new()
    desk(None, "portal").comment(ticket, "شماره دانشجویی من ۹۸۱۲۳۴۵ است.")
    # The IT front desk has no team lead of its own: the department's team lead hears.
    [email] = box.new()
    assert email.recipient == mail("it.lead")
    assert email.subject == f"پاسخ متقاضی به درخواست {code_fa(ticket)}"
    assert "رضا امینی به «گواهی اشتغال به تحصیل» پاسخ داد:" in email.payload["body"]
    desk("agent").assign(ticket, assignee_id=user(dbsession, "it.agent2").id)
    box.new()
    desk(None, "portal").comment(ticket, "فراموش کردم: کارت دانشجویی هم ندارم.")
    assert recipients(box.new()) == [("email", mail("it.agent2"))]


def test_status_changes_the_requester_cares_about(desk, dbsession, box, settings):
    ticket = student_ticket(desk, dbsession)
    agent = desk("agent", now=tehran("1405/09/07 10:00"))
    agent.assign(ticket, assignee_id=user(dbsession, "agent").id)
    box.new()
    agent.transition(ticket, "pend", reason="awaiting_requester")
    sms, email = box.new()
    assert sms.payload["text"] == f"پیشخوان: درخواست {code_fa(ticket)} منتظر پاسخ شماست."
    assert email.payload["link_text"] == "پاسخ دادن"
    agent.transition(ticket, "resume")
    assert box.new() == []
    agent.transition(ticket, "pend", reason="third_party")
    assert box.new() == []
    agent.transition(ticket, "resume")
    agent.transition(ticket, "resolve", resolution_code="solved", note="گذرواژه بازنشانی و پیامک شد.")
    sms, email = box.new()
    assert sms.payload["text"] == f"پیشخوان: درخواست {code_fa(ticket)} شما انجام شد. لطفاً خدمت ما را ارزیابی کنید."
    assert email.subject == f"درخواست {code_fa(ticket)} انجام شد"
    assert "آنچه انجام شد:\n\nگذرواژه بازنشانی و پیامک شد." in email.payload["body"]
    assert "تا ۷ روز می‌توانید درخواست را دوباره باز کنید" in email.payload["body"]
    assert (email.payload["link"], email.payload["link_text"]) == (f"{BASE}/requests/{ticket.id}", "ارزیابی خدمت")
    # The worker closes it three business days later: an e-mail, no SMS.
    close_resolved(JobContext(dbsession, settings, desk(None).hook, tehran("1405/09/14 08:00")))
    assert ticket.status == "closed"
    [email] = box.new()
    assert email.channel == "email" and email.subject == f"درخواست {code_fa(ticket)} بسته شد"
    agent.transition(ticket, "reopen")
    [email] = box.new()
    assert email.recipient == mail("student") and email.subject == f"درخواست {code_fa(ticket)} دوباره باز شد"


def test_the_requester_reopening_tells_the_assignee_not_the_requester(desk, dbsession, box):
    ticket = student_ticket(desk, dbsession)
    agent = desk("agent", now=tehran("1405/09/07 10:00"))
    agent.assign(ticket, assignee_id=user(dbsession, "agent").id)
    agent.transition(ticket, "resolve", resolution_code="solved", note="انجام شد.")
    box.new()
    desk("student", now=tehran("1405/09/07 11:00")).transition(ticket, "reopen", note="هنوز وارد نمی‌شوم.")
    [email] = box.new()
    assert email.recipient == mail("agent")
    assert email.subject == f"متقاضی درخواست {code_fa(ticket)} را دوباره باز کرد"
    assert "هنوز وارد نمی‌شوم." in email.payload["body"]


def test_sla_warning_and_breach_reach_the_assignee_and_the_team_lead(desk, dbsession, box, settings):
    ticket = open_ticket(desk, dbsession, "1405/09/07 09:00")  # P3, logged for a guest by the front desk
    desk("agent").assign(ticket, assignee_id=user(dbsession, "it.agent2").id)
    box.new()
    hook = desk(None).hook
    sweep_clocks(JobContext(dbsession, settings, hook, tehran("1405/09/07 12:00")))
    [email] = box.new()
    assert email.recipient == mail("it.agent2")
    assert email.subject == f"درخواست {code_fa(ticket)}: موعد پاسخ نزدیک است"
    assert email.payload["body"] == "موعد پاسخ «چاپگر طبقه دوم کار نمی‌کند» (P3 · عادی) در ۱۴۰۵/۰۹/۰۷ ۱۳:۰۰ به سر می‌رسد."
    sweep_clocks(JobContext(dbsession, settings, hook, tehran("1405/09/07 13:00")))
    rows = box.new()
    assert recipients(rows) == [("email", mail("it.agent2")), ("email", mail("it.lead"))]
    assert rows[0].subject == f"درخواست {code_fa(ticket)} از موعد پاسخ گذشت"


def test_a_warning_without_an_assignee_reaches_the_team_lead(desk, dbsession, box, settings):
    ticket = open_ticket(desk, dbsession, "1405/09/07 09:00")
    box.new()
    sweep_clocks(JobContext(dbsession, settings, desk(None).hook, tehran("1405/09/07 12:00")))
    assert recipients(box.new()) == [("email", mail("it.lead"))]
    assert ticket.assignee_id is None


def test_hierarchical_escalation_reaches_team_lead_and_manager_not_the_actor(desk, dbsession, box):
    ticket = student_ticket(desk, dbsession)
    box.new()
    desk("agent").escalate_to_management(ticket, reason="استاد راهنما سه روز است منتظر است.")
    rows = box.new()
    assert recipients(rows) == [("email", mail("it.lead")), ("email", mail("it.manager"))]
    assert rows[0].subject == f"ارجاع درخواست {code_fa(ticket)} به شما"
    assert "دلیل: استاد راهنما سه روز است منتظر است." in rows[0].payload["body"]
    desk("it.lead").escalate_to_management(ticket, reason="مدیر واحد باید تصمیم بگیرد.")
    assert recipients(box.new()) == [("email", mail("it.manager"))]


def test_automatic_escalation_near_a_p2_breach(desk, dbsession, box, settings):
    ticket = open_ticket(desk, dbsession, "1405/09/07 09:00", impact="medium", urgency="high")
    desk("agent").comment(ticket, "در حال بررسی است.")  # the response clock stops
    box.new()
    sweep_clocks(JobContext(dbsession, settings, desk(None).hook, tehran("1405/09/07 15:00")))
    warning, *escalation = box.new()
    assert warning.recipient == mail("it.lead")  # the warning: nobody is assigned
    assert warning.subject == f"درخواست {code_fa(ticket)}: موعد حل درخواست نزدیک است"
    assert recipients(escalation) == [("email", mail("it.lead")), ("email", mail("it.manager"))]
    assert escalation[1].subject == f"ارجاع درخواست {code_fa(ticket)} به شما"
    assert "خودکار به شما ارجاع شد" in escalation[1].payload["body"]


def test_a_requester_acting_on_their_own_request_is_not_told(desk, dbsession, box):
    ticket = desk("student", "portal", now=tehran("1405/09/07 09:00")).open(NewTicket(
        subject="درخواست ریزنمرات", department_id=department_id(dbsession, "education"),
        service_key=service_key(dbsession, "education"), channel="portal", requester_id=user(dbsession, "student").id))
    assert [row.channel for row in box.new()] == ["sms", "email"]  # the receipt is always sent
    desk("student", now=tehran("1405/09/07 09:05")).transition(ticket, "cancel")
    assert box.new() == []


def test_the_email_renders_right_to_left_with_the_link(desk, dbsession, box, settings):
    guest_ticket(desk, dbsession)
    email = box.new()[1]
    message = outbox.OutboxMessage(email.id, "email", email.recipient, email.subject, email.template,
                                   email.payload, 1)
    text, html = render(message, settings)
    assert '<html lang="fa" dir="rtl">' in html and "رضا امینی گرامی،" in html
    assert f'href="{BASE}/track?code=' in html and "پیگیری درخواست" in text


def test_an_english_reader_gets_a_left_to_right_email(desk, dbsession, box, settings):
    user(dbsession, "student").preferred_language = "en"
    student_ticket(desk, dbsession)
    email = box.new()[1]
    assert email.payload["language"] == "en"
    message = outbox.OutboxMessage(email.id, "email", email.recipient, email.subject, email.template,
                                   email.payload, 1)
    text, html = render(message, settings)
    assert '<html lang="en" dir="ltr">' in html
    assert "please do not reply" in text and "لطفاً" not in text


def as_message(row: OutboxMessage) -> outbox.OutboxMessage:
    return outbox.OutboxMessage(row.id, row.channel, row.recipient, row.subject, row.template, row.payload, 1)


def printer_ticket(desk, dbsession):
    """The student's call, its subject stored as every input is: with Latin digits."""
    return desk("agent", "phone", now=tehran("1405/09/07 09:00")).open(NewTicket(
        subject="پرینتر اتاق 204 کار نمی‌کند", department_id=department_id(dbsession, "it"),
        service_key=service_key(dbsession, "it"), channel="phone", requester_id=user(dbsession, "student").id))


def test_what_people_typed_reads_with_persian_digits_in_a_persian_email(desk, dbsession, box, settings):
    ticket = printer_ticket(desk, dbsession)
    receipt = box.new()[1]
    assert "«پرینتر اتاق ۲۰۴ کار نمی‌کند»" in receipt.payload["body"]
    text, html = render(as_message(receipt), settings)
    assert "«پرینتر اتاق ۲۰۴ کار نمی‌کند»" in text and "«پرینتر اتاق ۲۰۴ کار نمی‌کند»" in html

    agent = desk("agent", now=tehran("1405/09/07 09:30"))
    agent.comment(ticket, "کارتریج 305 سفارش شد؛ پیگیری: https://help.uni.ac.ir/t/77 یا ali.1402@uni.ac.ir")
    reply = box.new()[1]
    body = reply.payload["body"]
    assert "به درخواست شما «پرینتر اتاق ۲۰۴ کار نمی‌کند» پاسخ داد" in body
    # The numbers of the text are Persian; the URL and the e-mail address work when copied.
    assert "کارتریج ۳۰۵ سفارش شد؛ پیگیری: https://help.uni.ac.ir/t/77 یا ali.1402@uni.ac.ir" in body
    assert reply.subject == f"پاسخ تازه به درخواست {code_fa(ticket)}"

    agent.transition(ticket, "resolve", resolution_code="solved", note="کارتریج 305 عوض شد")
    resolved = [row for row in box.new() if row.channel == "email"][0]
    assert "کارتریج ۳۰۵ عوض شد" in resolved.payload["body"]
    assert "«پرینتر اتاق ۲۰۴ کار نمی‌کند»" in resolved.payload["body"]


def test_an_english_email_keeps_latin_digits_in_what_people_typed(desk, dbsession, box):
    user(dbsession, "student").preferred_language = "en"
    ticket = printer_ticket(desk, dbsession)
    assert "«پرینتر اتاق 204 کار نمی‌کند»" in box.new()[1].payload["body"]
    desk("agent", now=tehran("1405/09/07 09:30")).comment(ticket, "کارتریج 305 سفارش شد")
    assert "کارتریج 305 سفارش شد" in box.new()[1].payload["body"]


def test_staff_read_the_subject_and_the_note_in_persian_digits(desk, dbsession, box):
    ticket = printer_ticket(desk, dbsession)
    desk("agent").assign(ticket, assignee_id=user(dbsession, "it.agent2").id)
    assigned = box.new()[-1]
    assert "«پرینتر اتاق ۲۰۴ کار نمی‌کند»" in assigned.payload["body"]
    desk("agent").comment(ticket, "تونر 12 درصد است", internal=True)
    assert "تونر ۱۲ درصد است" in box.new()[-1].payload["body"]


def test_a_receipt_arrives_by_smtp(desk, dbsession, box, settings, smtp_server):  # noqa: F811
    ticket = guest_ticket(desk, dbsession)
    email = box.new()[1]
    message = outbox.OutboxMessage(email.id, "email", email.recipient, email.subject, email.template,
                                   email.payload, 1)
    EmailChannel().deliver(message, dict(settings, **{"mail.port": str(smtp_server.port)}))
    [received] = smtp_server.messages()
    assert received["To"].addresses[0].addr_spec == "reza@example.ir"
    assert received["Subject"] == f"رسید درخواست {code_fa(ticket)}"
    assert f"کد رهگیری: {code_fa(ticket)}" in received.get_body(("plain",)).get_content()
    assert 'dir="rtl"' in received.get_body(("html",)).get_content()
