"""Analytics: exact values on small hand-made graphs, and the seed graph's ranking.

Expected numbers on the hand-made graphs are worked out by hand in the
comments; on the seed graph they are derived from the hand annotation
(tests/annotations), not from the code under test.
"""

from __future__ import annotations

import json
import random
from dataclasses import replace

import networkx as nx
import pytest
import yaml
from conftest import SAMPLES
from test_annotations import ANNOTATIONS
from typer.testing import CliRunner

import dutygraph.graph.analytics.network as network_module
from dutygraph.api.cli import app as cli
from dutygraph.graph import analytics
from dutygraph.graph.analytics import AnalyticsParams, fast, metrics_of
from dutygraph.graph.analytics.centrality import betweenness, degrees, pagerank
from dutygraph.graph.analytics.communities import brokerage, louvain
from dutygraph.graph.analytics.network import bipartite_from_rows, collaboration_graph, network_edges, units
from dutygraph.graph.analytics.overload import OverloadWeights, overload_score, reasons
from dutygraph.graph.analytics.workload import (
    LoadWeights,
    deadline_crunch,
    documents_touched,
    role_counts,
    weighted_load,
)
from dutygraph.graph.store import QueryResult
from dutygraph.queries import load_query

ANNOTATED = ["000", "001", "003"]


def bipartite(assignments: dict[str, list[tuple[str, str]]], dues: dict[str, tuple[str, ...]] | None = None):
    """A hand-made unit–task network: task → [(unit, role)]."""
    g = nx.Graph()
    for task, members in assignments.items():
        g.add_node(task, node="task", doc_id="d1", dues=(dues or {}).get(task, ()))
        for unit, role in members:
            g.add_node(unit, node="unit", name=unit, kind="agency")
            g.add_edge(unit, task, role=role)
    return g


# ---------------------------------------------------------------- hand-made graphs

CHAIN = bipartite(
    {
        "t1": [("A", "lead"), ("B", "support")],
        "t2": [("B", "lead"), ("C", "support")],
        "t3": [("C", "lead"), ("D", "support")],
    }
)


def test_collaboration_projection_weights_pairs_by_tasks_shared():
    g = bipartite({"t1": [("A", "lead"), ("B", "support")], "t2": [("A", "lead"), ("B", "joint")]})
    projection = collaboration_graph(g)
    assert projection["A"]["B"]["weight"] == 2
    assert projection["A"]["B"]["roles"] == {"lead+support": 1, "joint+lead": 1}


def test_betweenness_on_a_chain_of_four_agencies_is_two_thirds_for_the_middle_ones():
    # A–B–C–D: B lies on the shortest paths A–C and A–D (2 of the 3 pairs not involving B).
    result = betweenness(collaboration_graph(CHAIN))
    assert result.exact and result.sample is None
    assert result.values == pytest.approx({"A": 0.0, "B": 2 / 3, "C": 2 / 3, "D": 0.0})


def test_betweenness_of_a_star_centre_is_one():
    # Every path between two of the 4 leaves goes through the centre: C(4,2)=6 of 6 pairs.
    star = bipartite({f"t{i}": [("hub", "lead"), (f"leaf{i}", "support")] for i in range(4)})
    values = betweenness(collaboration_graph(star)).values
    assert values["hub"] == pytest.approx(1.0)
    assert {values[f"leaf{i}"] for i in range(4)} == {0.0}


def test_betweenness_is_estimated_from_a_stated_sample_beyond_the_exact_limit():
    result = betweenness(collaboration_graph(CHAIN), exact_limit=3, sample=2, seed=1)
    assert result.exact is False and result.sample == 2
    assert set(result.values) == {"A", "B", "C", "D"}


def test_pagerank_of_a_star_matches_the_hand_solution():
    # Centre c, three leaves l, damping 0.85:  p_l = 0.0375 + 0.85·p_c/3 ;  p_c = 0.0375 + 0.85·3·p_l
    # ⇒ p_l = 0.048125 / 0.2775 = 0.173423…, p_c = 0.0375 + 2.55·p_l = 0.479730…
    star = bipartite({f"t{i}": [("c", "lead"), (f"l{i}", "support")] for i in range(3)})
    ranks = pagerank(collaboration_graph(star))
    assert ranks["c"] == pytest.approx(0.479730, abs=1e-6)
    assert ranks["l0"] == pytest.approx(0.173423, abs=1e-6)


