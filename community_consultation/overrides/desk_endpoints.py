"""Frappe desk endpoints that would show a unit-restricted user records of other units, kept to the
user's units (`override_whitelisted_methods` in hooks.py). Each wraps Frappe's own method and keeps its
signature.

What Frappe v15 lets through (the function replaced, in apps/frappe), and what is done about it:

- `frappe.client.get_count` (frappe/client.py) counts with `frappe.db.count`, without any permission →
  for the unit-bound DocTypes it counts as the list view does;
- link search, `search_link` and `search_widget` (frappe/desk/search.py): the client may pass
  `ignore_user_permissions=1`, and Frappe then lists every record of a DocType the user may read at all
  → the flag is ignored for the unit-bound DocTypes of a restricted user;
- `get_link_title` (frappe/desk/search.py): returns the title of any record of a DocType that shows titles
  in links, to anyone signed in (a resident too) → of the app's DocTypes, only of a record the user may
  read;
- global search, `search` (frappe/utils/global_search.py): rows of `__global_search` are filtered by
  DocType, never by record → each result is checked with `frappe.has_permission`;
- dashboard charts, `get` (frappe/desk/doctype/dashboard_chart/dashboard_chart.py): results are cached
  per chart for all users, and heatmaps count with `frappe.get_all` → a restricted user's chart of the
  app (`is_app_chart`) is computed afresh, limited to their units; the app's charts are read on the
  replica, in read-only mode (so Frappe does not stamp their "last synced"); a Group By chart of a Select
  field shows its groups in the user's language, not as stored. Any other chart is Frappe's, untouched;
- the sidebar's "Assigned To" counts, `get_group_by_count` (frappe/desk/listview.py), query without
  permissions → limited to the user's units;
- `get_submitted_linked_docs` (frappe/desk/form/linked_with.py) lists the documents linked to any record
  (its own permission check throws nothing: a record the user may not read gets an answer too) → for a
  record of the app, only when the user may read it, and no record of the app the user may not read
  among the linked ones; a record of another app gets Frappe's own answer;
- the form's workflow actions, `get_transitions` (frappe/model/workflow.py), check only that the user may
  read the record, so a user who reads a record they may not change (a village user reading the township's
  topic, a township officer reading a village's session) is offered actions that then fail → none for a
  record of the unit-bound DocTypes the user may not write;
- the form's rights, `getdoc` and `get_docinfo` (frappe/desk/form/load.py): `docinfo.permissions` is empty
  for a record the User Permissions exclude, and the desk then falls back to the role's rights, so a
  record shared read-only (a township's record read by a village it concerns) shows as editable and
  deletable → for such a record, no right but read (the desk adds the share's own rights).

After a Frappe upgrade: compare each function's signature with the wrapper's (an argument Frappe added
must be passed on), check whether Frappe now applies the permission itself (then the wrapper can go),
and run `scripts/test tests/test_permissions.py tests/test_rest_permissions.py`
(`test_counts_and_sidebar_count_only_own_units`, `test_assigned_to_counts_only_own_units`,
`test_link_search_and_link_titles_only_of_own_units`, `test_global_search_only_own_units`,
`test_dashboard_charts_count_only_own_units`, `test_connections_and_linked_documents_only_own_units`,
`test_counts_search_and_titles_over_http`, and in tests/test_township_reads.py
`test_a_village_reads_the_township_matter_that_concerns_it_and_changes_nothing_over_rest`).
"""

import inspect

import frappe
from frappe import _, client
from frappe.desk import listview, search
from frappe.desk.doctype.dashboard_chart import dashboard_chart
from frappe.desk.form import linked_with, load
from frappe.model import workflow as frappe_workflow
from frappe.model.document import Document
from frappe.permissions import rights
from frappe.utils import get_safe_filters
from frappe.utils import global_search as frappe_global_search
from frappe.utils.data import make_filter_tuple

from community_consultation.overrides.replica import replica_reads
from community_consultation.permissions import is_app_doctype, is_app_module, unit_scope
from community_consultation.units.tree import unit_field, units_within


def restricted_ranges(doctype: str):
	"""The user's unit ranges when `doctype` is bound to units and the user is restricted, else None."""
	if not doctype or not frappe.db.exists("DocType", doctype) or not unit_field(doctype):
		return None
	return unit_scope(frappe.session.user, doctype)


