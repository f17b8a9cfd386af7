"""A city's units from the published division list (units/importer.py), known by their national code
(units/codes.py), with repeated names told apart (units/names.py) and retired units kept."""

import frappe
import pytest

from community_consultation.community_consultation.doctype.community_unit.community_unit import UnitCodeError
from community_consultation.portal.jinja import consultation_unit
from community_consultation.tests.division_list import as_csv, as_xlsx, city_rows, second_edition
from community_consultation.tests.factory import make_stakeholder, make_unit, make_unit_tree
from community_consultation.units import codes
from community_consultation.units.importer import ImportRowsError, import_units
from community_consultation.units.tree import RetiredUnitError

ROWS = city_rows()
ADMINISTRATIVE = 8 + 92 + 1235


@pytest.fixture(scope="module")
def city(module_records):
	"""The generated city, imported once for the module's tests."""
	return import_units(as_csv(ROWS), "city.csv")


def unit_by_code(code: str) -> frappe._dict:
	return frappe.db.get_value(
		"Community Unit",
		{"unit_code": code},
		["name", "unit_name", "parent_community_unit", "disabled", "unit_type"],
		as_dict=True,
	)


# ------------------------------------------------------------------------------------------ codes


def test_codes_nest_by_level():
	assert codes.normalise_code("441803") == "441803000000"
	assert codes.normalise_code("441803102") == "441803102000"
	assert codes.normalise_code("4418031022O1") is None
	assert codes.normalise_code("44180310220") is None
	assert codes.code_level("441803102201") == codes.VILLAGE_LEVEL
	assert codes.code_level("441803102000") == codes.TOWNSHIP_LEVEL
	assert codes.code_level("441803000000") == codes.COUNTY_LEVEL
	assert codes.parent_code("441803102201") == "441803102000"
	assert codes.parent_code("441803102000") == "441803000000"
	assert not codes.is_well_formed("441800102000")  # a township under no county
	assert codes.unit_type_of("441803102001") == "Community"
	assert codes.unit_type_of("441803102201") == "Village"


def test_non_administrative_rows_are_not_units():
	assert not codes.is_administrative("441881400000", "某某林场")
	assert not codes.is_administrative("441881102401", "林场生活区")
	assert not codes.is_administrative("441802001098", "某某虚拟社区")
	assert codes.is_administrative("441881102201", "车头村委会")


def test_unit_code_is_checked_against_its_level_and_parent():
	units = make_unit_tree("代码")
	frappe.db.set_value("Community Unit", units.county, "unit_code", "449901000000")
	frappe.db.set_value("Community Unit", units.township, "unit_code", "449901101000")
	bad = [
		("代码村甲", "Village", units.township, "449901101"),  # a township's code on a village
		("代码村乙", "Village", units.township, "449902101201"),  # not under its township's code
		("代码组", "Villager Group", units.village_a, "449901101201"),  # no code below a village
	]
	for name, unit_type, parent, code in bad:
		with pytest.raises(UnitCodeError):
			make_unit(name, unit_type, parent, unit_code=code)
	village = make_unit("代码村丙", "Village", units.township, unit_code="449901101201")
	assert frappe.db.get_value("Community Unit", village, "unit_code") == "449901101201"
	with pytest.raises(frappe.UniqueValidationError):
		make_unit("代码村丁", "Village", units.township, unit_code="449901101201")


# ------------------------------------------------------------------------------------------ import