def test_pagerank_of_a_chain_of_three_matches_the_hand_solution():
    # p_A = 0.05 + 0.425·p_B ; p_B = 0.05 + 0.85·(p_A + p_C), p_A = p_C ⇒ p_A = 0.07125 / 0.2775
    chain = bipartite({"t1": [("A", "lead"), ("B", "support")], "t2": [("B", "lead"), ("C", "support")]})
    ranks = pagerank(collaboration_graph(chain))
    assert ranks == pytest.approx({"A": 0.256757, "B": 0.486486, "C": 0.256757}, abs=1e-6)


def test_degree_counts_partners_and_weighted_degree_counts_tasks_shared():
    g = bipartite({"t1": [("A", "lead"), ("B", "support")], "t2": [("A", "lead"), ("B", "support"), ("C", "joint")]})
    partners, shared = degrees(collaboration_graph(g))
    assert partners == {"A": 2, "B": 2, "C": 2}
    assert shared == {"A": 3, "B": 3, "C": 2}  # A–B share 2 tasks, A–C and B–C one


WEIGHTED = bipartite(
    {
        "t1": [("A", "lead"), ("B", "lead"), ("C", "support"), ("D", "support")],  # two leads share the task
        "t2": [("A", "lead")],
        "t3": [("E", "joint"), ("F", "joint"), ("G", "joint")],  # 按职责分工负责: a third each
    },
    dues={"t1": ("2019-06-30", "2019-12-31"), "t2": ("2019-06-15",), "t3": ("2019-11-30",)},
)


def test_weighted_load_shares_a_task_among_its_leads_and_joint_units():
    # A: 1/2 (t1, shared lead) + 1 (t2) = 1.5 ; B: 1/2 ; C, D: 0.3 each ; E, F, G: 1/3 each.
    load = weighted_load(WEIGHTED)
    assert load == pytest.approx({"A": 1.5, "B": 0.5, "C": 0.3, "D": 0.3, "E": 1 / 3, "F": 1 / 3, "G": 1 / 3})


def test_weighted_load_follows_the_weights_given():
    # lead 2.0, support 0.5: A = 2/2 + 2 = 3.0 ; C = 0.5.
    load = weighted_load(WEIGHTED, LoadWeights(lead=2.0, support=0.5, joint=1.0))
    assert (load["A"], load["C"]) == pytest.approx((3.0, 0.5))


def test_role_counts_count_tasks_by_role():
    assert role_counts(WEIGHTED)["A"] == {"lead": 2, "support": 0, "joint": 0}
    assert role_counts(WEIGHTED)["E"] == {"lead": 0, "support": 0, "joint": 1}


def test_deadline_crunch_finds_the_busiest_month_and_quarter():
    # A: t1 (June, December) and t2 (June) → June has 2 tasks; Q2 has 2, Q4 has 1.
    assert deadline_crunch(WEIGHTED)["A"] == {
        "month": "2019-06",
        "month_tasks": 2,
        "quarter": "2019-Q2",
        "quarter_tasks": 2,
    }
    assert deadline_crunch(WEIGHTED)["E"]["month"] == "2019-11"


def test_louvain_separates_two_teams_and_brokerage_finds_the_bridge():
    # Two triangles of agencies joined by one shared task between B and D.
    g = bipartite(
        {
            "x1": [("A", "lead"), ("B", "support"), ("C", "support")],
            "y1": [("D", "lead"), ("E", "support"), ("F", "support")],
            "bridge": [("B", "lead"), ("D", "support")],
        }
    )
    projection = collaboration_graph(g)
    parts = louvain(projection)
    assert parts["A"] == parts["B"] == parts["C"] != parts["D"] == parts["E"] == parts["F"]
    linked = brokerage(projection, parts)
    assert linked == {"A": 0, "B": 1, "C": 0, "D": 1, "E": 0, "F": 0}


def test_overload_formula_and_reasons_on_given_metrics():
    m = {"lead": 3, "support": 2, "joint": 0, "documents": 2, "load": 3.6, "month": "2019-06", "month_tasks": 3,
         "communities_linked": 2}  # fmt: skip
    # 3.6 + 0.5·(3 − 1) + 0.25·2 = 5.1
    assert overload_score(m, OverloadWeights()) == pytest.approx(5.1)
    assert overload_score(m, OverloadWeights(crunch=0, broker=0)) == pytest.approx(3.6)
    assert (
        reasons(m) == "leads 3 tasks, supports 2 in 2 documents; load 3.6; 3 due in 2019-06; links 2 other communities"
    )


# ---------------------------------------------------------------- the seed graph


