"""The resident channel (社情民意网络征集渠道): a logged-in resident proposes a topic through the web
form; it arrives as a Draft online submission proposed by their Stakeholder record. Residents see
only their own proposals; proposals are rate-limited, their HTML sanitised, oversized files refused."""

import base64
import json

import frappe
import pytest
from frappe.utils import nowdate
from frappe.website.doctype.web_form.web_form import accept

from community_consultation.portal.web_form import WEB_FORM
from community_consultation.procedure.online_proposals import ATTACHMENT_FIELD, SOURCE_CHANNEL
from community_consultation.tests.factory import DEFAULT_CATEGORY, make_stakeholder, make_topic
from community_consultation.tests.users import as_user, make_user


@pytest.fixture(scope="module")
def units(module_records):
	"""The unit tree of tests/conftest.py, made once for the module with its two residents (users are
	slow to make); each test's proposals are rolled back after it."""
	from community_consultation.tests.factory import make_unit_tree

	return make_unit_tree()


@pytest.fixture(scope="module")
def resident(units):
	return make_user("resident-a@example.com", ["Resident"], first_name="刘海")


@pytest.fixture(scope="module")
def other_resident(units):
	return make_user("resident-b@example.com", ["Resident"], first_name="赵敏")


@pytest.fixture
def conf():
	"""Override site config keys for one test."""
	saved = {}

	def set_conf(**values):
		for key, value in values.items():
			saved.setdefault(key, frappe.local.conf.get(key))
			frappe.local.conf[key] = value

	yield set_conf
	for key, value in saved.items():
		frappe.local.conf[key] = value


def propose(user: str, unit: str, title: str = "小区路灯不亮", **data):
	"""Submit the web form as `user`, as Frappe's web form endpoint does."""
	values = {
		"community_unit": unit,
		"category": DEFAULT_CATEGORY,
		"title": title,
		"description": "<p>夜间出行不便，希望尽快维修。</p>",
		**data,
	}
	with as_user(user):
		frappe.flags.in_web_form = False
		try:
			return accept(WEB_FORM, json.dumps(values))
		finally:
			frappe.flags.in_web_form = False


def attachment(name: str, size: int) -> str:
	content = b"%PDF-1.4\n" + b"0" * (size - 9)
	return f"{name},data:application/pdf;base64," + base64.b64encode(content).decode()


def topics_of(user: str) -> int:
	return frappe.db.count("Consultation Topic", {"owner": user})


def test_residents_are_website_users(resident):
	assert frappe.db.get_value("User", resident, "user_type") == "Website User"


def test_resident_proposal_arrives_as_draft_online_submission_by_their_new_stakeholder(units, resident):
	topic = propose(resident, units.village_a)
	topic = frappe.get_doc("Consultation Topic", topic.name)
	assert topic.status == "Draft"
	assert topic.source_channel == SOURCE_CHANNEL
	assert topic.review_decision in (None, "")
	assert str(topic.proposed_on) == nowdate()
	assert topic.owner == resident
	stakeholder = frappe.get_doc("Stakeholder", topic.proposer)
	assert (stakeholder.user, stakeholder.community_unit, stakeholder.stakeholder_type) == (
		resident,
		units.village_a,
		"户籍居民",
	)
	assert stakeholder.stakeholder_name == "刘海"
	# the next proposal is made by the same stakeholder, even for another unit
	again = propose(resident, units.building, title="一组道路积水")
	assert again.proposer == topic.proposer
	assert frappe.db.count("Stakeholder", {"user": resident}) == 1


def test_resident_with_a_stakeholder_record_proposes_as_that_record(units, resident):
	existing = make_stakeholder("刘海（户籍）", units.village_a, user=resident)
	topic = propose(resident, units.village_a)
	assert topic.proposer == existing


def test_proposal_cannot_set_its_own_review_or_status(units, resident):
	topic = propose(
		resident, units.village_a, status="Accepted", review_decision="Accepted", source_channel="Escalation"
	)
	topic = frappe.get_doc("Consultation Topic", topic.name)
	assert (topic.status, topic.review_decision or None, topic.source_channel) == (
		"Draft",
		None,
		SOURCE_CHANNEL,
	)


def test_proposal_goes_to_a_village_community_or_building_not_a_township(units, resident):
	with pytest.raises(frappe.ValidationError):
		propose(resident, units.township)
	assert topics_of(resident) == 0


def test_resident_sees_only_their_own_proposals(units, resident, other_resident):
	from frappe.www.list import get_list_data

	mine = propose(resident, units.village_a, title="甲的议题").name
	theirs = propose(other_resident, units.village_a, title="乙的议题").name
	staff_topic = make_topic(units.village_a, title="村里自己的议题").name

	with as_user(other_resident):
		listed = [row.name for row in get_list_data("Consultation Topic", web_form_name=WEB_FORM)]
		assert listed == [theirs]
		# the list shows their status, in their language
		row = get_list_data("Consultation Topic", web_form_name=WEB_FORM)[0]
		assert row.status == frappe._("Draft")
		# not through the web form's document view, nor the REST/list API
		web_form = frappe.get_doc("Web Form", WEB_FORM)
		assert web_form.has_web_form_permission("Consultation Topic", theirs)
		assert not web_form.has_web_form_permission("Consultation Topic", mine)
		assert not web_form.has_web_form_permission("Consultation Topic", staff_topic)
		with pytest.raises(frappe.PermissionError):
			frappe.get_list("Consultation Topic", fields=["name"])
		with pytest.raises(frappe.PermissionError):
			frappe.get_doc("Consultation Topic", mine).check_permission("read")
		assert not frappe.has_permission("Stakeholder", "read")


