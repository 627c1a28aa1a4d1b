"""Keyset paging in the store: for every paged query, the rows page after page are the rows of the
whole query, in its order — on the seed graph and on a synthetic graph whose sort keys tie (documents
issued the same day under the same title, a task listed twice for an agency and its counterpart)."""

from __future__ import annotations

import dataclasses
import importlib.util
import sys
from collections import Counter
from datetime import date
from typing import Any

import pytest
from conftest import ROOT, embedded_settings

from dutygraph.errors import BadArgument
from dutygraph.graph.store.embedded import EmbeddedServer
from dutygraph.queries import all_queries
from dutygraph.services import Services, build_payload, encode_cursor

PAGE = {"seed": 7, "tied": 120}  # rows per page: every query spans several pages, in a few queries


def _synthetic_graph_module() -> Any:
    """benchmarks/synthetic_graph.py, the generator the store benchmarks build their graphs with."""
    folder = ROOT / "benchmarks"
    sys.path.insert(0, str(folder))  # it imports its neighbour machine.py
    try:
        spec = importlib.util.spec_from_file_location("synthetic_graph", folder / "synthetic_graph.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules["synthetic_graph"] = module  # its dataclasses look their module up there
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(folder))


@pytest.fixture(scope="module")
def tied(tmp_path_factory, registry) -> Services:
    """Two synthetic corpora in one graph, every document issued on one day under one title."""
    home = tmp_path_factory.mktemp("tied")
    services = Services(embedded_settings(home))
    synthetic = _synthetic_graph_module()
    for seed in (1, 2):
        for doc in synthetic.generate(1000, seed, registry):
            same = dataclasses.replace(doc, issued=date(2021, 3, 1), title="关于并列排序的实施方案")
            services.store.store_document(build_payload(same, registry))
    # The synthetic plans never give a task to a unit and its counterpart both: make 300 such tasks, so
    # that agency_tasks with counterparts lists them twice, under one (issued, document, ordinal).
    services.store.write(
        "MATCH (u:Unit {id: $unit})-[:COUNTERPART_OF]-(c:Unit) MATCH (u)-[:LEADS]->(t:Task) "
        "WITH c, t ORDER BY t.id LIMIT 300 "
        "CREATE (c)-[:SUPPORTS {role: 'support', unit_id: c.id, task_id: t.id, position: 99}]->(t), "
        "(t)-[:INVOLVES {role: 'support', position: 99}]->(c)",
        {"unit": _busiest(services, counterpart=True)},
    )
    yield services
    services.close()
    EmbeddedServer(home).stop()


def _busiest(services: Services, counterpart: bool = False) -> str:
    """The unit with the most tasks (with ``counterpart``: of those that have a counterpart)."""
    rows = services.store.read(
        "MATCH (u:Unit)-[:LEADS|SUPPORTS|SHARES]->(t:Task) "
        + ("WHERE (u)-[:COUNTERPART_OF]-(:Unit) " if counterpart else "")
        + "RETURN u.id, count(t) AS n ORDER BY n DESC, u.id LIMIT 1"
    ).rows
    return rows[0][0]


def cases(services: Services) -> dict[str, list[dict[str, Any]]]:
    """Parameters for every paged query (a paged query without any here fails the test below)."""
    unit = _busiest(services)
    twin = _busiest(services, counterpart=True)
    doc = services.documents()[0]["doc_id"]
    return {
        "agency_tasks": [
            {"agency": unit},
            {"agency": twin, "counterparts": True},
            {"agency": unit, "role": "support"},
            {"agency": unit, "due_after": "2021-06-01"},
            {"agency": unit, "due_after": "2021-01-01", "due_before": "2022-12-31"},
        ],
        "agency_collaborators": [{"agency": unit}],
        "assignments_table": [{}, {"agency": unit, "document": doc}],
        "carried_over": [{}],
        "documents": [{}],
        "milestones_due": [{}, {"agency": unit, "due_after": "2021-01-01"}],
        "search_tasks": [{"q": ""}, {"q": "推进"}],
        "search_units": [{"q": ""}, {"q": "局"}],
        "tasks_due": [{}],
        "tasks_only_groups": [{}],
        "tasks_with_open_lists": [{}],
        "tasks_with_several_leads": [{}],
        "unassigned_tasks": [{}, {"q": "推进"}],
    }