def annotated_loads() -> dict[str, float]:
    """Weighted load of each unit as written in the annotation (name as written, per jurisdiction prefix)."""
    loads: dict[str, float] = {}
    for doc in ANNOTATED:
        for task in yaml.safe_load((ANNOTATIONS / f"{doc}.yaml").read_text("utf-8"))["tasks"]:
            leads = sum(u["role"] == "lead" for u in task["units"])
            joint = sum(u["role"] == "joint" for u in task["units"])
            for u in task["units"]:
                share = 1 / leads if u["role"] == "lead" else 0.3 if u["role"] == "support" else 1 / joint
                loads[u["name"]] = loads.get(u["name"], 0) + share
    return loads


def test_the_seed_ranking_puts_the_bureau_and_the_commission_on_top_with_their_annotated_loads(seed_services):
    rows = seed_services.overload(top=5)
    expected = annotated_loads()
    assert [r["name"] for r in rows[:2]] == ["浙江省大数据发展管理局", "浙江省发展和改革委员会"]
    assert rows[0]["load"] == pytest.approx(expected["省大数据局"])  # 14 leads + 11 supports × 0.3 = 17.3
    assert rows[1]["load"] == pytest.approx(expected["省发展改革委"])
    assert rows[0]["lead"] == 14 and rows[0]["support"] == 11 and rows[0]["documents"] == 2


def test_every_ranking_entry_carries_its_reasons_and_inputs(seed_services):
    for kind in ("agency", "group"):
        for r in seed_services.overload(top=1000, kind=kind):
            assert r["reasons"].startswith(("leads", "supports", "shares"))
            assert f"load {r['load']:g}" in r["reasons"]
            assert r["version"] and r["overload"] >= r["load"]


def test_collective_units_are_ranked_apart_from_agencies(seed_services):
    agencies = seed_services.overload(top=1000)
    groups = seed_services.overload(top=1000, kind="group")
    assert {r["kind"] for r in agencies} == {"agency"} and {r["kind"] for r in groups} == {"group"}
    assert "浙江省各设区市人民政府" in {r["name"] for r in groups}
    assert [r["rank"] for r in groups] == list(range(1, len(groups) + 1))


def test_results_are_stored_on_the_agency_nodes_with_version_and_parameters(seed_services):
    rows = seed_services.store.read(
        "MATCH (u:Agency {name: '浙江省大数据发展管理局'}) MATCH (a:Analytics) "
        "RETURN u.overload_rank, u.load, u.overload_reasons, u.analytics_version = a.version, a.params"
    ).rows
    rank, load, reason, current, params = rows[0]
    assert rank == 1 and load == pytest.approx(17.3) and reason[0].startswith("leads 14 tasks")
    assert current is True
    assert json.loads(params)["load"] == {"lead": 1.0, "support": 0.3, "joint": 1.0}


def test_loading_or_removing_a_document_updates_the_stored_metrics(fresh_services):
    bureau = "MATCH (u:Agency {name: '浙江省大数据发展管理局'}) RETURN u.load, u.analytics_version"
    fresh_services.load([SAMPLES / "000_bb281ce7d484c788.txt"])
    (only_000,) = fresh_services.store.read(bureau).rows
    fresh_services.load([SAMPLES / "001_8308b1ada969cea2.txt"])
    (both,) = fresh_services.store.read(bureau).rows
    fresh_services.remove("浙江省数字政府系统建设方案")
    (only_001,) = fresh_services.store.read(bureau).rows
    # 000: 3 supports × 0.3 = 0.9 ; 001: 14 leads + 8 supports × 0.3 = 16.4
    assert only_000[0] == pytest.approx(0.9)
    assert both[0] == pytest.approx(17.3)
    assert only_001[0] == pytest.approx(16.4)
    assert len({only_000[1], both[1], only_001[1]}) == 3


def test_api_and_cli_return_identical_rankings_for_identical_parameters(seed_services, seed_home):
    import warnings

    from dutygraph.api.app import create_app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    api = TestClient(create_app(seed_services.settings, seed_services), base_url="http://localhost")
    for cli_args, query in [([], {}), (["--year", "2019", "--top", "5"], {"year": 2019, "top": 5})]:
        result = CliRunner().invoke(cli, ["--home", str(seed_home), "overload", "--json", *cli_args])
        assert result.exit_code == 0, result.output
        assert json.loads(result.output) == api.get("/api/analytics/overload", params=query).json()