def scope_filter(doctype: str, ranges) -> list:
	return [doctype, unit_field(doctype), "in", units_within(ranges) or [""]]


@frappe.whitelist()
def get_count(doctype: str, filters=None, debug: bool = False, cache: bool = False) -> int:
	if not unit_field(doctype):
		return client.get_count(doctype, filters=filters, debug=debug, cache=cache)
	rows = frappe.get_list(
		doctype, filters=get_safe_filters(filters), fields=["count(*) as total"], debug=debug
	)
	return rows[0].total if rows else 0


@frappe.whitelist()
def search_link(
	doctype: str,
	txt: str,
	query: str | None = None,
	filters: str | dict | list | None = None,
	page_length: int = 10,
	searchfield: str | None = None,
	reference_doctype: str | None = None,
	ignore_user_permissions: bool = False,
):
	if restricted_ranges(doctype) is not None:
		ignore_user_permissions = False
	return search.search_link(
		doctype,
		txt,
		query=query,
		filters=filters,
		page_length=page_length,
		searchfield=searchfield,
		reference_doctype=reference_doctype,
		ignore_user_permissions=ignore_user_permissions,
	)


@frappe.whitelist()
def search_widget(
	doctype: str,
	txt: str,
	query: str | None = None,
	searchfield: str | None = None,
	start: int = 0,
	page_length: int = 10,
	filters: str | dict | list | None = None,
	filter_fields=None,
	as_dict: bool = False,
	reference_doctype: str | None = None,
	ignore_user_permissions: bool = False,
):
	if restricted_ranges(doctype) is not None:
		ignore_user_permissions = False
	return search.search_widget(
		doctype,
		txt,
		query=query,
		searchfield=searchfield,
		start=start,
		page_length=page_length,
		filters=filters,
		filter_fields=filter_fields,
		as_dict=as_dict,
		reference_doctype=reference_doctype,
		ignore_user_permissions=ignore_user_permissions,
	)


@frappe.whitelist()
def get_link_title(doctype: str, docname: str):
	if is_app_doctype(doctype) and not _may_read(doctype, docname):
		return docname
	return search.get_link_title(doctype, docname)


@frappe.whitelist()
def global_search(text: str, start: int = 0, limit: int = 20, doctype: str = ""):
	"""Frappe's global search, keeping only the records the user may read."""
	return [
		r for r in frappe_global_search.search(text, start, limit, doctype) if _may_read(r.doctype, r.name)
	]


def _may_read(doctype: str, name: str) -> bool:
	try:
		return frappe.has_permission(doctype, "read", name)
	except frappe.DoesNotExistError:
		frappe.clear_last_message()
		return False


@frappe.whitelist()
def get_dashboard_chart(
	chart_name=None,
	chart=None,
	no_cache=None,
	filters=None,
	from_date=None,
	to_date=None,
	timespan=None,
	time_interval=None,
	heatmap_year=None,
	refresh=None,
):
	kwargs = dict(
		chart_name=chart_name,
		chart=chart,
		no_cache=no_cache,
		filters=filters,
		from_date=from_date,
		to_date=to_date,
		timespan=timespan,
		time_interval=time_interval,
		heatmap_year=heatmap_year,
		refresh=refresh,
	)
	source = frappe.get_doc("Dashboard Chart", chart_name) if chart_name else frappe.parse_json(chart)
	if not is_app_chart(source):
		return dashboard_chart.get(**kwargs)
	return app_dashboard_chart(source, **kwargs)


def is_app_chart(source) -> bool:
	"""A chart of this app, or one counting the app's records: only these are kept to the user's units,
	read on the replica and relabelled; every other chart is Frappe's, "last synced" included."""
	if not source:
		return False
	if is_app_module(source.get("module")) or is_app_doctype(source.get("document_type")):
		return True
	if source.get("chart_type") == "Report" and source.get("report_name"):
		return is_app_module(frappe.db.get_value("Report", source.get("report_name"), "module"))
	if source.get("chart_type") == "Custom" and source.get("source"):
		return is_app_module(frappe.db.get_value("Dashboard Chart Source", source.get("source"), "module"))
	return False