def test_city_loads_every_unit_under_its_parent_by_code(city):
	assert city.summary()["created"] == ADMINISTRATIVE
	# the province, the city, the forest farm with its two living areas, the virtual community
	assert city.skipped == 6
	counts = dict(
		frappe.db.sql(
			"""select unit_type, count(*) from `tabCommunity Unit`
			where unit_code like '4418%%' group by unit_type"""
		)
	)
	assert counts["County"] == 8 and counts["Township"] == 92
	assert counts["Village"] + counts["Community"] == 1235
	misplaced = frappe.db.sql(
		"""select u.unit_code from `tabCommunity Unit` u
		left join `tabCommunity Unit` p on p.name = u.parent_community_unit
		where u.unit_code like '4418%%' and u.unit_type != 'County'
		and (p.unit_code is null or u.unit_code not like concat(
			left(p.unit_code, if(p.unit_type = 'County', 6, 9)), '%%'))"""
	)
	assert misplaced == ()
	# the nested set holds: every village lies within its county
	assert (
		frappe.db.sql(
			"""select count(*) from `tabCommunity Unit` v join `tabCommunity Unit` c
		on c.unit_code = concat(left(v.unit_code, 6), '000000')
		where v.unit_code like '4418%%' and v.unit_type in ('Village', 'Community')
		and v.lft between c.lft and c.rgt"""
		)[0][0]
		== 1235
	)


def test_a_rerun_changes_nothing(city):
	before = frappe.db.sql("select name, modified, lft, rgt from `tabCommunity Unit` order by name")
	again = import_units(as_csv(ROWS), "city.csv")
	assert again.summary() == {
		"created": 0,
		"renamed": 0,
		"moved": 0,
		"retired": 0,
		"restored": 0,
		"skipped": 6,
		"unchanged": ADMINISTRATIVE,
	}
	assert frappe.db.sql("select name, modified, lft, rgt from `tabCommunity Unit` order by name") == before


def test_xlsx_reads_as_the_csv(city):
	again = import_units(as_xlsx(ROWS), "city.xlsx")
	assert again.summary()["unchanged"] == ADMINISTRATIVE


def test_a_newer_edition_renames_adds_and_retires(city):
	edition, changed = second_edition(ROWS)
	vanished = unit_by_code(changed["vanished"])
	stakeholder = make_stakeholder("留档居民", vanished.name)
	result = import_units(as_csv(edition), "city-2.csv")
	assert (len(result.created), len(result.retired)) == (1, 1)
	assert unit_by_code(changed["renamed"]).unit_name == "更名后村委会"
	assert unit_by_code(changed["added"]).unit_name == "新设示范村委会"
	retired = unit_by_code(changed["vanished"])
	assert retired.disabled == 1
	# it keeps its records, takes no new ones, and is left out of pickers
	assert frappe.db.get_value("Stakeholder", stakeholder, "community_unit") == retired.name
	with pytest.raises(RetiredUnitError):
		make_stakeholder("新居民", retired.name)
	with pytest.raises(RetiredUnitError):
		make_unit("新设小组", "Villager Group", retired.name)
	from frappe.desk.search import search_widget

	found = [r[0] for r in search_widget("Community Unit", retired.unit_name, page_length=50)]
	assert retired.name not in found
	from community_consultation.portal.sms_login import village_options

	assert retired.name not in {option["value"] for option in village_options()}
	# the first edition again restores it
	back = import_units(as_csv(ROWS), "city.csv")
	assert back.restored == [retired.name] and unit_by_code(changed["vanished"]).disabled == 0


def test_root_imports_one_county(city):
	result = import_units(as_csv(ROWS), "city.csv", root="441803")
	townships = [r for r in ROWS[1:] if r[0].startswith("441803") and r[2] in ("3", "4", "5")]
	assert result.unchanged == len(townships)


def test_bad_rows_are_listed_by_row_and_nothing_is_written():
	frappe.local.lang = "zh"
	rows = [
		("代码", "名称", "级别", "上级代码"),
		("449901000000", "测试县", "3", "449900000000"),
		("449901101000", "测试镇", "4", "449901000000"),
		("449901101201", "甲村委会", "5", "449901101000"),
		("44990110120", "缺位村委会", "5", "449901101000"),  # line 5: 11 digits
		("449901102201", "乙村委会", "5", "449901101000"),  # line 6: not under its parent
		("449901103201", "丙村委会", "5", "449901103000"),  # line 7: no such township
		("449901101202", "", "5", "449901101000"),  # line 8: no name
		("449901101201", "甲村委会", "5", "449901101000"),  # line 9: the code again
	]
	before = frappe.db.count("Community Unit")
	with pytest.raises(ImportRowsError) as failed:
		import_units(as_csv(rows), "bad.csv")
	assert [number for number, _message in failed.value.errors] == [4, 5, 6, 7, 8, 9]
	assert "第 5 行" in str(failed.value) and "不是" in str(failed.value)
	assert frappe.db.count("Community Unit") == before


