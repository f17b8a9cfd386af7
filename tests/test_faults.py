"""Faults in notices and background jobs: a job or a notice that fails is reported and retried,
never half-applied — a notice is recorded as sent only when a channel took it.

Restarting Redis or MariaDB under the gunicorn server is a drill, not a test (the services are shared):
benchmarks/fault_drill.py.
"""

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import frappe
import pytest
from frappe.utils import add_days, now_datetime, nowdate

from community_consultation.community_consultation.doctype.consultation_outcome.consultation_outcome import (
	follow_the_calendar,
)
from community_consultation.tests.factory import (
	make_outcome,
	make_people,
	make_session,
	make_stakeholder,
	make_topic,
	make_unit_tree,
)


class Gateway(ThreadingHTTPServer):
	"""A local SMS gateway answering every request with `status`, counting the messages it took."""

	def __init__(self, status: int):
		self.status, self.received = status, []

		class Handler(BaseHTTPRequestHandler):
			def do_GET(handler):
				self.received.append(handler.path)
				handler.send_response(self.status)
				handler.end_headers()
				handler.wfile.write(b"OK" if self.status < 300 else b"FAILED")

			def log_message(handler, *args):
				pass

		super().__init__(("127.0.0.1", 0), Handler)
		self.url = f"http://127.0.0.1:{self.server_address[1]}/sms"
		threading.Thread(target=self.serve_forever, daemon=True).start()


@pytest.fixture
def gateway():
	servers = []

	def start(status: int) -> Gateway:
		servers.append(Gateway(status))
		return servers[-1]

	yield start
	for server in servers:
		server.shutdown()
		server.server_close()


def refused_url() -> str:
	"""A local port nobody listens on: the connection is refused."""
	with socket.socket() as s:
		s.bind(("127.0.0.1", 0))
		port = s.getsockname()[1]
	return f"http://127.0.0.1:{port}/sms"


def use_sms_gateway(url: str):
	settings = frappe.get_single("SMS Settings")
	settings.sms_gateway_url = url
	settings.message_parameter = "text"
	settings.receiver_parameter = "to"
	settings.use_post = 0
	settings.save(ignore_permissions=True)


@pytest.fixture
def noticed_session():
	"""A draft session whose participants are not notified yet; the last one is reached only by SMS."""
	units = make_unit_tree("故障")
	people = make_people(units.village_a, count=3)
	sms_only = make_stakeholder("只有手机的村民", units.village_a, mobile_no="13800138000")
	people.append(sms_only)
	topic = make_topic(units.village_a, stakeholders=people)
	session = make_session(
		topic, people, conclude=False, starts_on=add_days(now_datetime(), 5), notice_published_on=None
	)
	for row in session.participants:
		row.notified_on = None
		row.notified_via = None
	session.save()
	return frappe._dict(session=session, sms_only=sms_only)


def participant(session, stakeholder):
	session.reload()
	return next(p for p in session.participants if p.stakeholder == stakeholder)


def sms_failures(session) -> int:
	return frappe.db.count(
		"Error Log", {"reference_doctype": "Consultation Session", "reference_name": session.name}
	)


def test_sms_notice_refused_by_gateway_is_not_recorded_as_sent_and_is_logged(noticed_session):
	use_sms_gateway(refused_url())
	session = noticed_session.session

	session.publish_notice(["Bulletin Board", "SMS"])

	row = participant(session, noticed_session.sms_only)
	assert not row.notified_on
	assert "SMS" not in (row.notified_via or "")
	assert sms_failures(session) >= 1
	assert session.notice_published_on


def test_sms_notice_failing_at_gateway_is_not_recorded_as_sent(noticed_session, gateway):
	failing = gateway(503)
	use_sms_gateway(failing.url)
	session = noticed_session.session

	session.publish_notice(["Bulletin Board", "SMS"])

	assert failing.received, "the gateway was not called"
	assert not participant(session, noticed_session.sms_only).notified_on
	assert sms_failures(session) >= 1


def test_sms_notice_is_retried_and_recorded_once_the_gateway_takes_it(noticed_session, gateway):
	use_sms_gateway(refused_url())
	session = noticed_session.session
	session.publish_notice(["Bulletin Board", "SMS"])
	assert not participant(session, noticed_session.sms_only).notified_on

	working = gateway(200)
	use_sms_gateway(working.url)
	session.reload()
	session.publish_notice()

	row = participant(session, noticed_session.sms_only)
	assert row.notified_on
	assert "SMS" in row.notified_via
	assert len(working.received) == 1  # only the one not reached before


@pytest.fixture
def due_outcomes():
	"""Two filed outcomes whose deadline passed yesterday, still Filed (the daily job has not run)."""
	units = make_unit_tree("逾期")
	names = []
	for i, village in enumerate((units.village_a, units.village_b)):
		people = make_people(village, count=4, prefix=f"村民{i}")
		topic = make_topic(village, stakeholders=people, title=f"逾期议题{i}")
		outcome = make_outcome(make_session(topic, people), publicise=False)
		assert outcome.status == "Filed"
		frappe.db.set_value(
			"Consultation Outcome", outcome.name, "implementation_deadline", add_days(nowdate(), -1)
		)
		names.append(outcome.name)
	return names


def test_overdue_job_failing_for_one_outcome_leaves_it_whole_reports_it_and_moves_the_others(
	due_outcomes, monkeypatch
):
	failing, other = due_outcomes
	told = []

	def notify_overdue(doc):
		if doc.name == failing:
			raise ConnectionError("notification channel unavailable")
		told.append(doc.name)

	monkeypatch.setattr("community_consultation.notices.delivery.notify_overdue", notify_overdue)
	follow_the_calendar()

	# the failing outcome is not half-applied: no status change without its notice, and it is reported
	assert frappe.db.get_value("Consultation Outcome", failing, "status") == "Filed"
	assert frappe.db.exists(
		"Error Log", {"reference_doctype": "Consultation Outcome", "reference_name": failing}
	)
	# the others moved, with their notice
	assert frappe.db.get_value("Consultation Outcome", other, "status") == "Overdue"
	assert told == [other]

	# the next run retries it
	monkeypatch.setattr(
		"community_consultation.notices.delivery.notify_overdue", lambda doc: told.append(doc.name)
	)
	follow_the_calendar()
	assert frappe.db.get_value("Consultation Outcome", failing, "status") == "Overdue"
	assert told == [other, failing]
