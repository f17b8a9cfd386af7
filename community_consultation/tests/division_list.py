"""A generated division list (统计用区划代码) of a prefecture-level city, in the published layout: code,
name, level (1–5), parent code. Its shape is a real city's: 8 counties, 92 townships (streets 0xx, towns
1xx, townships 2xx), 1,235 villages and communities (居委会 0xx, 村委会 2xx), 211 village-level rows
sharing their name with another (one name four times), two township names twice; with the rows a real
list has and the app does not import: the province and the city, a forest farm (类似乡级单位 4xx) with its
two living areas (类似居委会 4xx), and a placeholder virtual community. Names are generated, not real.
"""

import csv
import io
import random

COUNTIES = ("区", "区", "县", "县", "县", "县", "市", "市")
COUNTY_CODES = ("02", "03", "21", "23", "25", "26", "81", "82")
TOWNSHIPS_PER_COUNTY = (10, 12, 11, 12, 11, 12, 13, 11)  # 92
SYLLABLES = (
	"石潭车头江口黄坑新田大塘水边坑口龙岗松林高桥东岭西岸南山北坪上围下洞中和太平长安白沙红岩"
	"青莲金鸡银盏鱼湾凤凰狮子马鞍牛角象山鹤岗梅花桃源竹林杉木枫树榕树荔枝龙眼禾云浸潭飞来峡山"
)
VILLAGES = 1235
REPEATED_VILLAGE_ROWS = 211
NON_ADMINISTRATIVE = 4  # the forest farm, its two living areas, the virtual community


def _names(rng: random.Random, count: int, suffix: str, used: set) -> list[str]:
	pairs = [SYLLABLES[i : i + 2] for i in range(0, len(SYLLABLES), 2)]
	names = []
	while len(names) < count:
		name = rng.choice(pairs) + rng.choice(pairs) + suffix
		if name not in used:
			used.add(name)
			names.append(name)
	return names


def city_rows(seed: int = 21, city: str = "4418") -> list[tuple[str, str, str, str]]:
	"""The rows of the list of the city whose code begins with `city` (4 digits), header first (a list
	is read as published, in code order)."""
	rng = random.Random(seed)
	province = (f"{city[:2]}0000000000", "某某省", "1", "")
	city_row = (f"{city}00000000", "某某市", "2", province[0])
	rows = [("代码", "名称", "级别", "上级代码"), province, city_row]
	used: set = set()
	county_names = [n[:-1] + s for n, s in zip(_names(rng, 8, "X", used), COUNTIES, strict=True)]
	township_names = _names(rng, 90, "镇", used)
	township_names[10:10] = [township_names[0]]  # the first county's first name, again in the second
	township_names[40:40] = [township_names[30]]
	villages_per_township = [VILLAGES // 92 + (1 if i < VILLAGES % 92 else 0) for i in range(92)]
	communities = iter(_names(rng, 96, "社区居委会", used))  # four in each street
	village_names = _names(rng, VILLAGES - 96 - REPEATED_VILLAGE_ROWS + 104, "村委会", used)
	# 211 village rows share a name: one name 4 times, one 3 times, 102 twice (4 + 3 + 204)
	repeats = [village_names[0]] * 3 + [village_names[1]] * 2 + village_names[2:104]
	pool = village_names + repeats
	rng.shuffle(pool)
	t_index = 0
	for c, (code2, township_count) in enumerate(zip(COUNTY_CODES, TOWNSHIPS_PER_COUNTY, strict=True)):
		county = f"{city}{code2}000000"
		rows.append((county, county_names[c], "3", city_row[0]))
		for t in range(township_count):
			own = (t + 1) if t < 3 else (100 + t - 2)  # three streets, then towns
			township = f"{city}{code2}{own:03d}000"
			suffix = "街道" if t < 3 else "镇"
			name = township_names[t_index].removesuffix("镇") + suffix
			rows.append((township, name, "4", county))
			for v in range(villages_per_township[t_index]):
				community = t < 3 and v < 4
				number = v + 1 if community else 200 + v + 1
				name = next(communities) if community else pool.pop()
				rows.append((f"{township[:9]}{number:03d}", name, "5", township))
			t_index += 1
	farm = f"{city}81400000"
	rows += [
		(farm, "某某林场", "4", f"{city}81000000"),
		(f"{city}81400401", "林场生活区", "5", farm),
		(f"{city}81400402", "林场第二生活区", "5", farm),
		(f"{city}02001498", "某某虚拟社区", "5", f"{city}02001000"),
	]
	header, *body = rows
	return [header, *sorted(body)]


def second_edition(rows: list[tuple]) -> tuple[list[tuple], dict[str, str]]:
	"""The next year's list: a village renamed, a village added, a village gone. Returns the rows and
	{"renamed": code, "added": code, "vanished": code}."""
	villages = [row for row in rows[1:] if row[2] == "5" and row[0][9:] > "200" and row[0][6:9] != "400"]
	renamed, vanished = villages[50], villages[-1]
	township = renamed[3]
	last = max(row[0] for row in rows[1:] if row[3] == township and row[0][9:] < "400")
	added = (f"{township[:9]}{int(last[9:]) + 1:03d}", "新设示范村委会", "5", township)
	edition = [row for row in rows if row != vanished]
	edition = [(r[0], "更名后村委会", r[2], r[3]) if r == renamed else r for r in edition]
	header, *body = [*edition, added]
	return [header, *sorted(body)], {"renamed": renamed[0], "added": added[0], "vanished": vanished[0]}


def as_csv(rows: list[tuple]) -> bytes:
	out = io.StringIO()
	csv.writer(out).writerows(rows)
	return out.getvalue().encode("utf-8")


def as_xlsx(rows: list[tuple]) -> bytes:
	from frappe.utils.xlsxutils import make_xlsx

	return make_xlsx([list(row) for row in rows], "区划代码").getvalue()
