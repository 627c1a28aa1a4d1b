"""The Neo4j backend as far as this machine allows without a Neo4j server.

Its Cypher is proven valid by Neo4j's own front end (test_queries_lint.py); here
its Python code: backend selection, result conversion and failure handling.
The same query tests run against a live server when DUTYGRAPH_TEST_NEO4J_URL is
set (see the `backend_seed_services` fixture in conftest.py).
"""

from __future__ import annotations

import socket

import pytest
from neo4j.graph import Graph, Node, Relationship

from dutygraph.graph.store import StoreError, open_store
from dutygraph.graph.store.neo4j_store import Neo4jStore, plain
from dutygraph.services import build_payload
from dutygraph.settings import Settings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def unreachable() -> Neo4jStore:
    store = open_store(Settings(db=f"neo4j://127.0.0.1:{free_port()}", db_password="x", db_retry_seconds=0))
    yield store
    store.close()


def test_a_neo4j_url_selects_the_neo4j_backend(unreachable):
    assert isinstance(unreachable, Neo4jStore)
    assert unreachable.backend == "neo4j"
    assert unreachable.database is None  # Community edition's default database


def test_bolt_urls_select_the_neo4j_backend_and_unknown_schemes_are_refused():
    store = open_store(Settings(db="bolt://127.0.0.1:7687"))
    assert isinstance(store, Neo4jStore)
    store.close()
    with pytest.raises(StoreError, match="unknown database setting"):
        open_store(Settings(db="postgres://localhost"))


def test_an_unreachable_server_is_not_ready_and_reads_fail_with_a_store_error(unreachable):
    assert unreachable.ping() is False
    with pytest.raises(StoreError, match="unreachable"):
        unreachable.read("RETURN 1")


def test_writing_to_an_unreachable_server_fails_with_a_store_error(unreachable, seed_docs, registry):
    payload = build_payload(seed_docs["000_bb281ce7d484c788.txt"], registry)
    with pytest.raises(StoreError):
        unreachable.store_document(payload)


def test_nodes_and_relationships_become_maps_with_labels_type_and_properties():
    graph = Graph()
    node = Node(graph, "4:x:1", 1, ["Unit", "Agency"], {"name": "浙江省大数据发展管理局"})
    rel = Relationship(graph, "5:x:2", 2, {"role": "lead"})
    assert plain(node) == {"labels": ["Agency", "Unit"], "properties": {"name": "浙江省大数据发展管理局"}}
    assert plain([rel])[0]["properties"] == {"role": "lead"}
