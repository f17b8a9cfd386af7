"""MariaDB away while a clerk works: the request fails with a clear, translated message, nothing
is saved, and the next request after MariaDB returns works, with no restart.

Stopping the shared MariaDB would break every other connection, so the outage is staged on a link of
this test's own: a second site folder holds the test site's configuration with the database reached
through a local TCP relay. Requests go through Frappe's real WSGI application (the one gunicorn
serves), each in an empty context, as a worker would run them; the relay refuses connections (MariaDB
stopped) or drops one when it carries a given statement (MariaDB gone while a save is under way).
"""

import contextvars
import json
import re
import shutil
import socket
import threading
import uuid
from pathlib import Path

import frappe
import frappe.app
import pytest
from frappe.utils.password import get_encryption_key, update_password
from werkzeug.test import Client

from community_consultation.overrides.database_outage import OUTAGE_EXCEPTION
from community_consultation.tests.concurrency import purge_units
from community_consultation.tests.factory import make_people, make_session, make_topic, make_unit_tree
from community_consultation.tests.users import make_user

PASSWORD = "Outage@2026"
MESSAGE_ZH = "暂时无法连接数据库服务器，本次操作没有保存任何内容。"


class DatabaseLink:
	"""A TCP relay to MariaDB that can be cut: `down()` closes every connection and refuses new ones,
	`drop_on(statement)` closes a connection when the client sends `statement`, `up()` restores it."""

	def __init__(self, host: str, port: int):
		self.target = (host, port)
		self.port = None
		self.trigger: bytes | None = None
		self.dropped = 0
		self.connections = 0
		self.pairs: list[tuple[socket.socket, socket.socket]] = []
		self.listener = None
		self.lock = threading.Lock()
		self.up()

	def up(self):
		listener = socket.socket()
		listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
		listener.bind(("127.0.0.1", self.port or 0))
		listener.listen(32)
		self.port = listener.getsockname()[1]
		self.listener = listener
		threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

	def down(self):
		"""MariaDB stopped: open connections are closed and new ones refused."""
		listener, self.listener = self.listener, None
		if listener:
			# shutdown, not only close: it wakes the thread blocked in accept() and stops listening
			listener.shutdown(socket.SHUT_RDWR)
			listener.close()
		with self.lock:
			pairs, self.pairs = self.pairs, []
		for pair in pairs:
			self._close(pair)

	def drop_on(self, statement: bytes | None):
		self.trigger = statement

	def _accept(self, listener):
		while True:
			try:
				client, _ = listener.accept()
			except OSError:
				return
			server = socket.create_connection(self.target)
			pair = (client, server)
			with self.lock:
				self.connections += 1
				self.pairs.append(pair)
			threading.Thread(target=self._pipe, args=(client, server, pair, True), daemon=True).start()
			threading.Thread(target=self._pipe, args=(server, client, pair, False), daemon=True).start()

	def _pipe(self, source, sink, pair, from_client):
		seen = b""
		try:
			while data := source.recv(65536):
				if from_client and self.trigger:
					seen = (seen + data)[-65536:]
					if self.trigger in seen:
						self.trigger = None
						self.dropped += 1
						break
				sink.sendall(data)
		except OSError:
			pass
		self._close(pair)

	@staticmethod
	def _close(pair):
		for sock in pair:
			try:
				sock.shutdown(socket.SHUT_RDWR)
			except OSError:
				pass
			sock.close()


def in_fresh_context(fn, *args, **kwargs):
	"""Run `fn` with Frappe's request locals empty, as in a server worker; the test's own stay as they are."""
	return contextvars.Context().run(fn, *args, **kwargs)


class Browser:
	"""A clerk's browser against the site behind the link, through frappe.app.application."""

	def __init__(self, site: str):
		self.client = Client(frappe.app.application)
		self.base_url = f"http://{site}"

	def request(self, method: str, path: str, **kwargs):
		kwargs.setdefault("headers", {}).setdefault("Accept", "application/json")
		return in_fresh_context(
			self.client.open, path, method=method, base_url=self.base_url, buffered=True, **kwargs
		)


@pytest.fixture
def outage():
	token = uuid.uuid4().hex[:8]
	units = make_unit_tree(f"断库{token}")
	clerk = make_user(
		f"outage-clerk-{token}@example.com", ["Committee Clerk"], [units.village_a], language="zh"
	)
	update_password(clerk, PASSWORD)
	people = make_people(units.village_a, count=3)
	topic = make_topic(units.village_a, stakeholders=people, title=f"断库议题{token}")
	session = make_session(topic, people, conclude=False, venue="村委会会议室")
	frappe.db.commit()

	# the copy must hold the site's encryption key (Frappe writes one into site_config.json on first use)
	get_encryption_key()
	conf = frappe.get_site_config()
	link = DatabaseLink(conf.get("db_host") or "127.0.0.1", int(conf.get("db_port") or 3306))
	site = f"outage-{token}.localhost"
	site_dir = Path(frappe.local.sites_path) / site
	(site_dir / "logs").mkdir(parents=True)
	linked_conf = json.loads(
		(Path(frappe.local.sites_path) / frappe.local.site / "site_config.json").read_text()
	)
	linked_conf.update(db_host="127.0.0.1", db_port=link.port)
	(site_dir / "site_config.json").write_text(json.dumps(linked_conf))
	browser = Browser(site)
	try:
		answer = browser.request("POST", "/api/method/login", json={"usr": clerk, "pwd": PASSWORD})
		assert answer.status_code == 200, answer.get_data(as_text=True)
		# the request reached the site behind the link, not the test site by another route
		assert link.connections >= 1, "the login did not go through the database link"
		# the clerk has been working: the session and the user's settings are in Redis
		assert browser.request("GET", f"/api/resource/Consultation Session/{session.name}").status_code == 200
		yield frappe._dict(link=link, browser=browser, session=session, clerk=clerk, site=site)
	finally:
		link.down()
		shutil.rmtree(site_dir, ignore_errors=True)
		purge_units(units.values(), [clerk])


