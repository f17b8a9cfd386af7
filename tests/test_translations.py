"""Every user-facing string of the app has a simplified-Chinese translation in locale/zh.po.

List what is missing, as PO entries to fill in and append to zh.po:
	/opt/frappe-bench/env/bin/python -m community_consultation.utils.translation_check
"""

import json
import textwrap

import pytest

from community_consultation.utils import translation_check as tc

pytestmark = pytest.mark.no_site


@pytest.fixture(scope="module")
def po():
	return tc.read_po()


@pytest.fixture(scope="module")
def messages():
	return tc.extract_messages()


def test_every_user_facing_string_has_a_chinese_translation(messages, po):
	missing = tc.missing_translations(messages, po)
	if missing:
		pytest.fail(
			f"{len(missing)} string(s) have no translation in {tc.po_path()}; append entries for them "
			"(python -m community_consultation.utils.translation_check prints them ready to fill in):\n"
			+ "\n".join(f"  {m.msgid!r}  ({m.where()})" for m in missing),
			pytrace=False,
		)


def test_zh_po_has_no_duplicate_msgid(po):
	if po.duplicates:
		pytest.fail(
			"zh.po defines a msgid twice (msgfmt refuses the file; keep one entry):\n"
			+ "\n".join(
				f"  {msgid!r} (context {context!r}) at lines {first} and {again}"
				for (msgid, context), first, again in po.duplicates
			),
			pytrace=False,
		)


def test_translations_keep_their_placeholders(po):
	mismatches = tc.placeholder_mismatches(po)
	if mismatches:
		pytest.fail(
			"translations that lose or invent a {0} / %s placeholder of their msgid:\n"
			+ "\n".join(f"  {msgid!r} -> {text!r}" for msgid, text in mismatches),
			pytrace=False,
		)


def test_extraction_covers_the_app_strings_frappe_misses(messages):
	"""The app's own extractors run: role names from setup/roles.py and the module name."""
	from community_consultation.setup.roles import ROLES

	ids = {msgid for msgid, _context in messages}
	assert {role for role, _desk in ROLES} <= ids
	assert "Community Consultation" in ids


# --- the checker itself, on a synthetic app: an untranslated string really fails the check ---


@pytest.fixture
def synthetic_app(tmp_path):
	"""A tiny app tree with one string of each kind, and a zh.po translating all but the ones a test adds."""
	pkg = tmp_path / tc.APP
	doctype = pkg / "module" / "doctype" / "gadget"
	doctype.mkdir(parents=True)
	(doctype / "gadget.json").write_text(
		json.dumps(
			{
				"doctype": "DocType",
				"name": "Gadget",
				"fields": [
					{
						"fieldname": "colour",
						"fieldtype": "Select",
						"label": "Colour",
						"options": "Red\nGreen",
					},
					{"fieldname": "size", "fieldtype": "Int", "label": "Size", "description": "In metres"},
				],
				"permissions": [{"role": "Gadgeteer"}],
			}
		)
	)
	(doctype / "gadget.py").write_text('from frappe import _\n\ndef f():\n\treturn _("Gadget is broken")\n')
	(doctype / "gadget.js").write_text('frappe.msgprint(__("Gadget saved"));\n')
	(pkg / "templates").mkdir()
	(pkg / "templates" / "card.html").write_text('<h1>{{ _("Gadget card") }}</h1>\n')
	report = pkg / "module" / "report" / "gadget_list"
	report.mkdir(parents=True)
	(report / "gadget_list.json").write_text(json.dumps({"doctype": "Report", "report_name": "Gadget List"}))
	(report / "gadget_list.py").write_text('from frappe import _\nCOLUMNS = [{"label": _("Gadget Count")}]\n')
	(pkg / "locale").mkdir()
	all_strings = [
		"Gadget", "Colour", "Red", "Green", "Size", "In metres", "Gadgeteer",
		"Gadget is broken", "Gadget saved", "Gadget card", "Gadget List", "Gadget Count",
	]  # fmt: skip
	po = '# test\nmsgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
	po += "".join(f'msgid "{s}"\nmsgstr "译{s}"\n\n' for s in all_strings)
	(pkg / "locale" / "zh.po").write_text(po)
	return tmp_path


def run_check(root):
	mapping = tc._read_method_map(tc.repo_root() / "babel_extractors.csv") + tc.method_map(root)
	messages = tc.extract_messages(root, mapping)
	po = tc.read_po(tc.po_path(root=root))
	return tc.missing_translations(messages, po), po, messages