def test_proposals_are_rate_limited_per_user(units, resident, other_resident, conf):
	conf(consultation_submissions_per_hour=2)
	propose(resident, units.village_a, title="第一条")
	propose(resident, units.village_a, title="第二条")
	with pytest.raises(frappe.RateLimitExceededError) as refused:
		propose(resident, units.village_a, title="第三条")
	assert "2" in str(refused.value)
	assert topics_of(resident) == 2
	# another resident is not held back by the first one's proposals
	propose(other_resident, units.village_a, title="另一位居民")
	# the message is translated
	with as_user(resident):
		frappe.local.lang = "zh"
		try:
			with pytest.raises(frappe.RateLimitExceededError) as refused_zh:
				propose(resident, units.village_a, title="第三条")
		finally:
			frappe.local.lang = "en"
	assert "一小时内" in str(refused_zh.value)


def test_proposal_html_is_sanitised(units, resident):
	topic = propose(
		resident,
		units.village_a,
		title="<b>路灯</b><script>alert(1)</script>维修",
		description=(
			'<p onclick="steal()">路灯坏了<script>alert(document.cookie)</script></p>'
			'<img src="x" onerror="alert(2)"><iframe src="https://evil.example"></iframe>'
			'<a href="javascript:alert(3)">点我</a><ul><li><strong>第一</strong></li></ul>'
			"<style>body{display:none}</style>"
		),
	)
	topic = frappe.get_doc("Consultation Topic", topic.name)
	for bad in ("<script", "alert", "onclick", "onerror", "<img", "<iframe", "javascript:", "<style", "<a "):
		assert bad not in topic.description, bad
		assert bad not in topic.title, bad
	assert "路灯坏了" in topic.description
	assert "<li><strong>第一</strong></li>" in topic.description
	assert "点我" in topic.description
	assert topic.title == "路灯维修"


def test_attachment_is_stored_private_on_the_proposal(units, resident):
	topic = propose(resident, units.village_a, **{ATTACHMENT_FIELD: attachment("现场照片说明.pdf", 2048)})
	files = frappe.get_all(
		"File",
		filters={"attached_to_doctype": "Consultation Topic", "attached_to_name": topic.name},
		fields=["file_name", "is_private", "file_size", "owner"],
	)
	assert len(files) == 1
	assert files[0].file_name == "现场照片说明.pdf"
	assert (files[0].is_private, files[0].file_size, files[0].owner) == (1, 2048, resident)


def test_oversized_attachment_is_refused_with_a_clear_message_and_nothing_saved(units, resident, conf):
	conf(consultation_max_attachment_mb=1)
	files_before = frappe.db.count("File")
	with pytest.raises(frappe.ValidationError) as refused:
		propose(resident, units.village_a, **{ATTACHMENT_FIELD: attachment("大文件.pdf", 1536 * 1024)})
	assert "1.5 MB" in str(refused.value) and "1 MB" in str(refused.value)
	assert topics_of(resident) == 0
	assert frappe.db.count("Stakeholder", {"user": resident}) == 0
	assert frappe.db.count("File") == files_before


def test_attachment_of_a_disallowed_type_is_refused(units, resident):
	payload = "run.sh,data:application/x-sh;base64," + base64.b64encode(b"rm -rf /").decode()
	with pytest.raises(frappe.ValidationError):
		propose(resident, units.village_a, **{ATTACHMENT_FIELD: payload})
	assert topics_of(resident) == 0


def test_resident_upload_over_the_limit_is_refused_before_it_is_written(units, resident, conf):
	"""Any upload by a resident (e.g. through /api/method/upload_file) is held to the same limit."""
	conf(consultation_max_attachment_mb=1)
	big = b"%PDF-1.4\n" + b"1" * (1200 * 1024)

	def upload(name):
		return frappe.get_doc({"doctype": "File", "file_name": name, "is_private": 1, "content": big}).insert(
			ignore_permissions=True
		)

	with as_user(resident), pytest.raises(frappe.ValidationError) as refused:
		upload("大附件.pdf")
	assert "1 MB" in str(refused.value)
	assert not frappe.db.exists("File", {"file_name": ("like", "大附件%")})
	# staff are held to the site's own limit only
	assert upload("村委会扫描件.pdf").file_size == len(big)


def test_staff_find_online_proposals_to_review(units, resident):
	online = propose(resident, units.village_a).name
	make_topic(units.village_a, accepted=False, title="走访收集的议题")
	report = frappe.get_doc("Report", "Online Proposals to Review")
	settings = json.loads(report.json)
	names = frappe.get_list(
		"Consultation Topic",
		filters=[f[:4] for f in settings["filters"]],
		pluck="name",
	)
	assert names == [online]