def test_compare_two_years_shows_load_gained_and_collaborations_that_appeared(seed_services):
    result = seed_services.compare("2019", "2021")
    gained = {c["name"]: c for c in result["gained"]}
    # 省科技厅 has no task in 2019 (001); in 2021 (000) it leads 1 and supports 3: 1 + 3 × 0.3 = 1.9.
    assert gained["浙江省科学技术厅"]["a"] == 0 and gained["浙江省科学技术厅"]["b"] == pytest.approx(1.9)
    lost = {c["name"] for c in result["lost"]}
    assert "浙江省档案局" in lost  # only in 2019
    assert ["浙江省商务厅", "浙江省科学技术厅"] in result["collaborations"]["appeared"]


# ---------------------------------------------------------------- the igraph engine beside networkx


def random_network(units: int, tasks: int, seed: int) -> nx.Graph:
    """A generated unit–task network: 1–5 units a task drawn with a skew (a few units are in
    many tasks), 1–2 leads or all joint, 0–2 deadlines; some units end up alone on their tasks."""
    rng = random.Random(seed)
    weights = [1 / (r + 1) for r in range(units)]
    assignments: dict[str, list[tuple[str, str]]] = {}
    dues: dict[str, tuple[str, ...]] = {}
    for t in range(tasks):
        members = list(dict.fromkeys(rng.choices([f"u{r:03d}" for r in range(units)], weights, k=rng.randint(1, 5))))
        leads = rng.randint(1, 2)
        joint = rng.random() < 0.1
        assignments[f"t{t:03d}"] = [
            (u, "joint" if joint else "lead" if i < leads else "support") for i, u in enumerate(members)
        ]
        months = sorted(rng.sample(range(1, 13), rng.randint(0, 2)))
        dues[f"t{t:03d}"] = tuple(f"2021-{m:02d}-28" for m in months)
    g = bipartite(assignments, dues)
    g.add_node("loner", node="unit", name="loner", kind="group")  # no task at all
    return g


HAND_MADE = {
    "chain": CHAIN,
    "weighted": WEIGHTED,
    "star": bipartite({f"t{i}": [("hub", "lead"), (f"leaf{i}", "support")] for i in range(4)}),
    "two teams": bipartite(
        {
            "x1": [("A", "lead"), ("B", "support"), ("C", "support")],
            "y1": [("D", "lead"), ("E", "support"), ("F", "support")],
            "bridge": [("B", "lead"), ("D", "support")],
        }
    ),
    "one agency": bipartite({"t1": [("A", "lead")]}),
    "generated": random_network(40, 80, seed=3),
}

# Louvain is the same method in two implementations: communities may differ, the rest may not.
COMMUNITY_KEYS = {"community", "communities_linked", "broker"}


def assert_engines_agree(bipartite_graph: nx.Graph, *, exact_limit: int | None = None, sample: int = 256) -> None:
    """Every function of the igraph engine against its networkx reference on one network."""
    network = fast.Network.from_bipartite(bipartite_graph)
    projection = collaboration_graph(bipartite_graph)
    links = fast.collaboration(network)
    assert links.unit_ids == list(projection) == units(bipartite_graph)
    ids, ends = links.unit_ids, zip(links.first.tolist(), links.second.tolist(), links.weight.tolist(), strict=True)
    pairs = {frozenset((ids[a], ids[b])): w for a, b, w in ends}
    assert pairs == {frozenset((a, b)): w for a, b, w in projection.edges(data="weight")}
    assert fast.role_counts(network) == role_counts(bipartite_graph)
    assert fast.documents_touched(network) == documents_touched(bipartite_graph)
    assert fast.weighted_load(network) == weighted_load(bipartite_graph)
    assert fast.deadline_crunch(network) == deadline_crunch(bipartite_graph)
    assert fast.degrees(links) == degrees(projection)
    by_networkx = betweenness(projection, exact_limit=exact_limit, sample=sample, seed=7)
    by_igraph = fast.betweenness(links, exact_limit=exact_limit, sample=sample, seed=7)
    assert (by_igraph.exact, by_igraph.sample) == (by_networkx.exact, by_networkx.sample)
    assert by_igraph.values == pytest.approx(by_networkx.values, abs=1e-12)
    assert fast.pagerank(links) == pytest.approx(pagerank(projection), abs=1e-9)
    # brokerage: the igraph partition, counted by both engines
    parts = fast.louvain(links)
    assert sorted(parts) == sorted(louvain(projection))
    assert fast.brokerage(links, parts) == brokerage(projection, parts)
    # and all together, rounded as stored
    params = AnalyticsParams(exact_betweenness_limit=exact_limit, betweenness_sample=sample)
    by_networkx_all, how = metrics_of(bipartite_graph, replace(params, engine="networkx"))
    by_igraph_all, how_igraph = metrics_of(bipartite_graph, replace(params, engine="igraph"))
    assert (how.engine, how_igraph.engine) == ("networkx", "igraph")
    assert list(by_igraph_all) == list(by_networkx_all)
    for unit, m in by_networkx_all.items():
        assert {k: v for k, v in by_igraph_all[unit].items() if k not in COMMUNITY_KEYS} == {
            k: v for k, v in m.items() if k not in COMMUNITY_KEYS
        }, unit