def test_checker_passes_a_fully_translated_app(synthetic_app):
	missing, _po, messages = run_check(synthetic_app)
	assert len(messages) == 12
	assert missing == []


@pytest.mark.parametrize(
	"path, content, string",
	[
		(
			"module/doctype/gadget/extra.py",
			'from frappe import _\n_("Untranslated in Python")\n',
			"Untranslated in Python",
		),
		("public/js/extra.js", 'frappe.msgprint(__("Untranslated in JS"));\n', "Untranslated in JS"),
		("templates/extra.html", '<p>{{ _("Untranslated in Jinja") }}</p>\n', "Untranslated in Jinja"),
	],
)
def test_checker_fails_on_an_untranslated_string(synthetic_app, path, content, string):
	target = synthetic_app / tc.APP / path
	target.parent.mkdir(parents=True, exist_ok=True)
	target.write_text(content)
	missing, _po, _messages = run_check(synthetic_app)
	assert [m.msgid for m in missing] == [string]
	assert missing[0].locations[0][0] == f"{tc.APP}/{path}"


def test_checker_fails_on_an_untranslated_select_option(synthetic_app):
	doctype_json = synthetic_app / tc.APP / "module" / "doctype" / "gadget" / "gadget.json"
	data = json.loads(doctype_json.read_text())
	data["fields"][0]["options"] += "\nBlue"
	doctype_json.write_text(json.dumps(data))
	missing, _po, _messages = run_check(synthetic_app)
	assert [m.msgid for m in missing] == ["Blue"]


def test_checker_counts_fuzzy_and_empty_translations_as_missing(synthetic_app):
	po_file = synthetic_app / tc.APP / "locale" / "zh.po"
	text = po_file.read_text()
	text = text.replace('msgid "Colour"', '#, fuzzy\nmsgid "Colour"').replace('msgstr "译Size"', 'msgstr ""')
	po_file.write_text(text)
	missing, _po, _messages = run_check(synthetic_app)
	assert sorted(m.msgid for m in missing) == ["Colour", "Size"]


def test_checker_finds_duplicate_msgids_and_lost_placeholders(tmp_path):
	po_file = tmp_path / "zh.po"
	po_file.write_text(
		textwrap.dedent(
			"""\
			msgid ""
			msgstr ""
			"Content-Type: text/plain; charset=utf-8\\n"

			msgid "Topic"
			msgstr "议题"

			msgid "Topic {0} saved"
			msgstr "议题已保存"

			msgid "Topic"
			msgstr "协商议题"
			"""
		)
	)
	po = tc.read_po(po_file)
	assert [(key, first, again) for key, first, again in po.duplicates] == [(("Topic", None), 5, 11)]
	assert tc.placeholder_mismatches(po) == [("Topic {0} saved", "议题已保存")]


def test_checker_reads_the_strings_inside_a_jinja_notification_subject(synthetic_app):
	notification = synthetic_app / tc.APP / "module" / "notification" / "gadget_due"
	notification.mkdir(parents=True)
	subject = '{{ _("Gadget {0} is due").format(doc.name) }}'
	(notification / "gadget_due.json").write_text(json.dumps({"doctype": "Notification", "subject": subject}))
	missing, _po, _messages = run_check(synthetic_app)
	assert [m.msgid for m in missing] == ["Gadget {0} is due"]


def test_strings_without_latin_letters_need_no_translation():
	assert not tc.needs_translation("协商会议记录")
	assert not tc.needs_translation("{0}, {1}")
	assert tc.needs_translation("<b>{0}</b> saved")


def test_select_values_with_an_apostrophe_are_translated_as_the_list_view_looks_them_up(po):
	"""Frappe's list view escapes a Select value for HTML before it translates it (list_view.js,
	get_column_html: __("Villagers&#39; Meeting")): zh.po carries each such value escaped too, with the
	translation of the value itself."""
	wrong = []
	for path in sorted((tc.repo_root() / tc.APP).glob("*/doctype/*/*.json")):
		for df in json.loads(path.read_text()).get("fields", []):
			if df.get("fieldtype") != "Select":
				continue
			for value in (df.get("options") or "").split("\n"):
				if "'" not in value:
					continue
				escaped = value.replace("'", "&#39;")
				plain = po.translations.get((value, None))
				if po.translations.get((escaped, None)) != plain or not plain:
					wrong.append(f"{escaped!r} ({path.name}: {df['fieldname']})")
	assert not wrong, "\n".join(sorted(set(wrong)))
