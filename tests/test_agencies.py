"""The agency registry (loaders/registry/ and loaders/data/**.yaml)."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

from dutygraph.loaders.registry import Agency, Registry, normalise
from dutygraph.loaders.registry import lookup as agencies_module
from dutygraph.model import stable_id

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
CITIES = {
    "杭州市",
    "宁波市",
    "温州市",
    "嘉兴市",
    "湖州市",
    "绍兴市",
    "金华市",
    "衢州市",
    "舟山市",
    "台州市",
    "丽水市",
}

# Every unit named in the responsibility clauses of the seed documents, as written
# (PDF line breaks kept where the text splits a name), with what it must resolve to.

# 000 浙江省数字政府系统建设方案: （牵头单位：…；协同单位：…）
SEED_000: dict[str, str] = {
    "省政府办公厅": "浙江省人民政府办公厅",
    "省发展改革委": "浙江省发展和改革委员会",
    "省科技厅": "浙江省科学技术厅",
    "省生态环境厅": "浙江省生态环境厅",
    "省农业农村厅": "浙江省农业农村厅",
    "省商务厅": "浙江省商务厅",
    "省卫生健康委": "浙江省卫生健康委员会",
    "省应急管理厅": "浙江省应急管理厅",
    "省疫情防控办": "浙江省新型冠状病毒肺炎疫情防控工作领导小组办公室",
    "省市场监管局": "浙江省市场监督管理局",
    "省大数据局": "浙江省大数据发展管理局",
    "省药监局": "浙江省药品监督管理局",
    "省政府督查室": "浙江省人民政府督查室",
    "杭州海关": "杭州海关",
    "宁波海关": "宁波海关",
    "省经信厅": "浙江省经济和信息化厅",
    "省财政厅": "浙江省财政厅",
    "省审计厅": "浙江省审计厅",
    "省地方金融监管局": "浙江省地方金融监督管理局",
    "浙江省税务局": "国家税务总局浙江省税务局",
    "省人力社保厅": "浙江省人力资源和社会保障厅",
    "省统计局": "浙江省统计局",
    "省电力公司": "国网浙江省电力有限公司",
    "省教育厅": "浙江省教育厅",
    "省交通运输厅": "浙江省交通运输厅",
    "省文化和旅游厅": "浙江省文化和旅游厅",
    "省贸促会": "中国国际贸易促进委员会浙江省委员会",
    "浙江银保监局": "中国银行保险监督管理委员会浙江监管局",
    "浙江证监局": "中国证券监督管理委员会浙江监管局",
    "人行杭州中心支行": "中国人民银行杭州中心支行",
    "省司法厅": "浙江省司法厅",
    "省自然资源厅": "浙江省自然资源厅",
    "省建设厅": "浙江省住房和城乡建设厅",
    "省法院": "浙江省高级人民法院",
    "省民政厅": "浙江省民政厅",
    "省医保局": "浙江省医疗保障局",
    "省供销社": "浙江省供销合作社联合社",
    "省气象局": "浙江省气象局",
    "省水利厅": "浙江省水利厅",
    "省退役军人事务厅": "浙江省退役军人事务厅",
    "省体育局": "浙江省体育局",
    "省人大办公厅": "浙江省人民代表大会常务委员会办公厅",
    "省政协办公厅": "中国人民政治协商会议浙江省委员会办公厅",
    "省委改革办": "中共浙江省委全面深化改革委员会办公室",
    "省委网信办": "中共浙江省委网络安全和信息化委员会办公室",
    "省信访局": "浙江省信访局",
}
SEED_000_GROUPS: dict[str, str] = {
    "新型城镇化专班成员单位": "浙江省新型城镇化专班成员单位",
    "省安委会各成员单位": "浙江省安全生产委员会成员单位",
    "省政府各部门": "浙江省人民政府各部门",
    # not registered: found by the generic `成员单位$` pattern, named as unknown bodies are
    # (qualified by the jurisdiction their level word points at)
    "省推进长三角一体化发展工作领导小组成员单位": "浙江省推进长三角一体化发展工作领导小组成员单位",
    "省推动长江经济带发展工作领导小组成员单位": "浙江省推动长江经济带发展工作领导小组成员单位",
    "省推进“四大建设”工作领导小组成员单位": "浙江省推进“四大建设”工作领导小组成员单位",
    "省海洋强省建设专班成员单位": "浙江省海洋强省建设专班成员单位",
    "省山海协作领导小组成员单位": "浙江省山海协作领导小组成员单位",
}

# 001 浙政办发〔2019〕17号 (PDF text): (责任单位:…)
SEED_001: dict[str, str] = {
    "省发展改革委": "浙江省发展和改革委员会",
    "省自然资源厅": "浙江省自然资源厅",
    "省建设厅": "浙江省住房和城乡建设厅",
    "省商务厅": "浙江省商务厅",
    "省农业农村厅": "浙江省农业农村厅",
    "省财政厅": "浙江省财政厅",
    "省审计厅": "浙江省审计厅",
    "省市场监管局": "浙江省市场监督管理局",
    "省司法厅": "浙江省司法厅",
    "省大数据局": "浙江省大数据发展管理局",
    "省地方金融监管局": "浙江省地方金融监督管理局",
    "省药监局": "浙江省药品监督管理局",
    "省信访局": "浙江省信访局",
    "省政府办公厅": "浙江省人民政府办公厅",
    "省卫生健康委": "浙江省卫生健康委员会",
    "省医保局": "浙江省医疗保障局",
    "省教育厅": "浙江省教育厅",
    "省文化和旅游厅": "浙江省文化和旅游厅",
    "省民政厅": "浙江省民政厅",
    "省人力社保厅": "浙江省人力资源和社会保障厅",
    "省交通运输厅": "浙江省交通运输厅",
    "省体育局": "浙江省体育局",
    "省委政法委": "中共浙江省委政法委员会",
    "省公安厅": "浙江省公安厅",
    "省应急管理厅": "浙江省应急管理厅",
    "省水利厅": "浙江省水利厅",
    "省气象局": "浙江省气象局",
    "省地震局": "浙江省地震局",
    "省民宗委": "浙江省民族宗教事务委员会",
    "省消防救援总队": "浙江省消防救援总队",
    "省生态环境厅": "浙江省生态环境厅",
    "省档案局": "浙江省档案局",
    "省委网信办": "中共浙江省委网络安全和信息化委员会办公室",
    "省市\n\n场监管局": "浙江省市场监督管理局",  # split by the PDF's blank lines
    "省发展改革委等": "浙江省发展和改革委员会",  # a trailing 等 is ignored
}
SEED_001_GROUPS: dict[str, str] = {
    "各设区市政府": "浙江省各设区市人民政府",
    "省政府直属各单位": "浙江省人民政府直属各单位",
    "省级有关单位": "浙江省省级有关单位",
}

# 003 绍兴市加快推进数字政府建设实施方案: 责任单位:… lines
SEED_003: dict[str, str] = {
    "市大数据局": "绍兴市大数据发展管理局",
    "市发改委": "绍兴市发展和改革委员会",
    "市经信局": "绍兴市经济和信息化局",
    "市人力社保局": "绍兴市人力资源和社会保障局",
    "市商务局": "绍兴市商务局",
    "市统计局": "绍兴市统计局",
    "市税务局": "国家税务总局绍兴市税务局",
    "绍兴电力局": "国网浙江省电力有限公司绍兴供电公司",
    "市投资促进中心": "绍兴市投资促进中心",
    "市建设局": "绍兴市住房和城乡建设局",
    "市金融办": "绍兴市人民政府金融工作办公室",
    "市财政局": "绍兴市财政局",
    "市政务服务办": "绍兴市政务服务办公室",
    "市市场监管局": "绍兴市市场监督管理局",
    "市公安局": "绍兴市公安局",
    "市教育局": "绍兴市教育局",
    "市委政法委": "中共绍兴市委政法委员会",
    "市司法局": "绍兴市司法局",
    "市应急管理局": "绍兴市应急管理局",
    "市卫生健康委": "绍兴市卫生健康委员会",
    "市自然资源和规划局": "绍兴市自然资源和规划局",
    "市交通运输局": "绍兴市交通运输局",
    "市气象局": "绍兴市气象局",
    "市消防救援支队": "绍兴市消防救援支队",
    "市委改革办": "中共绍兴市委全面深化改革委员会办公室",
    "人行绍兴市中心支行": "中国人民银行绍兴市中心支行",
    "市民政局": "绍兴市民政局",
    "市生态环境局": "绍兴市生态环境局",
    "市水利局": "绍兴市水利局",
    "市政府办公室": "绍兴市人民政府办公室",
    "市综合执法局": "绍兴市综合行政执法局",
    "市委网信办": "中共绍兴市委网络安全和信息化委员会办公室",
    "市信访局": "绍兴市信访局",
    "市农业农村局": "绍兴市农业农村局",
}
SEED_003_GROUPS: dict[str, str] = {
    "各区、县(市)政府": "绍兴市各区、县(市)人民政府",
    "各区、县〔市〕政府": "绍兴市各区、县(市)人民政府",
    "市政府有关部门": "绍兴市人民政府有关部门",
    "市政府有关部门(单位)": "绍兴市人民政府有关部门(单位)",
}

# Short forms of provincial bodies found anywhere in the five seeds (抄送 lines,
# prose), beyond the clauses.
SEED_OTHER_PROVINCIAL: dict[str, str] = {
    "省委": "中共浙江省委",
    "省政府": "浙江省人民政府",
    "省人大常委会": "浙江省人民代表大会常务委员会",
    "省政协": "中国人民政治协商会议浙江省委员会",
    "省军区": "浙江省军区",
    "省监委": "浙江省监察委员会",
    "省检察院": "浙江省人民检察院",
    "省税务局": "国家税务总局浙江省税务局",
    "省数字化改革领导小组": "浙江省数字化改革领导小组",
    "浙江省人民政府办公厅": "浙江省人民政府办公厅",
    "市场监管总局": "国家市场监督管理总局",
    "公安部": "公安部",
    "国务院": "国务院",
}


@pytest.fixture(scope="module")
def reg() -> Registry:
    return Registry.load()


def _cases(table: dict[str, str], jurisdiction: str) -> list[tuple[str, str, str]]:
    return [(surface, jurisdiction, name) for surface, name in table.items()]


AGENCY_CASES = (
    _cases(SEED_000, "浙江省")
    + _cases(SEED_001, "浙江省")
    + _cases(SEED_003, "绍兴市")
    + _cases(SEED_OTHER_PROVINCIAL, "浙江省")
)
GROUP_CASES = _cases(SEED_000_GROUPS, "浙江省") + _cases(SEED_001_GROUPS, "浙江省") + _cases(SEED_003_GROUPS, "绍兴市")


# ---------------------------------------------------------------------------- seed surfaces


@pytest.mark.parametrize(("surface", "jurisdiction", "expected"), AGENCY_CASES)
def test_seed_agency_surfaces_resolve(reg: Registry, surface: str, jurisdiction: str, expected: str) -> None:
    r = reg.resolve(surface, jurisdiction)
    assert r.resolved, (surface, r)
    assert not r.group
    assert r.agency is not None and r.agency.kind == "agency"
    assert r.agency.name == expected
    assert r.candidates == (r.agency,)
    assert r.surface == surface


@pytest.mark.parametrize(("surface", "jurisdiction", "expected"), GROUP_CASES)
def test_seed_group_surfaces_resolve_to_groups(reg: Registry, surface: str, jurisdiction: str, expected: str) -> None:
    r = reg.resolve(surface, jurisdiction)
    assert r.resolved and r.group, (surface, r)
    assert r.agency is not None and r.agency.kind == "group"
    assert r.agency.name == expected
    assert r.agency.id.startswith("grp_")


def _clause_units(text: str, clause: re.Pattern[str], flatten: bool) -> set[str]:
    units: set[str] = set()
    if flatten:  # PDF text: names are split across (blank) lines
        text = re.sub(r"\s+", "", text)
    for m in clause.finditer(text):
        body = re.split(r"[(（]?列第一", "、".join(g for g in m.groups() if g))[0]
        body = body.replace("各区、县(市)政府", "各区县(市)政府")  # one unit with a 、 inside
        for part in re.split(r"[、，,；;。]", body):
            part = part.strip().removesuffix("等").replace("各区县(市)政府", "各区、县(市)政府")
            if part:
                units.add(part)
    return units


SEED_SPECS = [
    (
        "000_*.txt",
        re.compile(r"（牵头单位：(.*?)；协同单位：(.*?)）"),
        False,
        "浙江省",
        SEED_000,
        SEED_000_GROUPS,
    ),
    ("001_*.txt", re.compile(r"[(（]责任单位[:：](.*?)[)）]"), True, "浙江省", SEED_001, SEED_001_GROUPS),
    ("003_*.txt", re.compile(r"^责任单位[:：](.*)$", re.M), False, "绍兴市", SEED_003, SEED_003_GROUPS),
]


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="sample corpus not present")
@pytest.mark.parametrize(("pattern", "clause", "flatten", "jurisdiction", "agencies", "groups"), SEED_SPECS)
def test_every_clause_unit_in_the_seeds_is_listed_and_resolves(
    reg: Registry,
    pattern: str,
    clause: re.Pattern[str],
    flatten: bool,
    jurisdiction: str,
    agencies: dict[str, str],
    groups: dict[str, str],
) -> None:
    """Guards the hand-written tables above against the documents themselves."""
    [path] = sorted(SAMPLES.glob(pattern))
    units = _clause_units(path.read_text(encoding="utf-8"), clause, flatten)
    assert len(units) > 10, path
    known = {re.sub(r"\s+", "", s) for s in (*agencies, *groups)}
    assert units - known == set(), f"{path.name}: units missing from the test tables"
    for unit in units:
        assert reg.resolve(unit, jurisdiction).resolved, (path.name, unit)


# ---------------------------------------------------------------------------- required facts


def test_required_facts(reg: Registry) -> None:
    assert reg.resolve("省大数据局", "浙江省").agency.name == "浙江省大数据发展管理局"
    ndrc = {reg.resolve(s, "浙江省").agency.name for s in ("省发展改革委", "省发改委", "浙江省发展和改革委员会")}
    assert ndrc == {"浙江省发展和改革委员会"}
    assert reg.resolve("浙江省税务局", "浙江省").agency.name == "国家税务总局浙江省税务局"
    assert reg.resolve("浙江省税务局", "绍兴市").agency.name == "国家税务总局浙江省税务局"
    assert reg.resolve("市税务局", "绍兴市").agency.name == "国家税务总局绍兴市税务局"
    supervision = reg.resolve("省政府督查室", "浙江省").agency
    assert supervision.parent == "浙江省人民政府办公厅"
    assert reg.get(supervision.parent) is not None
    assert reg.resolve("省疫情防控办", "浙江省").agency.parent == "浙江省新型冠状病毒肺炎疫情防控工作领导小组"


def test_city_big_data_bureau_depends_on_the_document(reg: Registry) -> None:
    city = reg.resolve("市大数据局", "绍兴市")
    assert city.agency.name == "绍兴市大数据发展管理局"
    assert city.agency.jurisdiction == "绍兴市" and city.agency.level == "city"
    assert city.agency.counterpart == "浙江省大数据发展管理局"
    # a Shaoxing document's 省大数据局 is the provincial body
    assert reg.resolve("省大数据局", "绍兴市").agency.name == "浙江省大数据发展管理局"
    # in a provincial document 市大数据局 means every city's bureau: ambiguous
    provincial = reg.resolve("市大数据局", "浙江省")
    assert not provincial.resolved and not provincial.group
    assert provincial.ambiguous
    assert "绍兴市大数据发展管理局" in {a.name for a in provincial.candidates}
    assert all(a.level == "city" for a in provincial.candidates)
    # in another city it is that city's bureau, which is not registered — never Shaoxing's
    hangzhou = reg.resolve("市大数据局", "杭州市")
    assert hangzhou.agency is None and hangzhou.candidates == ()
    # a district of Shaoxing: 市 is Shaoxing
    assert reg.resolve("市大数据局", "柯桥区").agency.name == "绍兴市大数据发展管理局"


def test_counterparts_and_levels(reg: Registry) -> None:
    assert reg.resolve("市发改委", "绍兴市").agency.counterpart == "浙江省发展和改革委员会"
    assert reg.resolve("市自然资源和规划局", "绍兴市").agency.counterpart == "浙江省自然资源厅"
    assert reg.resolve("市委改革办", "绍兴市").agency.counterpart == "中共浙江省委全面深化改革委员会办公室"
    assert reg.resolve("市税务局", "绍兴市").agency.parent == "国家税务总局浙江省税务局"
    assert reg.get("国家税务总局").level == "national"
    assert reg.get("国家税务总局浙江省税务局").parent == "国家税务总局"
    assert reg.resolve("省建设厅", "浙江省").agency.level == "province"
    assert reg.resolve("市综合执法局", "绍兴市").agency.level == "city"
    assert reg.get("新昌县人民政府").level == "county"
    for name in (
        "浙江省经济和信息化厅",
        "浙江省人力资源和社会保障厅",
        "浙江省住房和城乡建设厅",
        "浙江省市场监督管理局",
        "浙江省地方金融监督管理局",
        "浙江省药品监督管理局",
        "浙江省民族宗教事务委员会",
        "浙江省消防救援总队",
        "绍兴市自然资源和规划局",
        "绍兴市综合行政执法局",
    ):
        assert reg.get(name) is not None, name


def test_links_point_at_registered_agencies(reg: Registry) -> None:
    ids = [a.id for a in reg]
    assert len(ids) == len(set(ids)) == len(reg)
    for entity in reg:
        for link in (entity.parent, entity.counterpart, *entity.members):
            if link is not None:
                assert reg.get(link) is not None and reg.get(link).kind == "agency", (entity.name, link)
        assert entity.id == stable_id("grp_" if entity.kind == "group" else "ag_", entity.name)


def test_non_government_units_are_registered(reg: Registry) -> None:
    for surface, level in [
        ("杭州海关", "province"), ("宁波海关", "city"), ("人行杭州中心支行", "province"),
        ("浙江银保监局", "province"), ("浙江证监局", "province"), ("省电力公司", "province"),
        ("省法院", "province"), ("省人大办公厅", "province"), ("省政协办公厅", "province"),
        ("省委改革办", "province"), ("省委网信办", "province"),
    ]:  # fmt: skip
        r = reg.resolve(surface, "浙江省")
        assert r.resolved and r.agency.level == level, surface
    for surface in ("绍兴电力局", "人行绍兴市中心支行", "市委政法委"):
        assert reg.resolve(surface, "绍兴市").agency.level == "city"


# ---------------------------------------------------------------------------- normalisation


def test_traditional_script(reg: Registry) -> None:
    assert normalise("牽頭") == "牵头"
    assert normalise("牽頭單位") == "牵头单位"
    assert reg.resolve("省大數據局", "浙江省").agency.name == "浙江省大数据发展管理局"
    assert reg.resolve("省大數據局", "紹興市").agency.name == "浙江省大数据发展管理局"  # jurisdiction too
    assert reg.resolve("國家稅務總局紹興市稅務局", "紹興市").agency.name == "国家税务总局绍兴市税务局"
    assert reg.resolve("省發展改革委", "浙江省").agency.name == "浙江省发展和改革委员会"
    r = reg.resolve("各市、縣(市、區(qū))人民政府", "浙江省")  # 004's pinyin-glossed text
    assert r.group and r.agency.name == "浙江省各市、县(市、区)人民政府"


def test_width_brackets_and_whitespace(reg: Registry) -> None:
    assert normalise("各区、县〔市〕政府") == "各区、县(市)政府"
    assert normalise("各区、县［市］政府") == "各区、县(市)政府"
    assert normalise("市政府有关部门【单位】") == "市政府有关部门(单位)"
    assert normalise(" 省 大数据\u3000局\n") == "省大数据局"
    assert reg.resolve("省 市 场 监 管 局", "浙江省").agency.name == "浙江省市场监督管理局"


def test_bracketed_alternative_name(reg: Registry) -> None:
    assert reg.resolve("市委宣传部（市新闻出版局）", "绍兴市").agency.name == "中共绍兴市委宣传部"
    assert reg.resolve("市新闻出版局(市委宣传部)", "绍兴市").agency.name == "中共绍兴市委宣传部"
    assert reg.resolve("省政府办公厅（省政府督查室）", "浙江省").agency.name == "浙江省人民政府办公厅"


def test_unknown_names(reg: Registry) -> None:
    r = reg.resolve("某某科技有限公司", "浙江省")
    assert (r.agency, r.candidates, r.group, r.resolved) == (None, (), False, False)
    assert reg.resolve("", "浙江省").agency is None


# ---------------------------------------------------------------------------- groups


@pytest.mark.parametrize(
    "surface",
    [
        "各区、县(市)政府",
        "各区、县（市）政府",
        "各区、县〔市〕政府",
        "各区、县〔市〕人民政府",
        "各區、縣(市)政府",
    ],
)
def test_shaoxing_counties_group_in_every_bracket_style(reg: Registry, surface: str) -> None:
    r = reg.resolve(surface, "绍兴市")
    assert r.group and r.agency.name == "绍兴市各区、县(市)人民政府"
    assert r.agency.jurisdiction == "绍兴市"
    assert set(r.agency.members) == {
        "绍兴市越城区人民政府", "绍兴市柯桥区人民政府", "绍兴市上虞区人民政府",
        "诸暨市人民政府", "嵊州市人民政府", "新昌县人民政府",
    }  # fmt: skip


def test_groups_are_scoped_by_jurisdiction(reg: Registry) -> None:
    cities = reg.resolve("各设区市政府", "浙江省").agency
    assert len(cities.members) == 11 and "绍兴市人民政府" in cities.members
    # a provincial group named in a Shaoxing document is still the provincial group
    assert reg.resolve("各设区市政府", "绍兴市").agency.name == "浙江省各设区市人民政府"
    assert reg.resolve("省政府各部门", "绍兴市").agency.name == "浙江省人民政府各部门"
    # another city gets its own group from the template, never Shaoxing's
    hangzhou = reg.resolve("各区、县(市)政府", "杭州市")
    assert hangzhou.group and hangzhou.agency.name == "杭州市各区、县(市)人民政府"
    assert reg.resolve("市政府有关部门", "诸暨市").agency.name == "诸暨市人民政府有关部门"
    for surface, name in [
        ("各市、县(市、区)人民政府", "浙江省各市、县(市、区)人民政府"),
        ("省级有关部门", "浙江省省级有关部门"),
        ("省委各部门", "中共浙江省委各部门"),
        ("各地", "浙江省各地"),
    ]:
        r = reg.resolve(surface, "浙江省")
        assert r.group and r.agency.name == name, surface


def test_generic_group_is_never_lost(reg: Registry) -> None:
    r = reg.resolve("省推进“四大建设”工作领导小组成员单位", "浙江省")
    assert r.group and r.resolved
    assert r.agency.kind == "group" and r.agency.name == "浙江省推进“四大建设”工作领导小组成员单位"
    assert r.agency.jurisdiction == "浙江省"
    assert reg.get(r.agency.id) is r.agency
    r2 = reg.resolve("市防汛抗旱指挥部成员单位", "绍兴市")
    assert r2.group and r2.agency.jurisdiction == "绍兴市"
    assert reg.resolve("市防汛抗旱指挥部成员单位", "绍兴市") is r2  # cached


def test_groups_never_merge_with_agencies(reg: Registry) -> None:
    names = {a.name for a in reg.agencies()}
    assert all(g.kind == "group" and g.name not in names for g in reg.groups())
    assert reg.resolve("省政府", "浙江省").agency.kind == "agency"
    assert reg.resolve("省政府各部门", "浙江省").agency.kind == "group"


# ---------------------------------------------------------------------------- jurisdictions


def test_jurisdictions(reg: Registry) -> None:
    zj = reg.jurisdiction("浙江省")
    assert zj.level == "province" and zj.parent == "中国"
    cities = [j for j in reg.jurisdictions() if j.parent == "浙江省"]
    assert {c.name for c in cities} == CITIES
    assert all(c.level == "city" for c in cities)
    counties = {j.name for j in reg.jurisdictions() if j.parent == "绍兴市"}
    assert counties == {"越城区", "柯桥区", "上虞区", "诸暨市", "嵊州市", "新昌县"}
    assert reg.jurisdiction("国家").name == "中国" and reg.jurisdiction("中国").level == "national"
    assert reg.province_of("新昌县") == "浙江省" and reg.city_of("新昌县") == "绍兴市"
    assert reg.city_of("浙江省") is None and reg.province_of("中国") is None
    # Issue 11: every jurisdiction of China is known (the division table); this line
    # said `reg.jurisdiction("南京市") is None` while the registry knew only Zhejiang.
    assert reg.jurisdiction("火星市") is None
    assert reg.jurisdiction("南京市").parent == "江苏省"


# ---------------------------------------------------------------------------- search and get


def test_search(reg: Registry) -> None:
    assert reg.search("浙江省税务局")[0].name == "国家税务总局浙江省税务局"  # alias
    assert reg.search("省发改委")[0].name == "浙江省发展和改革委员会"  # short name
    assert reg.search("國家稅務總局浙江")[0].name == "国家税务总局浙江省税务局"  # traditional, prefix
    assert reg.search("大數據")[:2] == [reg.get("浙江省大数据发展管理局"), reg.get("绍兴市大数据发展管理局")]
    bureau = reg.get("浙江省大数据发展管理局")
    assert reg.search(bureau.id) == [bureau]
    assert len(reg.search("绍兴", limit=3)) == 3
    assert reg.search("") == []
    assert reg.search("各设区市政府")[0].kind == "group"


def test_get(reg: Registry) -> None:
    bureau = reg.get("浙江省大数据发展管理局")
    assert isinstance(bureau, Agency)
    assert reg.get(bureau.id) is bureau
    assert reg.get("浙江省大數據發展管理局") is bureau
    assert reg.get("省大数据局") is None  # get() takes ids and canonical names only
    assert "浙江省大数据发展管理局" in reg
    assert len(reg) == len(list(reg)) == len(reg.agencies()) + len(reg.groups())


# ---------------------------------------------------------------------------- user files


def test_user_file_adds_agency_and_overrides_alias(tmp_path: Path) -> None:
    folder = tmp_path / "registry"
    folder.mkdir()
    (folder / "hangzhou.yaml").write_text(
        """