@pytest.mark.parametrize("name", list(HAND_MADE))
def test_the_igraph_engine_gives_the_networkx_values_on_hand_made_graphs(name):
    assert_engines_agree(HAND_MADE[name])


def test_sampled_betweenness_is_the_same_in_both_engines_beyond_the_exact_limit():
    # 104 units, 512 links: units × links is far above 1,000, so both engines
    # estimate from 16 sources — the same 16, drawn the way networkx draws them.
    g = random_network(120, 260, seed=5)
    result = fast.betweenness(fast.collaboration(fast.Network.from_bipartite(g)), exact_limit=1000, sample=16)
    assert result.exact is False and result.sample == 16
    assert_engines_agree(g, exact_limit=1000, sample=16)


def test_igraph_finds_the_two_teams_and_the_bridge_too():
    links = fast.collaboration(fast.Network.from_bipartite(HAND_MADE["two teams"]))
    parts = fast.louvain(links)
    assert parts["A"] == parts["B"] == parts["C"] != parts["D"] == parts["E"] == parts["F"]
    assert fast.brokerage(links, parts) == {"A": 0, "B": 1, "C": 0, "D": 1, "E": 0, "F": 0}
    assert fast.louvain(links) == parts  # seeded: the same communities every time


def test_the_network_from_query_rows_is_the_graph_from_them():
    # Two rows for A in t1 (two roles): networkx keeps one edge with the last role; so does the array form.
    columns = list(load_query("network_edges").columns)
    rows = [
        ["A", "甲", "agency", "浙江省", "t1", "任务一", "d1", "文一", "lead", False, "2021-06-30", ["2021-06-30"]],
        ["A", "甲", "agency", "浙江省", "t1", "任务一", "d1", "文一", "support", False, "2021-06-30", ["2021-06-30"]],
        ["A", "甲", "agency", "浙江省", "t2", "任务二", "d2", "文二", "lead", False, None, []],
        ["B", "乙", "group", None, "t1", "任务一", "d1", "文一", "lead", True, "2021-06-30", ["2021-06-30"]],
    ]
    edges = QueryResult(columns, rows)
    graph = bipartite_from_rows(edges)
    assert graph["A"]["t1"] == {"role": "support", "implicit": False}
    from_rows, from_graph = fast.Network.from_rows(edges), fast.Network.from_bipartite(graph)
    assert from_rows.unit_ids == from_graph.unit_ids == ["A", "B"]
    assert from_rows.jurisdictions == from_graph.jurisdictions == ["浙江省", ""]
    assert from_rows.assignments == from_graph.assignments == 3
    assert (
        fast.role_counts(from_rows)
        == role_counts(graph)
        == {
            "A": {"lead": 1, "support": 1, "joint": 0},
            "B": {"lead": 1, "support": 0, "joint": 0},
        }
    )
    assert fast.weighted_load(from_rows) == weighted_load(graph) == {"A": 1.3, "B": 1.0}
    assert fast.deadline_crunch(from_rows) == deadline_crunch(graph)


def test_an_empty_network_has_no_metrics_in_either_engine():
    empty = QueryResult([], [])  # what an empty store answers
    assert bipartite_from_rows(empty).number_of_nodes() == 0 and fast.Network.from_rows(empty).assignments == 0
    for engine in ("networkx", "igraph", "auto"):
        assert metrics_of(nx.Graph(), AnalyticsParams(engine=engine))[0] == {}