def pages(services: Services, name: str, params: dict[str, Any], limit: int) -> list[list[dict[str, Any]]]:
    """Every page of a paged query, following each page's cursor; each page's total is checked."""
    found, cursor, total = [], None, None
    while True:
        page = services.page(name, params, limit=limit, cursor=cursor)
        assert total is None or page.total == total
        total = page.total
        found.append(page.rows)
        if page.next is None:
            assert sum(len(p) for p in found) == total
            return found
        assert len(page.rows) == limit
        cursor = page.next


def test_every_paged_query_has_cases_here(seed_services):
    paged = {name for name, q in all_queries().items() if q.paged}
    assert paged == set(cases(seed_services))
    assert {"agency_tasks", "documents", "search_tasks", "search_units", "unassigned_tasks"} <= paged


@pytest.mark.parametrize("graph", ["seed", "tied"])
def test_rows_page_after_page_equal_the_whole_query(graph, seed_services, request):
    services = seed_services if graph == "seed" else request.getfixturevalue("tied")
    spanning = 0
    for name, param_sets in cases(services).items():
        for params in param_sets:
            whole = services.query(name, params).records()
            paged = pages(services, name, params, PAGE[graph])
            assert [row for page in paged for row in page] == whole, (name, params)
            spanning += len(paged) > 1
    assert spanning >= 10  # most cases span several pages: the cursors were followed


def test_the_tied_graph_ties_in_the_sort_orders_it_pages(tied):
    docs = tied.documents()
    assert len(docs) >= 2 and len({(d["issued"], d["document"]) for d in docs}) == 1
    _, both = tied.agency_tasks(_busiest(tied, counterpart=True), counterparts=True)
    assert max(Counter(r["task_id"] for r in both).values()) == 2  # one task, for the agency and its counterpart
    counts = Counter(u["tasks"] for u in tied.search_units(""))
    assert max(counts.values()) > 1  # units with as many tasks as each other


def test_a_page_counts_the_whole_result_and_offset_still_skips_rows(seed_services):
    unit = _busiest(seed_services)
    whole = seed_services.query("agency_tasks", {"agency": unit}).records()
    page = seed_services.page("agency_tasks", {"agency": unit}, limit=5, offset=4)
    assert page.total == len(whole) and page.rows == whole[4:9]
    assert "page_key" not in page.rows[0] and "page_key" not in whole[0]


def test_a_cursor_of_another_query_or_made_up_is_refused_with_one_line(seed_services):
    unit = _busiest(seed_services)
    other = encode_cursor("documents", ["2021-01-01", "x", "doc"])
    for cursor in (other, "not-a-cursor", encode_cursor("agency_tasks", [{"a": 1}])):
        with pytest.raises(BadArgument, match="is not one a page of agency_tasks gave"):
            seed_services.page("agency_tasks", {"agency": unit}, limit=5, cursor=cursor)


def test_every_page_streams_every_row_in_order(seed_services):
    whole = seed_services.query("search_tasks", {"q": ""}).records()
    assert len(whole) > 20
    assert list(seed_services.every_page("search_tasks", {"q": ""}, size=6)) == whole


def follow(client, url: str, params: dict[str, Any], rows: str) -> list[dict[str, Any]]:
    """Every row of a paged API list, following its `next` links; each page's total is the same."""
    body = client.get(url, params=params).json()
    found, total = list(body[rows]), body["total"]
    while body["next"]:
        body = client.get(body["next"]).json()
        assert body["total"] == total
        found += body[rows]
    assert len(found) == total
    return found


def test_the_api_next_links_page_through_the_whole_list(seed_services):
    from test_api import client_for

    client = client_for(seed_services)
    whole = seed_services.agency_tasks("省大数据局")[1]
    assert len(whole) > 6
    assert follow(client, "/api/agencies/省大数据局/tasks", {"limit": 4}, "items") == whole
    tasks = seed_services.query("search_tasks", {"q": "推进"}).records()
    assert len(tasks) > 10
    assert follow(client, "/api/queries/search_tasks", {"q": "推进", "limit": 10}, "rows") == tasks
    listed = {q["name"]: q["paged"] for q in client.get("/api/queries", params={"limit": 100}).json()["items"]}
    assert listed["agency_tasks"] and not listed["find_units"]