@replica_reads
def app_dashboard_chart(source, no_cache=None, refresh=None, **kwargs):
	doctype = source.get("document_type") if source.get("chart_type") != "Report" else None
	ranges = restricted_ranges(doctype)
	if ranges is None:
		return translated_groups(source, dashboard_chart.get(no_cache=no_cache, refresh=refresh, **kwargs))
	# never the chart's shared cache; heatmaps count with frappe.get_all, so the units go in the filters
	scoped = frappe.parse_json(kwargs["filters"]) or frappe.parse_json(source.get("filters_json")) or []
	if isinstance(scoped, dict):
		scoped = [make_filter_tuple(doctype, key, value) for key, value in scoped.items()]
	kwargs["filters"] = [*scoped, scope_filter(doctype, ranges)]
	return translated_groups(source, inspect.unwrap(dashboard_chart.get)(no_cache=1, **kwargs))


def translated_groups(source, result):
	"""A Group By chart of a Select field labels its groups with the values as stored (English): in the
	user's language instead."""
	if not result or source.get("chart_type") != "Group By" or not source.get("document_type"):
		return result
	field = frappe.get_meta(source.document_type).get_field(source.get("group_by_based_on"))
	if field and field.fieldtype == "Select":
		result = {**result, "labels": [_(label) if label else label for label in result.get("labels", [])]}
	return result


@frappe.whitelist()
def get_group_by_count(doctype: str, current_filters: str, field: str):
	ranges = restricted_ranges(doctype)
	if ranges is not None:
		filters = frappe.parse_json(current_filters) or []
		if isinstance(filters, dict):
			filters = [make_filter_tuple(doctype, key, value) for key, value in filters.items()]
		current_filters = frappe.as_json([*filters, scope_filter(doctype, ranges)])
	return listview.get_group_by_count(doctype, current_filters, field)


@frappe.whitelist()
def get_submitted_linked_docs(doctype: str, name: str, ignore_doctypes_on_cancel_all=None):
	"""Frappe's answer, except for the app's records: refused for a record of the app the user may not
	read, and no record of the app the user may not read among the linked ones."""
	if is_app_doctype(doctype):
		frappe.has_permission(doctype, "read", name, throw=True)
	result = linked_with.get_submitted_linked_docs(doctype, name, ignore_doctypes_on_cancel_all)
	docs = [
		d for d in result["docs"] if not is_app_doctype(d["doctype"]) or _may_read(d["doctype"], d["name"])
	]
	if len(docs) == len(result["docs"]):
		return result
	return {**result, "docs": docs, "count": len(docs)}


@frappe.whitelist()
def get_transitions(doc, workflow=None, raise_exception: bool = False):
	if not isinstance(doc, Document):
		doc = frappe.get_doc(frappe.parse_json(doc))
		doc.load_from_db()
	transitions = frappe_workflow.get_transitions(doc, workflow, raise_exception)
	# (frappe.has_permission without throw: Document.has_permission would queue Frappe's "Not allowed
	# via controller permission check" for the desk to show, on merely opening a record)
	if transitions and unit_field(doc.doctype) and not frappe.has_permission(doc.doctype, "write", doc):
		return []
	return transitions


@frappe.whitelist()
def getdoc(doctype: str, name: str, user: str | None = None):
	load.getdoc(doctype, name, user)
	rights_of_shared_record(doctype)


@frappe.whitelist()
def get_docinfo(doc=None, doctype: str | None = None, name: str | None = None):
	load.get_docinfo(doc, doctype, name)
	if doc is not None and not doctype:
		doctype = doc.doctype if hasattr(doc, "doctype") else frappe.parse_json(doc).get("doctype")
	rights_of_shared_record(doctype)


def rights_of_shared_record(doctype: str | None):
	"""A unit-bound record the user reads only through a share: read and nothing else in the form's
	`docinfo.permissions`, to which the desk adds the share's own rights."""
	docinfo = frappe.response.get("docinfo")
	if not docinfo or docinfo.get("permissions") or not doctype or not unit_field(doctype):
		return
	if any(s.get("user") == frappe.session.user for s in docinfo.get("shared") or []):
		docinfo["permissions"] = {**dict.fromkeys(rights, 0), "read": 1}