def save_venue(outage, venue: str):
	return outage.browser.request(
		"PUT", f"/api/resource/Consultation Session/{outage.session.name}", json={"venue": venue}
	)


def stored_venue(outage) -> str:
	frappe.db.rollback()  # see what is committed now
	return frappe.db.get_value("Consultation Session", outage.session.name, "venue")


def assert_outage_answer(answer):
	assert answer.status_code == 503, answer.get_data(as_text=True)[:2000]
	assert answer.headers["Retry-After"]
	body = answer.get_json()
	assert body["exc_type"] == OUTAGE_EXCEPTION
	messages = [json.loads(m) for m in json.loads(body["_server_messages"])]
	assert any(MESSAGE_ZH in m["message"] for m in messages), messages
	assert "pymysql" not in answer.get_data(as_text=True)


def test_save_while_database_is_down_gets_a_clear_message_and_works_once_it_is_back(outage):
	outage.link.down()

	assert_outage_answer(save_venue(outage, "村文化礼堂"))
	assert_outage_answer(outage.browser.request("GET", "/api/resource/Consultation Topic"))
	page = outage.browser.request("GET", "/app/consultation-session", headers={"Accept": "text/html"})
	assert page.status_code == 503
	assert "暂时无法连接数据库服务器。本页面将在半分钟后自动重试。" in page.get_data(as_text=True)
	assert stored_venue(outage) == "村委会会议室"

	outage.link.up()
	answer = save_venue(outage, "村文化礼堂")
	assert answer.status_code == 200, answer.get_data(as_text=True)[:2000]
	assert stored_venue(outage) == "村文化礼堂"


def test_save_losing_the_database_midway_gets_a_clear_message_and_writes_nothing(outage):
	before = frappe.get_doc("Consultation Session", outage.session.name).as_dict()
	# MariaDB goes away while the save writes the session's row
	outage.link.drop_on(b"UPDATE `tabConsultation Session`")

	answer = save_venue(outage, "村文化礼堂")

	assert outage.link.dropped == 1
	assert_outage_answer(answer)
	frappe.db.rollback()
	after = frappe.get_doc("Consultation Session", outage.session.name).as_dict()
	assert after.venue == "村委会会议室"
	assert after.modified == before.modified
	assert [p.stakeholder for p in after.participants] == [p.stakeholder for p in before.participants]

	# the next save goes through on a new connection
	answer = save_venue(outage, "村文化礼堂")
	assert answer.status_code == 200, answer.get_data(as_text=True)[:2000]
	assert stored_venue(outage) == "村文化礼堂"


def test_rest_client_gets_the_message_in_the_language_it_asks_for(outage):
	"""A client authenticated by an API key is identified only after the outage check: its message is
	in the language it asks for (or the site's)."""
	user = frappe.get_doc("User", outage.clerk)
	user.api_key = frappe.generate_hash(length=15)
	secret = frappe.generate_hash(length=15)
	user.api_secret = secret
	user.save(ignore_permissions=True)
	frappe.db.commit()
	client = Browser(outage.site)
	headers = {"Authorization": f"token {user.api_key}:{secret}", "Accept-Language": "zh-CN,zh;q=0.9"}
	assert client.request("GET", "/api/resource/Consultation Topic", headers=dict(headers)).status_code == 200

	outage.link.down()
	assert_outage_answer(
		client.request(
			"PUT",
			f"/api/resource/Consultation Session/{outage.session.name}",
			json={"venue": "村文化礼堂"},
			headers=dict(headers),
		)
	)


def test_a_server_error_with_the_database_up_is_not_called_an_outage(outage):
	# a body that is not JSON fails in Frappe's request parsing, a plain server error
	answer = outage.browser.request(
		"PUT",
		f"/api/resource/Consultation Session/{outage.session.name}",
		data="{not json",
		content_type="application/json",
	)
	assert answer.status_code == 500
	assert OUTAGE_EXCEPTION not in answer.get_data(as_text=True)


def test_desk_pages_load_the_handler_for_unanswered_requests(outage):
	"""The desk tells the clerk when a request got no answer it can show (public/js, built by
	scripts/bootstrap and scripts/test): the built bundle is on every desk page."""
	page = outage.browser.request("GET", "/app/consultation-session", headers={"Accept": "text/html"})
	assert page.status_code == 200
	html = page.get_data(as_text=True)
	bundle = re.search(
		r'src="(/assets/community_consultation/dist/js/community_consultation\.bundle\.\w+\.js)"', html
	)
	assert bundle, "the desk page does not load the app's built bundle"
	built = Path(frappe.local.sites_path) / bundle.group(1).lstrip("/")
	assert "Server unavailable" in built.read_text()