def test_both_engines_agree_on_the_seed_graph_and_rank_it_alike(seed_services):
    store = seed_services.store
    edges = network_edges(store)
    graph = bipartite_from_rows(edges)
    assert_engines_agree(graph)
    from_rows, from_graph = fast.Network.from_rows(edges), fast.Network.from_bipartite(graph)
    assert from_rows.unit_ids == from_graph.unit_ids
    for field_name in ("edge_unit", "edge_task", "edge_role", "task_doc"):
        assert (getattr(from_rows, field_name) == getattr(from_graph, field_name)).all()
    by_networkx = analytics.compute(store, AnalyticsParams(engine="networkx"))
    by_igraph = analytics.compute(store, AnalyticsParams(engine="igraph"))
    assert (by_networkx.engine, by_igraph.engine) == ("networkx", "igraph")
    assert by_networkx.betweenness_exact and by_igraph.betweenness_exact
    for kind in ("agencies", "groups"):
        top = [(e["id"], e["overload"]) for e in by_networkx.ranking[kind][:10]]
        assert [(e["id"], e["overload"]) for e in by_igraph.ranking[kind][:10]] == top
    for unit, m in by_networkx.metrics.items():
        assert {k: v for k, v in by_igraph.metrics[unit].items() if k not in COMMUNITY_KEYS} == {
            k: v for k, v in m.items() if k not in COMMUNITY_KEYS
        }


def test_auto_runs_networkx_on_small_networks_and_igraph_on_large_ones():
    g = HAND_MADE["generated"]
    assert metrics_of(g, AnalyticsParams())[1].engine == "networkx"
    assert metrics_of(g, AnalyticsParams(auto_max_assignments=10))[1].engine == "igraph"
    assert metrics_of(g, AnalyticsParams(engine="networkx"))[1].engine == "networkx"
    with pytest.raises(ValueError, match="engine"):
        AnalyticsParams(engine="graph-tool")


def test_the_seed_results_were_stored_with_the_engine_asked_for_and_the_one_that_ran(seed_services):
    seed_services.refresh_analytics()
    (params,) = seed_services.store.read("MATCH (a:Analytics) RETURN a.params").rows[0]
    assert json.loads(params)["engine"] == "auto" and json.loads(params)["engine_used"] == "networkx"


def test_changing_the_engine_recomputes_the_stored_results(fresh_services):
    fresh_services.load([SAMPLES / "001_8308b1ada969cea2.txt"])  # stored with the defaults
    store = fresh_services.store
    assert analytics.refresh(store) is None  # current
    result = analytics.refresh(store, AnalyticsParams(engine="igraph"))
    assert result is not None and result.engine == "igraph"
    stored = json.loads(analytics.stored_version(store)[1])
    assert (stored["engine"], stored["engine_used"]) == ("igraph", "igraph")
    assert analytics.refresh(store, AnalyticsParams(engine="igraph")) is None
    again = analytics.refresh(store, AnalyticsParams(engine="networkx"))
    assert again is not None and again.engine == "networkx"
    assert json.loads(analytics.stored_version(store)[1])["engine_used"] == "networkx"


@pytest.mark.parametrize(
    "filters",
    [{}, {"jurisdiction": "绍兴市"}, {"year": 2019}, {"level": "province"}],
    ids=["all", "jurisdiction", "year", "level"],
)
def test_the_paged_network_read_gives_the_rows_of_the_one_network_edges_query(seed_services, monkeypatch, filters):
    # Pages of three units and two documents: every page boundary is crossed many times.
    monkeypatch.setattr(network_module, "UNITS_PER_PAGE", 3)
    monkeypatch.setattr(network_module, "DOCUMENTS_PER_PAGE", 2)
    query = load_query("network_edges")
    whole = seed_services.store.read(query.cypher, query.bind(filters))
    paged = network_edges(seed_services.store, **filters)
    assert paged.columns == whole.columns
    dues = whole.columns.index("dues")

    def comparable(rows: list[list]) -> list[list]:  # a task's due dates come in the database's order
        return [[*row[:dues], sorted(row[dues])] for row in rows]

    assert len(paged.rows) == len(whole.rows) > 0
    assert comparable(paged.rows) == comparable(whole.rows)


def test_the_igraph_network_from_the_read_parts_equals_the_one_from_the_joined_rows(seed_services):
    parts = network_module.network_parts(seed_services.store)
    direct, joined = fast.Network.from_parts(parts), fast.Network.from_rows(parts.edges())
    for name in ("unit_ids", "names", "kinds", "jurisdictions", "months"):
        assert getattr(direct, name) == getattr(joined, name), name
    for name in ("edge_unit", "edge_task", "edge_role", "task_doc", "month_ptr", "month_code"):
        assert getattr(direct, name).tolist() == getattr(joined, name).tolist(), name
    assert direct.assignments > 300