# ---------------------------------------------------------------------------------- repeated names


def test_a_repeated_name_carries_its_township(city):
	from collections import Counter

	counts = Counter(r[1] for r in ROWS[1:] if r[2] == "5")
	name, times = counts.most_common(1)[0]
	assert times == 4
	records = frappe.get_all("Community Unit", filters={"unit_name": name}, pluck="name")
	assert len(set(records)) == 4
	for record in records:
		township = frappe.db.get_value(
			"Community Unit",
			frappe.db.get_value("Community Unit", record, "parent_community_unit"),
			"unit_name",
		)
		assert record.startswith(f"{name}（") and township in record
		# documents name the unit so too (print formats: consultation_unit().display_name)
		assert consultation_unit(record).display_name == record
	# a repeated township name carries its county
	townships = Counter(r[1] for r in ROWS[1:] if r[2] == "4")
	for township, count in townships.items():
		if count > 1:
			named = frappe.get_all("Community Unit", filters={"unit_name": township}, pluck="name")
			assert len(named) == count and all(n.startswith(f"{township}（") for n in named)
	# a name that does not repeat is the name alone
	single = next(n for n, c in counts.items() if c == 1 and "林场" not in n and "虚拟" not in n)
	assert frappe.db.exists("Community Unit", single)


def test_link_search_tells_repeated_names_apart(city):
	from frappe.desk.search import search_widget

	counts = {}
	for r in ROWS[1:]:
		counts[r[1]] = counts.get(r[1], 0) + 1
	name = max(counts, key=counts.get)
	found = [row[0] for row in search_widget("Community Unit", name, page_length=20)]
	assert len([f for f in found if f.startswith(name)]) == 4
	assert len(set(found)) == len(found)


def test_the_patch_pads_older_codes_and_keeps_names():
	from community_consultation.patches.v0_1.units_by_division_code import execute

	units = make_unit_tree("补丁")
	frappe.db.set_value("Community Unit", units.county, "unit_code", "449904")
	frappe.db.set_value("Community Unit", units.township, "unit_code", "449904101")
	frappe.db.set_value("Community Unit", units.village_a, "unit_code", "甲村-01")
	execute()
	assert frappe.db.get_value("Community Unit", units.county, "unit_code") == "449904000000"
	assert frappe.db.get_value("Community Unit", units.township, "unit_code") == "449904101000"
	assert frappe.db.get_value("Community Unit", units.village_a, "unit_code") == "甲村-01"
	assert frappe.db.exists("Community Unit", units.village_a)


def test_a_root_township_needs_its_county_and_a_broken_rule_is_the_rows_error():
	rows = [
		("代码", "名称", "级别", "上级代码"),
		("449905000000", "根县", "3", ""),
		("449905101000", "根镇", "4", "449905000000"),
		("449905101201", "根村委会", "5", "449905101000"),
	]
	with pytest.raises(ImportRowsError) as failed:
		import_units(as_csv(rows), "root.csv", root="449905101")
	assert [number for number, _message in failed.value.errors] == [3]  # its county is not a unit yet
	import_units(as_csv(rows[:3]), "county.csv")
	frappe.db.set_value("Community Unit", {"unit_code": "449905101000"}, "disabled", 1)
	before = frappe.db.count("Community Unit")
	with pytest.raises(ImportRowsError) as failed:
		import_units(as_csv([rows[0], rows[3]]), "village.csv", root="449905101")
	# the retired township takes no new village: the controller's rule, reported on the village's row
	assert [number for number, _message in failed.value.errors] == [2]
	assert frappe.db.count("Community Unit") == before