defaults: {jurisdiction: 杭州市}
agencies:
  - name: 杭州市数据资源管理局
    short: [市数据资源局]
    counterpart: 省大数据局
""",
        encoding="utf-8",
    )
    (tmp_path / "zj.yml").write_text(
        """
agencies:
  - name: 浙江省数据局                  # the 2024 body, now its own node
    jurisdiction: 浙江省
    short: [省数据局]                   # taken from 浙江省大数据发展管理局
  - name: 浙江省大数据发展管理局          # extend a shipped entry
    aliases: [浙江省大数据中心]
""",
        encoding="utf-8",
    )
    reg = Registry.load(extra=[folder, tmp_path / "zj.yml"])
    added = reg.resolve("市数据资源局", "杭州市").agency
    assert added.name == "杭州市数据资源管理局" and added.level == "city"
    assert added.counterpart == "浙江省大数据发展管理局"
    assert reg.resolve("市数据资源局", "绍兴市").agency is None
    assert reg.resolve("省数据局", "浙江省").agency.name == "浙江省数据局"
    assert reg.resolve("浙江省数据局", "浙江省").agency.name == "浙江省数据局"
    old = reg.get("浙江省大数据发展管理局")
    assert "省数据局" not in old.short_names and "浙江省数据局" not in old.aliases
    assert "省大数据局" in old.short_names and "浙江省大数据中心" in old.aliases
    assert reg.resolve("浙江省大数据中心", None).agency is old
    # the shipped registry is unchanged
    assert Registry.load().resolve("省数据局", "浙江省").agency.name == "浙江省大数据发展管理局"


def test_user_file_adds_group_and_jurisdiction(tmp_path: Path) -> None:
    path = tmp_path / "extra.yaml"
    path.write_text(
        """
