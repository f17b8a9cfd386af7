"""The national statistical division codes (统计用区划代码, GB/T 2260 and GB/T 10114) of the unit tree.

A code has 12 digits and nests: a county's code is its 6 significant digits padded with zeros
(441803000000), a township's begins with its county's 6 and has 9 significant digits (441803102000), a
village's or community's begins with its township's 9 (441803102201). The last three digits of a
village-level code say what the unit is (GB/T 10114): 001–199 a residents' committee (居委会, a
Community), 200–399 a villagers' committee (村委会, a Village), 400–599 a unit "like" one (类似居委会,
类似村委会: the living areas of forest farms, farms, development zones); at township level 001–399 are
streets, towns and townships, 400–599 units "like" a township (开发区, 林场, 农场).

Only administrative units hold consultation under the work plan (二(一): villagers' and residents'
committees under townships and streets), so the rule the importer follows is `is_administrative`: a row
whose own three digits lie in 400–599, or whose name says it is a placeholder (虚拟社区, 虚拟村), is not a
unit, and neither is anything beneath it. Building-level units (villager groups, buildings, estates)
have no national code.
"""

from community_consultation.units.tree import COUNTY, TOWNSHIP

CODE_LENGTH = 12
PROVINCE, CITY, COUNTY_LEVEL, TOWNSHIP_LEVEL, VILLAGE_LEVEL = (
	"province",
	"city",
	"county",
	"township",
	"village",
)
# the significant digits of a code at each level, from the top
SIGNIFICANT_DIGITS = {PROVINCE: 2, CITY: 4, COUNTY_LEVEL: 6, TOWNSHIP_LEVEL: 9, VILLAGE_LEVEL: 12}
LEVELS = tuple(SIGNIFICANT_DIGITS)
# the level of each unit type that carries a code
LEVEL_OF_TYPE = {
	COUNTY: COUNTY_LEVEL,
	TOWNSHIP: TOWNSHIP_LEVEL,
	"Village": VILLAGE_LEVEL,
	"Community": VILLAGE_LEVEL,
}
# how the published lists write a level: 1–5, or the level's Chinese word
LEVEL_WORDS = {
	PROVINCE: ("1", "省", "省级", "province"),
	CITY: ("2", "市", "地", "地级", "市级", "city", "prefecture"),
	COUNTY_LEVEL: ("3", "县", "县级", "区县", "county"),
	TOWNSHIP_LEVEL: ("4", "乡", "镇", "乡级", "乡镇", "街道", "township", "town"),
	VILLAGE_LEVEL: ("5", "村", "村级", "居", "社区", "村居", "village", "community"),
}
PLACEHOLDER_WORDS = ("虚拟社区", "虚拟村", "虚拟生活区")


def normalise_code(raw) -> str | None:
	"""The 12-digit code written as `raw` (12 digits, or the 6 or 9 significant digits of a county or
	township, as lists and people write them), or None when `raw` is not such a code."""
	text = str(raw if raw is not None else "").strip()
	if text.endswith(".0"):  # a spreadsheet cell read as a number
		text = text[:-2]
	if not text.isdigit() or not text.isascii() or len(text) not in SIGNIFICANT_DIGITS.values():
		return None
	return text.ljust(CODE_LENGTH, "0")


def _own_slice(level: str) -> slice:
	"""The digits a level adds to the level above it: province 0–2, city 2–4, county 4–6, township 6–9,
	village 9–12."""
	index = LEVELS.index(level)
	return slice(SIGNIFICANT_DIGITS[LEVELS[index - 1]] if index else 0, SIGNIFICANT_DIGITS[level])


def code_level(code: str) -> str:
	"""The level of a 12-digit code: the deepest level whose own digits are not all zero."""
	return next((level for level in reversed(LEVELS) if code[_own_slice(level)].strip("0")), PROVINCE)


def is_well_formed(code: str) -> bool:
	"""A code nests: the levels above its own are filled (441800001000 is a township under no county).
	The city's digits may be anything (a county directly under a province is 90: 429004)."""
	levels = LEVELS[: LEVELS.index(code_level(code))]
	return all(code[_own_slice(level)].strip("0") for level in levels if level != CITY)


def significant(code: str) -> str:
	"""The digits of `code` that its descendants' codes begin with."""
	return code[: SIGNIFICANT_DIGITS[code_level(code)]]


def parent_code(code: str) -> str | None:
	"""The code of the unit directly above `code` (a county's city, a township's county, a village's
	township), or None for a province."""
	index = LEVELS.index(code_level(code))
	if not index:
		return None
	return code[: SIGNIFICANT_DIGITS[LEVELS[index - 1]]].ljust(CODE_LENGTH, "0")


def level_from_text(text) -> str | None:
	"""The level a published list writes as `text` (5, 村级, village), or None."""
	value = str(text if text is not None else "").strip().lower()
	if value.endswith(".0"):
		value = value[:-2]
	for level, words in LEVEL_WORDS.items():
		if value in words:
			return level
	return None


def own_digits(code: str) -> int:
	"""The three digits a township or village-level code adds to its parent's (GB/T 10114)."""
	return int(code[_own_slice(code_level(code))])


def is_administrative(code: str, name: str) -> bool:
	"""The rule for the list's non-administrative rows (module docstring): a township or village-level
	code in 400–599 (类似乡级单位, 类似居委会/村委会) or a placeholder's name (虚拟社区) is not a unit."""
	if any(word in (name or "") for word in PLACEHOLDER_WORDS):
		return False
	if code_level(code) in (TOWNSHIP_LEVEL, VILLAGE_LEVEL):
		return not 400 <= own_digits(code) <= 599
	return True


def unit_type_of(code: str) -> str | None:
	"""The unit type of an administrative code: County, Township, Community (001–199) or Village; None
	above the counties."""
	level = code_level(code)
	if level == COUNTY_LEVEL:
		return COUNTY
	if level == TOWNSHIP_LEVEL:
		return TOWNSHIP
	if level == VILLAGE_LEVEL:
		return "Community" if own_digits(code) < 200 else "Village"
	return None
