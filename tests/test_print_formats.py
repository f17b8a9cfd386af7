"""The four official-notice print formats, rendered to PDF by Frappe's own PDF generation
(wkhtmltopdf) in simplified Chinese, and read back from the PDF's text layer."""

import io
import threading
import unicodedata
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import frappe
import pytest
from frappe.translate import print_language
from frappe.utils import add_days, get_bench_path, nowdate
from pypdf import PdfReader

from community_consultation.portal import jinja
from community_consultation.tests.factory import full_case, make_outcome

FORMATS = {
	"协商会议通知": "Consultation Session",
	"协商会议记录": "Consultation Session",
	"协商成果公示": "Consultation Outcome",
	"协商成果备案表": "Consultation Outcome",
}

# PDF text extraction returns some ideographs as the look-alike radicals the font maps them to (民 as
# ⺠, 户 as ⼾). Kangxi radicals fold back under NFKC, to traditional forms in a few cases; the
# radicals supplement does not fold at all.
RADICALS = str.maketrans(
	dict(
		zip(
			"⺠⻅⻆⻉⻋⻓⻔⻘⻙⻚⻛⻜⻝⻢⻣⻤⻥⻦⻧⻨⻩⻪⻬⻮⻰⻄",
			"民见角贝车长门青韦页风飞食马骨鬼鱼鸟卤麦黄黾齐齿龙西",
			strict=True,
		)
	)
)
TRADITIONAL = str.maketrans(dict(zip("戶靑黃", "户青黄", strict=True)))


class _AssetsOnly(SimpleHTTPRequestHandler):
	"""Serves the bench's /assets (the print stylesheet the page links), as nginx does in production."""

	def do_GET(self):
		if not self.path.startswith("/assets/"):
			self.send_error(404)
			return
		super().do_GET()

	def log_message(self, *args):
		pass


@contextmanager
def served_assets():
	"""wkhtmltopdf fetches the print stylesheet from the site's URL; the test site is not served, so
	serve its assets on a local port for the duration of the rendering."""
	sites = Path(get_bench_path()) / "sites"
	server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_AssetsOnly, directory=str(sites)))
	thread = threading.Thread(target=server.serve_forever, daemon=True)
	thread.start()
	previous = frappe.local.conf.get("host_name")
	frappe.local.conf.host_name = f"http://127.0.0.1:{server.server_address[1]}"
	try:
		yield
	finally:
		frappe.local.conf.host_name = previous
		server.shutdown()
		server.server_close()


def pdf_text(doctype: str, name: str, print_format: str) -> str:
	with served_assets(), print_language("zh"):
		pdf = frappe.get_print(doctype, name, print_format, as_pdf=True)
	assert pdf[:5] == b"%PDF-"
	return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def cn_date(value) -> str:
	with print_language("zh"):
		return jinja.cn_date(value)


def cn_datetime(value, weekday=False) -> str:
	with print_language("zh"):
		return jinja.cn_datetime(value, weekday=weekday)


def flat(text: str) -> str:
	"""Text without whitespace (PDF lines break long Chinese sentences anywhere), in the normal form
	the PDF's text is read in (full-width punctuation as ASCII)."""
	return "".join(unicodedata.normalize("NFKC", text.translate(RADICALS)).translate(TRADITIONAL).split())


@pytest.fixture(scope="module")
def case(module_records):
	"""A concluded session with its filed outcome: made once for the module, each test's changes to it
	rolled back after the test."""
	case = full_case("印刷")
	session = case.session
	session.db_set("venue", "印刷甲村党群服务中心会议室")
	frappe.db.set_value("Community Unit", case.units.village_a, "bulletin_board", "村委会门口公开栏")
	frappe.get_doc(
		{
			"doctype": "Stakeholder",
			"stakeholder_name": "印刷甲村村务监督委员会",
			"stakeholder_type": "村(居)务监督委员会",
			"community_unit": case.units.village_a,
			"household_status": "Not Applicable",
		}
	).insert(ignore_permissions=True)
	case.outcome = make_outcome(session, implementer="印刷甲村村民委员会")
	return case


def test_print_formats_are_standard_enabled_and_in_the_print_menu():
	from frappe.desk.form.meta import get_meta

	for name, doctype in FORMATS.items():
		pf = frappe.get_doc("Print Format", name)
		assert (pf.doc_type, pf.standard, pf.disabled, pf.module) == (
			doctype,
			"Yes",
			0,
			"Community Consultation",
		)
		assert pf.print_format_type == "Jinja" and pf.default_print_language == "zh"
		# the desk's print menu lists the formats the form's meta carries
		assert name in [d.name for d in get_meta(doctype).get("__print_formats")]