jurisdictions:
  - {name: 萧山区, level: county, parent: 杭州市}
agencies:
  - {name: 杭州市萧山区人民政府, short: [区政府], jurisdiction: 萧山区}
groups:
  - name: 浙江省数字政府建设工作领导小组成员单位
    jurisdiction: 浙江省
    short: [省数字政府建设工作领导小组成员单位]
generic:
  - '工作专班$'
""",
        encoding="utf-8",
    )
    reg = Registry.load([path])
    assert reg.city_of("萧山区") == "杭州市"
    assert reg.resolve("区政府", "萧山区").agency.name == "杭州市萧山区人民政府"
    group = reg.resolve("省数字政府建设工作领导小组成员单位", "绍兴市")
    assert group.group and group.agency.name == "浙江省数字政府建设工作领导小组成员单位"
    assert reg.resolve("省数字政府工作专班", "浙江省").group


def test_user_file_moves_a_group_short_name(tmp_path: Path) -> None:
    path = tmp_path / "groups.yaml"
    path.write_text(
        "groups:\n  - {name: 浙江省级有关单位(扩展), jurisdiction: 浙江省, short: [省级有关单位]}\n",
        encoding="utf-8",
    )
    reg = Registry.load([path])
    assert reg.resolve("省级有关单位", "浙江省").agency.name == "浙江省级有关单位(扩展)"
    assert "省级有关单位" not in reg.get("浙江省省级有关单位").short_names


ZJ = "jurisdiction: 浙江省"
BAD_FILES = [
    ("agencies:\n  - name: [unclosed\n", "invalid YAML"),
    ("- just a list\n", "top level"),
    ("agency:\n  - name: X\n", "unknown top-level key"),
    (f"agencies:\n  - {{name: 测试局, {ZJ}, shorts: [测]}}\n", "unknown field"),
    ("agencies:\n  - {name: 测试局, jurisdiction: 火星省}\n", "unknown jurisdiction"),
    (f"agencies:\n  - {{name: 测试局, {ZJ}, parent: 不存在的厅}}\n", "not a registered agency"),
    (f"agencies:\n  - {{name: 测试局, {ZJ}, level: galaxy}}\n", "level"),
    (f"agencies:\n  - {{{ZJ}}}\n", "name"),
    (
        f"agencies:\n  - {{name: 甲局, {ZJ}, short: [省甲局]}}\n  - {{name: 乙局, {ZJ}, short: [省甲局]}}\n",
        "given to both",
    ),
    (f"agencies:\n  - {{name: 甲局, {ZJ}}}\n  - {{name: 甲局, {ZJ}}}\n", "twice"),
    (f"groups:\n  - {{name: 甲组, {ZJ}, patterns: ['(']}}\n", "regular expression"),
    ("groups:\n  - {name: 甲组, scope: city}\n", "{j}"),
    (
        f"groups:\n  - {{name: 甲组, {ZJ}, short: [省甲]}}\n  - {{name: 乙组, {ZJ}, short: [省甲]}}\n",
        "given to both",
    ),
    ("jurisdictions:\n  - {name: 火星省, level: planet}\n", "level"),
]


@pytest.mark.parametrize(("content", "reason"), BAD_FILES)
def test_bad_file_raises_value_error_naming_it(tmp_path: Path, content: str, reason: str) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=r"broken\.yaml") as info:
        Registry.load([path])
    assert reason in str(info.value)


def test_missing_extra_path_raises_value_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"nowhere\.yaml"):
        Registry.load([tmp_path / "nowhere.yaml"])


# ---------------------------------------------------------------------------- misc


def test_resolution_is_cached_and_fast(reg: Registry) -> None:
    first = reg.resolve("省大数据局", "浙江省")
    assert reg.resolve("省大数据局", "浙江省") is first
    import time

    surfaces = [s for a in reg.agencies() for s in a.short_names] * 50
    start = time.perf_counter()
    for s in surfaces:
        reg.resolve(s, "绍兴市")
    assert time.perf_counter() - start < 2.0


def test_module_examples() -> None:
    result = doctest.testmod(agencies_module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 10


def test_a_canonical_name_read_relative_to_its_jurisdiction_resolves():
    registry = Registry.load()
    for surface, canonical in [
        ("省住房和城乡建设厅", "浙江省住房和城乡建设厅"),
        ("省人力资源和社会保障厅", "浙江省人力资源和社会保障厅"),
    ]:
        assert registry.resolve(surface, "浙江省").agency.name == canonical
        assert registry.resolve(surface, "绍兴市").agency.name == canonical  # 省 in a city plan is the province
    assert registry.resolve("市住房和城乡建设局", "绍兴市").agency.name == "绍兴市住房和城乡建设局"
