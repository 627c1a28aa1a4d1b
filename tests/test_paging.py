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
from dutygraph.queries import all_queries, load_query, statement
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
        "(t)-[:INVOLVES {role: 'support', position: 99, page_bucket: c.id + '|' + t.doc_id}]->(c)",
        {"unit": _busiest(services, counterpart=True)},
    )
    # ... and count them in the units' page_docs, as the write path counts a document's assignments.
    services.store.write(
        "MATCH (u:Unit) UNWIND u.doc_ids AS doc MATCH (d:Document {id: doc}) "
        "OPTIONAL MATCH (u)-[r:LEADS|SUPPORTS|SHARES]->(:Task {doc_id: doc}) "
        "WITH u, d, count(r) AS n "
        "WITH u, collect(coalesce(d.issued, '~') + '|' + toString(n) + '|' + d.id) AS entries "
        "SET u.page_docs = entries"
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
        "assignments_table": [
            {},
            {"agency": unit},
            {"agency": unit, "document": doc},
            {"due_after": "2021-06-01"},
            {"agency": unit, "due_after": "2021-01-01", "due_before": "2022-12-31"},
        ],
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


# ---------------------------------------------------------------- an agency's pages read by document


def _by_document(services: Services, unit: str, after: list[Any] | None = None) -> bool:
    """Whether a page of agency_tasks for ``unit`` (no filters) is read by document (queries/agency_tasks_page)."""
    bound = load_query("agency_tasks").bind({"agency": unit, "limit": 51, "after": after})
    return services._agency_page(bound) is not None


def _units_by_tasks(services: Services) -> list[str]:
    """Every assigned unit, the busiest first."""
    rows = services.store.read(
        "MATCH (u:Unit)-[:LEADS|SUPPORTS|SHARES]->(t:Task) RETURN u.id, count(t) AS n ORDER BY n DESC, u.id"
    ).rows
    return [row[0] for row in rows]


@pytest.fixture(scope="module")
def three_plans(tmp_path_factory, registry) -> Services:
    """Three synthetic plans of 1,000 tasks each, issued on different days."""
    home = tmp_path_factory.mktemp("three-plans")
    services = Services(embedded_settings(home))
    synthetic = _synthetic_graph_module()
    for seed in (4, 5, 6):
        for doc in synthetic.generate(1000, seed, registry):
            services.store.store_document(build_payload(doc, registry))
    yield services
    services.close()
    EmbeddedServer(home).stop()


def test_pages_of_an_agency_read_by_document_are_the_rows_of_the_whole_query(three_plans, tied):
    crossing = 0
    for services in (three_plans, tied):  # documents issued on different days, and all on one day
        units = _units_by_tasks(services)
        for unit in (units[0], units[len(units) // 2], units[-1]):  # busiest, median, rarest
            assert _by_document(services, unit)
            whole = services.query("agency_tasks", {"agency": unit}).records()
            for limit in (7, 120):
                paged = pages(services, "agency_tasks", {"agency": unit}, limit)
                assert [row for page in paged for row in page] == whole, (unit, limit)
                crossing += sum(len({row["doc_id"] for row in page}) > 1 for page in paged)
    assert crossing >= 4  # pages that end in one document and go on in the next


def test_a_document_stored_between_two_pages_keeps_the_next_page_in_order(fresh_services, registry):
    synthetic = _synthetic_graph_module()
    first, *_ = synthetic.generate(1000, 7, registry)
    fresh_services.store.store_document(build_payload(first, registry))
    unit = _units_by_tasks(fresh_services)[0]
    page = fresh_services.page("agency_tasks", {"agency": unit}, limit=50)
    last = page.rows[-1]
    # One plan issued before every stored one, one after: neither moves the rows after the cursor.
    for seed, issued in ((4, date(2000, 1, 1)), (14, date(2099, 1, 1))):
        doc = dataclasses.replace(next(iter(synthetic.generate(1000, seed, registry))), issued=issued)
        fresh_services.store.store_document(build_payload(doc, registry))
    assert _by_document(fresh_services, unit)
    whole = fresh_services.query("agency_tasks", {"agency": unit}).records()
    at = whole.index(last)
    following = fresh_services.page("agency_tasks", {"agency": unit}, limit=50, cursor=page.next)
    assert following.rows == whole[at + 1 : at + 51]
    assert following.total == len(whole) and len({r["doc_id"] for r in whole}) == 3


def test_a_unit_a_document_stored_before_page_buckets_names_is_paged_by_agency_tasks_itself(three_plans):
    services = three_plans
    unit = _units_by_tasks(services)[0]
    whole = services.query("agency_tasks", {"agency": unit}).records()
    old = whole[-1]["doc_id"]
    # What a document stored by EXTRACTOR_VERSION 6 left: no page bucket, no page_docs entry.
    forget = (
        "MATCH (t:Task {doc_id: $doc})-[i:INVOLVES]->(:Unit) SET i.page_bucket = null "
        "WITH DISTINCT $doc AS doc MATCH (u:Unit) WHERE doc IN u.doc_ids "
        "SET u.page_docs = [x IN u.page_docs WHERE NOT x ENDS WITH ('|' + doc)]"
    )
    saved = services.store.read("MATCH (u:Unit) RETURN u.id, u.page_docs").rows
    services.store.write(forget, {"doc": old})
    try:
        assert not _by_document(services, unit)
        paged = pages(services, "agency_tasks", {"agency": unit}, 120)
        assert [row for page in paged for row in page] == whole
    finally:
        services.store.write(
            "UNWIND $rows AS row MATCH (u:Unit {id: row[0]}) SET u.page_docs = row[1]", {"rows": saved}
        )
        services.store.write(
            "MATCH (t:Task {doc_id: $doc})-[i:INVOLVES]->(u:Unit) SET i.page_bucket = u.id + '|' + $doc", {"doc": old}
        )
    assert _by_document(services, unit)


def test_a_document_stored_again_keeps_one_page_entry_per_unit_and_removed_leaves_none(fresh_services, registry):
    store = fresh_services.store
    synthetic = _synthetic_graph_module()
    doc = next(iter(synthetic.generate(1000, 10, registry)))
    payload = build_payload(doc, registry)

    def entries() -> list[tuple[str, list[str]]]:
        rows = store.read("MATCH (u:Unit) RETURN u.id, u.page_docs, size(u.doc_ids) ORDER BY u.id").rows
        assert all(len(page_docs) == documents for _, page_docs, documents in rows)
        return [(uid, sorted(page_docs)) for uid, page_docs, _ in rows]

    def buckets() -> int:
        return store.read(
            "MATCH ()-[i:INVOLVES]->() WHERE i.page_bucket ENDS WITH $doc RETURN count(i)", {"doc": doc.id}
        ).rows[0][0]

    assert store.store_document(payload).action == "created"
    stored, assigned = entries(), buckets()
    assert assigned == payload.counts["assignments"] and len(stored) >= 10
    again = dataclasses.replace(  # the same document read again by another version: rewritten
        payload,
        fingerprint="again",
        params={
            **payload.params,
            "doc": {"id": doc.id, "props": {**payload.params["doc"]["props"], "fingerprint": "again"}},
        },
    )
    assert store.store_document(again).action == "replaced"
    assert entries() == stored and buckets() == assigned
    assert store.store_document(again).action == "unchanged"
    other = next(iter(synthetic.generate(1000, 11, registry)))
    store.store_document(build_payload(other, registry))
    store.remove_document(doc.id)
    assert buckets() == 0
    assert not [uid for uid, page_docs in entries() if any(x.endswith("|" + doc.id) for x in page_docs)]


def test_the_tails_of_agency_tasks_and_its_page_by_document_are_the_same_text():
    """agency_tasks_page gives agency_tasks' rows: everything from the per-row work down is one text."""
    marker = "// What costs per row"
    whole = (ROOT / "queries" / "agency_tasks.cypher").read_text()
    by_document = (ROOT / "queries" / "agency_tasks_page.cypher").read_text()
    assert whole[whole.index(marker) :] == by_document[by_document.index(marker) :]


def test_the_tails_of_assignments_table_and_its_answer_from_the_agency_are_the_same_text():
    """assignments_table_by_agency gives assignments_table's rows: from the document filter down, one text."""
    marker = "// due_first and due_last"
    whole = (ROOT / "queries" / "assignments_table.cypher").read_text()
    by_agency = (ROOT / "queries" / "assignments_table_by_agency.cypher").read_text()
    assert whole[whole.index(marker) :] == by_agency[by_agency.index(marker) :]


@pytest.mark.parametrize("graph", ["seed", "tied"])
def test_assignments_table_found_from_the_agency_has_the_rows_of_the_query_itself(graph, seed_services, request):
    """The services answer assignments_table with an agency from the unit (services.ANSWERED_FROM); run
    straight on the store, the named query and that statement give the same rows for every unit."""
    services = seed_services if graph == "seed" else request.getfixturevalue("tied")
    named, internal = load_query("assignments_table"), statement("assignments_table_by_agency")
    units = [row[0] for row in services.store.read("MATCH (u:Unit) RETURN u.id ORDER BY u.id").rows]
    doc = services.documents()[0]["doc_id"]
    compared = 0
    for unit in units:
        for extra in ({}, {"document": doc}, {"due_after": "2021-01-01", "due_before": "2022-12-31"}):
            bound = named.bind({"agency": unit, **extra})
            itself = services.store.read(named.cypher, bound)
            assert services.store.read(internal.cypher, bound).rows == itself.rows, (unit, extra)
            compared += len(itself.rows)
    assert compared > 100  # units with tasks were compared, not only empty answers