def test_session_notice_pdf_is_an_official_notice_in_chinese(case):
	session = frappe.get_doc("Consultation Session", case.session.name)
	session.db_set("notice_published_on", add_days(nowdate(), -6))
	frappe.get_doc(
		{
			"doctype": "Consultation Material",
			"parent": session.name,
			"parenttype": "Consultation Session",
			"parentfield": "materials",
			"material_title": "路灯维修预算表",
			"idx": 1,
		}
	).db_insert()
	text = pdf_text("Consultation Session", session.name, "协商会议通知")
	for expected in (
		"协商会议通知",
		"一、协商议题",
		"二、会议时间",
		"三、会议地点",
		"四、协商形式",
		"五、议事规则",
		"六、协商材料",
		"七、组织单位",
		session.name,
		session.topic_title,
		session.venue,
		session.consultation_form,
		"一人一票，举手表决，过半数为通过。",
		"路灯维修预算表",
		"村委会门口公开栏",
		session.organiser,
		cn_datetime(session.starts_on, weekday=True),
		cn_date(add_days(nowdate(), -6)),
	):
		assert flat(expected) in flat(text), expected


def test_session_minutes_pdf_has_participants_four_steps_vote_and_signatures(case):
	session = frappe.get_doc("Consultation Session", case.session.name)
	text = pdf_text("Consultation Session", session.name, "协商会议记录")
	for expected in (
		"协商会议记录",
		"参加人员",
		"一、召集人说明议题",
		"二、提出人说明议题",
		"三、协商讨论",
		"四、表决",
		"记录人（签字）",
		"主持人（签字）",
		session.convener_statement,
		session.proposer_statement,
		session.discussion,
		session.consultation_opinion,
		session.recorder,
		"到会4人，赞成4票，反对0票，弃权0票。",
		"应到4人，实到4人。",
		"召集人",
		"提出人",
		"出席",
	):
		assert flat(expected) in flat(text), expected
	for row in session.participants:
		assert flat(row.stakeholder_name) in flat(text)
	# Select values appear in Chinese, never as their English keys
	for english in ("Show of Hands", "Consensus", "Convener", "Proposer", "Participant"):
		assert english not in text
	with print_language("zh"):
		assert flat(frappe._("Show of Hands")) in flat(text)
		assert flat(frappe._("Consensus")) in flat(text)


def test_outcome_public_notice_pdf_names_the_supervision_committee_for_objections(case):
	outcome = frappe.get_doc("Consultation Outcome", case.outcome.name)
	text = pdf_text("Consultation Outcome", outcome.name, "协商成果公示")
	for expected in (
		"协商成果公示",
		"一、协商事项",
		"二、协商成果",
		"三、实施主体",
		"四、完成时限",
		"五、公示期限",
		"六、监督渠道",
		outcome.name,
		outcome.topic_title,
		"由村委会组织维修路灯，30日内完成。",
		"印刷甲村村民委员会",
		cn_date(outcome.implementation_deadline) + "前完成",
		f"自{cn_date(outcome.publicity_from)}至{cn_date(outcome.publicity_to)}",
		"请以书面或口头形式向印刷甲村村务监督委员会反映",
	):
		assert flat(expected) in flat(text), expected
	assert "Village" not in text


def test_outcome_filing_form_pdf_shows_both_filings(case):
	outcome = frappe.get_doc("Consultation Outcome", case.outcome.name)
	text = pdf_text("Consultation Outcome", outcome.name, "协商成果备案表")
	for expected in (
		"协商成果备案表",
		"备案情况",
		"村(社区)党组织",
		"村(居)民委员会",
		"印刷甲村党支部",
		"印刷甲村村民委员会",
		"接收单位（盖章）",
		outcome.name,
		outcome.topic_title,
		cn_date(outcome.filed_with_party_on),
		cn_date(outcome.filed_with_committee_on),
		"同意由村委会组织维修路灯，费用从村集体公益金列支。",
	):
		assert flat(expected) in flat(text), expected


def test_corrected_outcome_notice_states_what_it_corrects(case):
	original = frappe.get_doc("Consultation Outcome", case.outcome.name)
	original.cancel()
	amendment = make_outcome(
		case.session.name,
		amended_from=original.name,
		correction_reason="原成果资金来源不符合村集体财务管理制度，依法更正。",
		implementer="印刷甲村村民委员会",
	)
	text = pdf_text("Consultation Outcome", amendment.name, "协商成果公示")
	assert flat(f"本公示系对{original.name}号协商成果的更正。") in flat(text)
	assert flat("原成果资金来源不符合村集体财务管理制度，依法更正。") in flat(text)
