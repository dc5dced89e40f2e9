"""A fake Kavenegar on a loopback port: the real HTTP exchange, without sending an SMS."""
from __future__ import annotations

import json
import re
import socket
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

API_KEY = "7A6B-SECRET-KEY-5C4D"

# Kavenegar's texts for the statuses the tests use (403: the API key is not valid).
STATUS_MESSAGES = {
    200: "تایید شد",
    401: "حساب کاربری غیرفعال شده است",
    403: "کد شناسائی API-Key معتبر نمی‌باشد",
    411: "دریافت کننده نامعتبر است",
    418: "اعتبار حساب شما کافی نیست",
}


class FakeKavenegar(ThreadingHTTPServer):
    """Answers ``POST /v1/{API_KEY}/sms/send.json`` like Kavenegar and keeps every form it accepted.

    ``status`` forces an error answer, ``proxy_error`` an HTML page from a proxy in front of it;
    ``delay`` holds every answer back (for timeouts).
    """

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), KavenegarHandler)
        self.received: list[dict] = []
        self.content_types: list[str] = []
        self.status = 200
        self.proxy_error = False
        self.delay = 0.0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def handle_error(self, request, client_address) -> None:
        """A client that stopped waiting (the timeout test) is not a failure of the fake."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class KavenegarHandler(BaseHTTPRequestHandler):
    server: FakeKavenegar

    def do_POST(self) -> None:
        time.sleep(self.server.delay)
        if self.server.proxy_error:
            return self.send_error(502, "Bad Gateway")
        body = self.rfile.read(int(self.headers["Content-Length"])).decode("ascii")
        fields = {name: values[0] for name, values in parse_qs(body, strict_parsing=True, encoding="utf-8").items()}
        if self.path != f"/v1/{API_KEY}/sms/send.json":
            return self.answer(403)
        if not re.fullmatch(r"09\d{9}", fields.get("receptor", "")) or not fields.get("message"):
            return self.answer(411)
        if self.server.status != 200:
            return self.answer(self.server.status)
        self.server.received.append(fields)
        self.server.content_types.append(self.headers["Content-Type"])
        self.answer(200, entries=[{"messageid": 8792343, "message": fields["message"], "status": 1,
                                   "statustext": "در صف ارسال", "sender": fields.get("sender", "10004346"),
                                   "receptor": fields["receptor"], "date": 1356619709, "cost": 120}])

    def answer(self, status: int, entries: list | None = None) -> None:
        """Kavenegar puts its status in the JSON and, for errors, in the HTTP status too."""
        body = json.dumps({"return": {"status": status, "message": STATUS_MESSAGES[status]}, "entries": entries},
                          ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:
        pass  # keep the test output quiet


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def kavenegar_settings(url: str, sender: str = "") -> dict:
    return {"sms.backend": "kavenegar", "sms.kavenegar.api_key": API_KEY, "sms.kavenegar.sender": sender,
            "sms.kavenegar.url": url}
