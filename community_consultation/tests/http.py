"""Requests to the test site through Frappe's WSGI application — routing, token or cookie
authentication, `override_whitelisted_methods`, the request's own commit or rollback — as a client's
would, each in a thread of its own with its own database connection (as Frappe's own API tests do).

	client = Client(api_token(clerk))
	client.get(resource("Consultation Topic"), {"fields": '["name"]'})
	client.method("frappe.client.get_count", doctype="Consultation Topic")
	client.request("put", resource("Consultation Topic", name), json={...})
	client.request("post", path, json={...}, headers={"X-Forwarded-For": "10.0.0.7"})  # another address

Such a request sees only committed data: build its records inside `shared.committed_records()`.
"""

import json
import threading
from urllib.parse import quote, urlencode

import frappe
from frappe.utils import get_test_client

from community_consultation.tests.users import api_token  # the clients' tokens, imported from here too


class Client:
	"""One client of the site: with `authorization` ("token key:secret") on every request, or without
	(its own cookies, as a browser after logging in)."""

	def __init__(self, authorization: str | None = None):
		self.client = get_test_client()
		self.site = frappe.local.site
		self.headers = {"Authorization": authorization} if authorization else {}

	def request(self, method: str, path: str, **kwargs):
		answer = {}
		# the site by the header Frappe's router reads first (frappe.app.init_request), not by patching
		# frappe.app.get_site_name as frappe.tests.test_api.ThreadWithReturnValue does: the patches of
		# simultaneous requests' threads restore each other's mocks, and the one left in place sent every
		# later request of the process to this site
		headers = {"X-Frappe-Site-Name": self.site, **self.headers, **kwargs.pop("headers", {})}

		def run():
			answer["response"] = getattr(self.client, method)(path, headers=headers, **kwargs)

		thread = threading.Thread(target=run)
		thread.start()
		thread.join()
		return answer.get("response")

	def get(self, path: str, params: dict | None = None):
		return self.request("get", path + ("?" + urlencode(params) if params else ""))

	def method(self, cmd: str, http: str = "get", **params):
		"""/api/method/`cmd`: GET with the parameters in the query string (JSON for what is not a
		string), or another verb with them as the JSON body."""
		if http == "get":
			return self.get(
				f"/api/method/{cmd}",
				{k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()},
			)
		return self.request(http, f"/api/method/{cmd}", json=params)


def resource(doctype: str, name: str | None = None) -> str:
	return f"/api/resource/{quote(doctype)}" + (f"/{quote(name)}" if name else "")


def exc_type(response) -> str:
	return (response.json or {}).get("exc_type", "")


def server_messages(response) -> str:
	"""The messages of a refusal (`_server_messages`), joined."""
	body = response.json or {}
	return " ".join(
		json.loads(m).get("message", "") for m in json.loads(body.get("_server_messages") or "[]")
	)
