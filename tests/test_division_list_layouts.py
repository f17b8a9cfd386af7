"""The division list as an administrator gets it: the statistics bureau's own tables (统计用区划代码,
城乡分类代码 at village level, 名称), with or without their header, or a spreadsheet whose header puts the
columns in an order of its own (units/importer.py `header_columns`)."""

import frappe
import pytest

from community_consultation.tests.division_list import as_csv, as_xlsx
from community_consultation.units.importer import ImportRowsError, import_units

# a county of three levels as the bureau's pages list it: county and township rows carry code and name,
# village-level rows code, urban-rural classification and name (111 a town's centre, 220 a village)
NBS_ROWS = [
	("459901000000", "测试甲县"),
	("459901100000", "城关镇"),
	("459901100001", "111", "城东社区居委会"),
	("459901100201", "220", "车头村委会"),
	("459901200000", "石潭乡"),
	("459901200201", "220", "车头村委会"),
	("459901200202", "220", "龙岗村委会"),
]


def unit(code: str) -> frappe._dict:
	return frappe.db.get_value(
		"Community Unit",
		{"unit_code": code},
		["unit_name", "unit_type", "parent_community_unit"],
		as_dict=True,
	)


def code_of(record_name: str) -> str:
	return frappe.db.get_value("Community Unit", record_name, "unit_code")


def assert_county_loaded():
	assert unit("459901000000").unit_type == "County"
	for village, township in (
		("459901100001", "459901100000"),
		("459901100201", "459901100000"),
		("459901200201", "459901200000"),
		("459901200202", "459901200000"),
	):
		loaded = unit(village)
		assert loaded, village
		assert code_of(loaded.parent_community_unit) == township
		assert loaded.unit_name == {row[0]: row[-1] for row in NBS_ROWS}[village]
	assert unit("459901100001").unit_type == "Community"
	assert unit("459901200202").unit_type == "Village"


@pytest.mark.parametrize("fmt", [as_csv, as_xlsx], ids=["csv", "xlsx"])
def test_the_bureaus_table_with_its_header(fmt):
	name = "list.csv" if fmt is as_csv else "list.xlsx"
	result = import_units(fmt([("统计用区划代码", "城乡分类代码", "名称"), *NBS_ROWS]), name)
	assert result.summary()["created"] == len(NBS_ROWS)
	assert_county_loaded()


def test_the_bureaus_table_without_a_header():
	result = import_units(as_csv(NBS_ROWS), "list.csv")
	assert result.summary()["created"] == len(NBS_ROWS)
	assert_county_loaded()


def test_a_header_of_its_own_order():
	"""Name first, the parent's name (read past) and code, an empty level, the code last."""
	names = {row[0]: row[-1] for row in NBS_ROWS}
	rows = [("名称", "上级名称", "上级代码", "级别", "区划代码")]
	for row in NBS_ROWS:
		code = row[0]
		if code.endswith("000000"):
			parent = ""
		elif code.endswith("000"):
			parent = code[:6].ljust(12, "0")
		else:
			parent = code[:9].ljust(12, "0")
		rows.append((names[code], names.get(parent, ""), parent, "", code))
	import_units(as_csv(rows), "list.csv")
	assert_county_loaded()


def test_a_header_without_code_or_name_is_refused_and_nothing_written():
	frappe.local.lang = "zh"
	before = frappe.db.count("Community Unit")
	with pytest.raises(ImportRowsError) as failed:
		import_units(as_csv([("单位", "类别"), *NBS_ROWS]), "list.csv")
	assert [number for number, _message in failed.value.errors] == [1]
	assert "第 1 行" in str(failed.value) and "表头" in str(failed.value)
	assert frappe.db.count("Community Unit") == before


def test_a_file_of_another_kind_or_encoding_is_refused_on_its_first_row():
	frappe.local.lang = "zh"
	for content, name in ((b"%PDF-1.4 ...", "list.pdf"), ("测试".encode("utf-16"), "list.csv")):
		with pytest.raises(ImportRowsError) as failed:
			import_units(content, name)
		assert [number for number, _message in failed.value.errors] == [1], name
		assert "第 1 行" in str(failed.value), name
