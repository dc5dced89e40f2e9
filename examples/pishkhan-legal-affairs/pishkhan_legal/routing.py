"""Which of the department's teams receives a new ticket (the tickets plugin tries these rules
in ``position`` order; a ticket no rule matches goes to the front desk, the lowest tier)."""
from core.contracts import RoutingRule
from pishkhan_legal.department import CODE, LAWYERS
from pishkhan_legal.services import CONTRACT_REVIEW

# Contracts, lawsuits and complaints need a lawyer at once, whichever service was chosen.
LAWYER_KEYWORDS = ("قرارداد", "دادگاه", "شکایت", "دادخواست", "اخطاریه")

ROUTING_RULES = [
    RoutingRule(CODE, LAWYERS.name, services=(CONTRACT_REVIEW.key,), position=10),
    RoutingRule(CODE, LAWYERS.name, keywords=LAWYER_KEYWORDS, position=20),
]
