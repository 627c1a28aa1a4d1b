"""The pictures and the planner page in a real browser: Debian's Chromium (headless, driven by
Playwright) against a real server over the seed graph plus a hostile document.

Every page is watched: no console error, no uncaught exception, no dialog, and no
request to anywhere but the test server (or, for a file written by ``dutygraph viz``,
to anywhere at all).  Expected numbers come from the graph through Cypher here, never
from the rendering code.  Screenshots go to ``artifacts/`` at the repository root.

Needs the Debian package ``chromium`` (``python3 run.py test`` installs it) and the
Python package ``playwright`` (its own browsers are not used and need not be installed).
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from urllib.parse import quote

import networkx as nx
import pytest
from conftest import ROOT, embedded_settings
from typer.testing import CliRunner

from dutygraph.api import pictures
from dutygraph.api.app import create_app
from dutygraph.api.cli import app as cli_app
from dutygraph.graph.store.embedded import EmbeddedServer
from dutygraph.services import Services

CHROMIUM = Path(os.environ.get("DUTYGRAPH_TEST_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = ROOT / "artifacts"
BUREAU = "浙江省大数据发展管理局"

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert(2)</script>"
SVG = "<svg/onload=alert(3)>"  # unit names lose their spaces; this one needs none
# alone after its label, a name must end like a unit (办, 局 …) to be read as one
IMG_NO_SPACE = "<img/src/onerror=alert(4)>办"
HOSTILE_TITLE = f"{SCRIPT}数据安全工作方案"
HOSTILE_DOC = f"""{HOSTILE_TITLE}

一、主要任务

1.建设{IMG}平台。完善平台功能，6月底前完成。

责任单位:{SVG}、省档案局、{SCRIPT}

2.推进{SCRIPT}数据共享。

牵头单位:{IMG_NO_SPACE}
责任单位:省商务厅、{IMG}
"""
HOSTILE_META = f"""title: "{HOSTILE_TITLE}"
doc_number: "浙{IMG}〔2023〕1号"
issued: 2023-01-05
year: 2023
jurisdiction: 浙江省
level: province
"""
ASSIGNS = "LEADS|SUPPORTS|SHARES"


# ---------------------------------------------------------------- the graph and the server


@pytest.fixture(scope="module")
def pages_services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    """Its own embedded graph: the five seed documents plus the hostile one."""
    home = tmp_path_factory.mktemp("pagesgraph")
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "hostile.txt").write_text(HOSTILE_DOC, "utf-8")
    (folder / "hostile.txt.meta.yaml").write_text(HOSTILE_META, "utf-8")
    services = Services(embedded_settings(home))
    report = services.load_samples()
    assert report.ok, report.failed
    report = services.load([folder])
    assert report.ok, report.failed
    yield services
    services.close()
    EmbeddedServer(home).stop()


@pytest.fixture(scope="module")
def server(pages_services: Services) -> Iterator[str]:
    """The real app under uvicorn on 127.0.0.1 (a free port), in a thread; yields its origin."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    app = create_app(pages_services.settings, pages_services, host="127.0.0.1")
    config = uvicorn.Config(app, log_level="warning", lifespan="off")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uv.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the test server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    uv.should_exit = True
    thread.join(10)
    sock.close()


# ---------------------------------------------------------------- the browser


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"Debian's Chromium is not installed at {CHROMIUM}: `apt-get install chromium` "
            "(python3 run.py test installs it), or set DUTYGRAPH_TEST_CHROMIUM to a Chromium binary",
            pytrace=False,
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the Python package playwright is missing: pip install -e '.[test]'", pytrace=False)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Watch:
    """What a page did: console errors, uncaught exceptions, dialogs and every request."""

    def __init__(self, page, allowed: str) -> None:  # type: ignore[no-untyped-def]
        self.allowed = allowed
        self.console: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        page.on("dialog", self._dialog)
        page.on("request", lambda request: self.requests.append(request.url))

    def _console(self, message) -> None:  # type: ignore[no-untyped-def]
        if message.type in ("error", "warning", "assert"):
            self.console.append(f"{message.type}: {message.text}")

    def _dialog(self, dialog) -> None:  # type: ignore[no-untyped-def]
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def assert_clean(self) -> None:
        assert not self.dialogs, f"a dialog opened (script injection): {self.dialogs}"
        assert not self.errors, f"uncaught exceptions: {self.errors}"
        assert not self.console, f"console errors: {self.console}"
        foreign = [url for url in self.requests if not url.startswith(self.allowed)]
        assert not foreign, f"requests to somewhere else than {self.allowed}: {foreign}"
        assert self.requests, "no request was seen at all"


@pytest.fixture
def page(browser, server):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.watch = Watch(page, server + "/")
    yield page
    try:
        page.watch.assert_clean()
    finally:
        context.close()


def settle(frame) -> None:  # type: ignore[no-untyped-def]
    """Wait until the network's layout is found and the physics switched off.

    (A selector, not wait_for_function: the pages' Content-Security-Policy forbids eval.)"""
    frame.locator("body[data-stabilized=true]").wait_for(state="attached")


def drawn(frame) -> dict:  # type: ignore[no-untyped-def]
    """The nodes and edges in the page's vis.js DataSets."""
    return frame.evaluate(
        """() => ({
            nodes: window.dutygraph.nodes.get().map(n => ({id: String(n.id), kind: n.kind, label: n.label,
                                                          title: n.title ? n.title.textContent : null})),
            edges: window.dutygraph.edges.get().map(e => ({from: String(e.from), to: String(e.to), role: e.role})),
            physics: window.dutygraph.network.physics.options.enabled,
        })"""
    )


def url(server: str, path: str) -> str:
    return server + quote(path, safe="/?=&")


# ---------------------------------------------------------------- expected numbers, from Cypher


def expected_ego(svc: Services, unit_id: str) -> tuple[set[str], set[tuple[str, str]]]:
    roles = expected_ego_roles(svc, unit_id)
    return {u for u, _ in roles} | {t for _, t in roles}, set(roles)


def expected_ego_roles(svc: Services, unit_id: str) -> dict[tuple[str, str], str]:
    rows = svc.store.read(
        f"MATCH (a:Unit {{id: $id}})-[:{ASSIGNS}]->(t:Task) WITH DISTINCT t "
        f"MATCH (u:Unit)-[r:{ASSIGNS}]->(t) RETURN u.id AS unit, t.id AS task, r.role AS role",
        {"id": unit_id},
    ).rows
    return {(u, t): role for u, t, role in rows}


def expected_document(svc: Services, doc_id: str) -> tuple[set[str], set[tuple[str, str]]]:
    rows = svc.store.read(
        f"MATCH (d:Document {{id: $id}})-[:HAS_TASK]->(t:Task)<-[:{ASSIGNS}]-(u:Unit) RETURN u.id, t.id",
        {"id": doc_id},
    ).rows
    return {u for u, _ in rows} | {t for _, t in rows}, {(u, t) for u, t in rows}


def expected_collaboration(
    svc: Services, doc_id: str | None = None, jurisdiction: str | None = None
) -> tuple[set[str], set[frozenset[str]]]:
    rows = svc.store.read(
        f"MATCH (d:Document)-[:HAS_TASK]->(t:Task)<-[:{ASSIGNS}]-(a:Agency) "
        "WHERE ($doc IS NULL OR d.id = $doc) AND ($j IS NULL OR d.jurisdiction = $j) "
        "RETURN t.id AS task, collect(DISTINCT a.id) AS agencies",
        {"doc": doc_id, "j": jurisdiction},
    ).rows
    nodes = {a for _, agencies in rows for a in agencies}
    pairs = {frozenset((a, b)) for _, agencies in rows for a in agencies for b in agencies if a != b}
    return nodes, pairs


def as_sets(picture: dict, *, bipartite: bool = True) -> tuple[set[str], set]:
    nodes = {n["id"] for n in picture["nodes"]}
    if bipartite:
        return nodes, set(unit_task_roles(picture))
    return nodes, {frozenset((e["from"], e["to"])) for e in picture["edges"]}


def unit_task_roles(picture: dict) -> dict[tuple[str, str], str]:
    """Drawn edges as (unit, task) → role."""
    tasks = {n["id"] for n in picture["nodes"] if n["kind"] == "task"}
    return {(e["to"], e["from"]) if e["from"] in tasks else (e["from"], e["to"]): e["role"] for e in picture["edges"]}


def unit_id(svc: Services, name: str) -> str:
    return svc.resolve_unit(name)["id"]


# ---------------------------------------------------------------- the three pictures


def test_ego_network_holds_the_agency_its_tasks_and_their_units_and_settles(page, server, pages_services):
    bureau = unit_id(pages_services, "省大数据局")
    want_nodes, want_edges = expected_ego(pages_services, bureau)
    page.goto(url(server, "/viz/agency/省大数据局"))
    settle(page)
    picture = drawn(page)
    got_nodes, got_edges = as_sets(picture)
    assert len(picture["nodes"]) == len(want_nodes) and len(picture["edges"]) == len(want_edges)
    assert got_nodes == want_nodes and got_edges == want_edges
    assert sum(n["kind"] == "task" for n in picture["nodes"]) == 25
    assert [n["id"] for n in picture["nodes"] if n["kind"] == "focus"] == [bureau]
    # Every edge carries the role its relationship has, drawn by colour and dash pattern.
    assert unit_task_roles(picture) == expected_ego_roles(pages_services, bureau)
    styles = page.evaluate(
        "() => window.dutygraph.edges.get().map(e => [e.role, e.color.color, JSON.stringify(e.dashes)])"
    )
    assert len({tuple(style) for style in styles}) == len({role for role, *_ in styles}) >= 2
    assert len({color for _, color, _ in styles}) == len({dashes for *_, dashes in styles})
    # The layout settled: physics is off and nothing moves any more.
    assert picture["physics"] is False
    before = page.evaluate("() => window.dutygraph.network.getPositions()")
    page.wait_for_timeout(800)
    assert page.evaluate("() => window.dutygraph.network.getPositions()") == before
    # A legend, with the three roles; Chinese labels as data.
    legend = page.locator("#legend").inner_text()
    assert "lead 牵头" in legend and "support 协同/配合" in legend and "joint 按职责分工负责" in legend
    assert any(n["label"] == "省大数据局" for n in picture["nodes"])
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "ego-network.png"))


def on_screen_label_px(frame) -> dict:  # type: ignore[no-untyped-def]
    """Each node's label height on screen, in CSS px (its font size times the zoom)."""
    return frame.evaluate(
        """() => {
            const scale = window.dutygraph.network.getScale();
            const out = {};
            window.dutygraph.nodes.get().forEach(n => {
                out[String(n.id)] = {kind: n.kind, px: (n.font ? n.font.size : 0) * scale};
            });
            return {scale: scale, nodes: out};
        }"""
    )


def wheel(page, steps: int, delta: int) -> None:  # type: ignore[no-untyped-def]
    """Turn the mouse wheel over the network: negative ``delta`` zooms in, positive out."""
    box = page.locator("#network").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    for _ in range(steps):
        page.mouse.wheel(0, delta)
        page.wait_for_timeout(30)


def test_labels_of_the_agency_and_the_busiest_units_stay_readable_when_the_view_is_zoomed_out(
    page, server, pages_services
):
    bureau = unit_id(pages_services, "省大数据局")
    page.goto(url(server, "/viz/agency/省大数据局"))
    settle(page)
    wheel(page, 12, 300)  # zoomed out far: every node drawn at well under half its size
    shown = on_screen_label_px(page)
    assert shown["scale"] < 0.5
    nodes = shown["nodes"]
    assert nodes[bureau]["px"] >= 15 - 0.01
    readable_units = [n for n in nodes.values() if n["kind"] in ("unit", "focus") and n["px"] >= 12 - 0.01]
    assert len(readable_units) == 12  # the busiest, the agency among them; the others wait for a zoom
    assert all(n["px"] == 0 or n["px"] >= 9 for n in nodes.values())  # nothing drawn too small to read
    # Zoomed back in, every label shows at its own size or larger.
    wheel(page, 24, -300)
    zoomed = on_screen_label_px(page)
    assert zoomed["scale"] > 1
    assert all(n["px"] >= 9 for n in zoomed["nodes"].values())


def test_task_tooltips_say_title_deadline_and_document_as_text(page, server, pages_services):
    page.goto(url(server, "/viz/agency/省大数据局"))
    settle(page)
    tooltips = {n["id"]: n["title"] for n in drawn(page)["nodes"] if n["kind"] == "task"}
    rows = pages_services.store.read(
        "MATCH (d:Document)-[:HAS_TASK]->(t:Task) WHERE t.id IN $ids RETURN t.id, t.title, t.due_last, d.title",
        {"ids": list(tooltips)},
    ).rows
    assert len(rows) == len(tooltips) == 25
    for task_id, title, due, document in rows:
        assert tooltips[task_id] == f"{title}\ndeadline: {due or 'no date'}\n《{document}》"
    assert any(due for _, _, due, _ in rows)


@pytest.mark.parametrize(
    ("query", "doc_key", "jurisdiction"),
    [
        ("", None, None),
        ("?jurisdiction=绍兴市", None, "绍兴市"),
        ("?document=浙政办发〔2019〕17号", "浙政办发〔2019〕17号", None),
    ],
)
def test_collaboration_network_holds_the_agencies_and_their_shared_tasks(
    page, server, pages_services, query, doc_key, jurisdiction
):
    doc_id = pages_services.document(doc_key)["doc_id"] if doc_key else None
    want_nodes, want_pairs = expected_collaboration(pages_services, doc_id, jurisdiction)
    page.goto(url(server, "/viz/network" + query))
    settle(page)
    picture = drawn(page)
    assert len(picture["nodes"]) == len(want_nodes) and len(picture["edges"]) == len(want_pairs)
    assert as_sets(picture, bipartite=False) == (want_nodes, want_pairs)
    assert "community" in page.locator("#legend").inner_text()


def test_collaboration_network_filters_by_document_from_its_form(page, server, pages_services):
    doc = pages_services.document("绍兴市加快推进数字政府建设实施方案")
    want_nodes, want_pairs = expected_collaboration(pages_services, doc["doc_id"])
    page.goto(server + "/viz/network")
    settle(page)
    with page.expect_navigation():
        page.select_option("#filters select[name=document]", doc["doc_id"])
    settle(page)
    picture = drawn(page)
    assert (len(picture["nodes"]), len(picture["edges"])) == (len(want_nodes), len(want_pairs))
    assert doc["title"] in page.locator("#subtitle").inner_text()


def test_document_network_holds_its_tasks_and_units(page, server, pages_services):
    doc = pages_services.document("绍兴市加快推进数字政府建设实施方案")
    want_nodes, want_edges = expected_document(pages_services, doc["doc_id"])
    page.goto(url(server, "/viz/document/绍兴市加快推进数字政府建设实施方案"))
    settle(page)
    picture = drawn(page)
    assert (len(picture["nodes"]), len(picture["edges"])) == (len(want_nodes), len(want_edges))
    assert as_sets(picture) == (want_nodes, want_edges)
    assert doc["title"] == page.locator("#title").inner_text()
    assert f"{doc['unassigned_tasks']} tasks of this document assign no unit" in page.locator(".note").inner_text()


def test_a_large_network_is_capped_with_folded_nodes_and_a_note(page, server, pages_services):
    want_nodes, _ = expected_collaboration(pages_services)
    page.goto(server + "/viz/network?max_nodes=20")
    settle(page)
    picture = drawn(page)
    assert len(picture["nodes"]) == 20
    (more,) = [n for n in picture["nodes"] if n["kind"] == "more"]
    assert more["label"] == f"… {len(want_nodes) - 19} more units"
    note = page.locator(".note").inner_text()
    assert f"Showing 20 of {len(want_nodes)} nodes" in note and "folded" in note

    # An ego network keeps the agency itself, folding units and tasks separately.
    page.goto(url(server, "/viz/agency/省大数据局?max_nodes=12"))
    settle(page)
    picture = drawn(page)
    kinds = sorted(n["kind"] for n in picture["nodes"])
    assert len(kinds) == 12 and kinds.count("focus") == 1 and kinds.count("more") == 2
    assert {n["label"].split()[-1] for n in picture["nodes"] if n["kind"] == "more"} == {"units", "tasks"}


def test_empty_pictures_still_settle_and_say_why(page, server, pages_services):
    (lonely,) = pages_services.store.read(
        f"MATCH (u:Unit) WHERE NOT (u)-[:{ASSIGNS}]->() RETURN u.id ORDER BY u.id LIMIT 1"
    ).rows[0]
    page.goto(server + f"/viz/agency/{lonely}")
    settle(page)
    assert [n["id"] for n in drawn(page)["nodes"]] == [lonely]
    assert "No task in the loaded documents assigns this unit." in page.locator(".note").inner_text()
    page.goto(url(server, "/viz/network?jurisdiction=杭州市"))
    settle(page)
    assert drawn(page)["nodes"] == [] and "Nothing to draw" in page.locator(".note").inner_text()


def test_unknown_names_are_404_problems(page, server):
    for path in ("/viz/agency/省不存在局", "/viz/document/nothing-here", "/viz/network?document=nothing-here"):
        response = page.request.get(url(server, path))
        assert response.status == 404 and response.headers["content-type"].startswith("application/problem+json")
    page.goto(server + "/healthz")


# ---------------------------------------------------------------- hostile documents


def test_a_hostile_document_stays_text_in_every_view_and_page(page, server, pages_services):
    svg_id, img_id = unit_id(pages_services, SVG), unit_id(pages_services, IMG_NO_SPACE)
    doc_id = pages_services.document(HOSTILE_TITLE)["doc_id"]
    task_1, task_2 = f"建设{IMG}平台", f"推进{SCRIPT}数据共享"
    views = {
        f"/viz/agency/{svg_id}": [task_1, SVG, SCRIPT, HOSTILE_TITLE],
        f"/viz/agency/{img_id}": [task_2, IMG_NO_SPACE],
        "/viz/network": [SVG, SCRIPT, IMG_NO_SPACE, task_1],
        f"/viz/document/{doc_id}": [task_1, task_2, SVG, SCRIPT, IMG_NO_SPACE],
    }
    for path, texts in views.items():
        page.goto(server + path)
        settle(page)
        picture = drawn(page)
        tooltips = "\n".join(n["title"] or "" for n in picture["nodes"]) + "\n".join(
            page.evaluate("() => window.dutygraph.edges.get().map(e => e.title ? e.title.textContent : '')")
        )
        for text in texts:
            assert text in tooltips, (path, text)
        assert page.evaluate("() => document.querySelectorAll('[onerror],[onload],img').length") == 0
        assert page.evaluate("() => document.querySelectorAll('script:not([nonce])').length") == 1  # the data
    assert any(label.startswith("建设<img") for label in (n["label"] for n in picture["nodes"]))

    # The page title and legend show the document's title as text.
    assert page.locator("#title").inner_text() == HOSTILE_TITLE
    assert HOSTILE_TITLE in page.locator("#legend").inner_text()

    # Hovering the hostile task shows its tooltip as text, not markup.
    task = next(n for n in drawn(page)["nodes"] if n["kind"] == "task" and n["label"].startswith("建设"))
    hover(page, task["id"])
    tooltip = page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible")
    assert f"建设{IMG}平台" in tooltip.inner_text()
    assert tooltip.locator("img, svg, script").count() == 0

    # The planner page: the agency's name, its tasks and clauses, the documents table.
    page.goto(server + "/?q=" + quote(SVG, safe=""))
    assert page.locator("#agency").inner_text().startswith(SVG)
    assert f"建设{IMG}平台" in page.locator("#tasks").inner_text()
    assert SCRIPT in page.locator("#tasks").inner_text()
    assert HOSTILE_TITLE in page.locator("#documents").inner_text()
    settle(page.frame_locator("#ego"))
    assert page.evaluate("() => document.querySelectorAll('[onerror],[onload],img').length") == 0
    page.goto(server + "/?q=" + quote(IMG_NO_SPACE, safe=""))
    assert page.locator("#agency").inner_text().startswith(IMG_NO_SPACE)
    settle(page.frame_locator("#ego"))
    page.watch.assert_clean()  # above all: no dialog opened


def hover(page, node_id: str) -> None:  # type: ignore[no-untyped-def]
    point = page.evaluate(
        """id => {
            const network = window.dutygraph.network;
            const p = network.canvasToDOM(network.getPositions([id])[id]);
            const box = document.getElementById("network").getBoundingClientRect();
            return {x: box.left + p.x, y: box.top + p.y};
        }""",
        node_id,
    )
    page.mouse.move(point["x"] - 20, point["y"] - 20)
    page.mouse.move(point["x"], point["y"], steps=4)


# ---------------------------------------------------------------- the planner page


@pytest.mark.parametrize("name", ["省大数据局", "省大數據局"])
def test_planner_search_finds_the_agency_and_shows_its_tasks_beside_its_network(page, server, pages_services, name):
    bureau = unit_id(pages_services, "省大数据局")
    page.goto(server + "/")
    page.fill("#q", name)
    with page.expect_navigation():
        page.press("#q", "Enter")
    assert page.locator("#agency").inner_text().startswith(BUREAU)
    rows = page.locator("#tasks tbody tr")
    assert rows.count() == 25
    _, tasks = pages_services.agency_tasks("省大数据局")
    assert [rows.nth(i).get_attribute("data-task") for i in range(25)] == [t["task_id"] for t in tasks]
    # in Chinese: the page is for Chinese planners (English: test_planner_speaks_english_when_asked)
    assert page.locator("#tasks thead").inner_text().split() == [
        "角色",
        "文件",
        "章节",
        "任务",
        "完成时限",
        "合作单位",
        "分工原文",
    ]
    clause = rows.first.locator("td.clause a")
    assert clause.get_attribute("href") == f"/api/tasks/{tasks[0]['task_id']}"
    assert page.request.get(server + clause.get_attribute("href")).json()["task_id"] == tasks[0]["task_id"]

    # Beside the table: the agency's network, complete.
    ego = page.frame_locator("#ego")
    settle(ego)
    frame = next(f for f in page.frames if "/viz/agency/" in f.url)
    want_nodes, want_edges = expected_ego(pages_services, bureau)
    picture = drawn(frame)
    assert (len(picture["nodes"]), len(picture["edges"])) == (len(want_nodes), len(want_edges))

    # The most loaded agencies with reasons, the unassigned tasks, the exports.
    assert page.locator("#overloaded tbody tr").count() == 10
    assert all(r.strip() for r in page.locator("#overloaded td ul.reasons").all_inner_texts())
    unassigned = pages_services.query("unassigned_tasks").records()
    assert page.locator("#unassigned tbody tr").count() == len(unassigned) > 0
    for export in ("assignments.xlsx", "assignments.csv", "graph.graphml", "graph.gexf"):
        link = page.locator(f'#exports a[href="/api/export/{export}"]')
        assert link.count() == 1
        assert page.request.get(server + link.get_attribute("href")).status == 200

    if name == "省大数据局":
        page.wait_for_timeout(300)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "planner.png"))


def test_planner_speaks_english_when_asked(page, server):
    page.goto(server + "/?lang=en&q=" + quote("省大数据局"))
    assert set(page.locator("#tasks thead").inner_text().split()) >= {"Role", "Document", "Task", "Clause"}
    assert page.locator("html").get_attribute("lang") == "en"
    with page.expect_navigation():
        page.click("#language")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.locator("#agency").inner_text().startswith(BUREAU)


def test_planner_filters_narrow_an_agency_tasks_by_role_document_and_deadline(page, server, pages_services):
    page.goto(server + "/?q=" + quote("省大数据局"))
    page.select_option("#f-role", "lead")
    doc = pages_services.document("浙政办发〔2019〕17号")
    page.select_option("#f-document", doc["doc_id"])
    page.fill("#f-due", "2019-06-30")
    with page.expect_navigation():
        page.click("#search button[type=submit]")
    _, want = pages_services.agency_tasks("省大数据局", role="lead", document=doc["doc_id"], due_before="2019-06-30")
    rows = page.locator("#tasks tbody tr")
    assert 0 < rows.count() == len(want)
    assert [rows.nth(i).get_attribute("data-task") for i in range(rows.count())] == [t["task_id"] for t in want]
    assert set(page.locator("#tasks tbody td.role-lead").all_inner_texts()) == {"牵头"}
    # the overload table shows the score it is ranked by
    scores = [float(x) for x in page.locator("#overloaded td.score").all_inner_texts()]
    assert scores == sorted(scores, reverse=True) and len(scores) == 10


def test_unassigned_tasks_show_their_suggested_lead_and_open_as_a_task_page(page, server, pages_services):
    page.goto(server + "/")
    suggested = pages_services.suggestions(top=2)
    (first,) = [
        r for r in suggested if r["task_id"] == page.locator("#unassigned tbody tr").first.get_attribute("data-task")
    ]
    cell = page.locator("#unassigned tbody tr").first.locator("td.suggested")
    assert cell.inner_text().startswith(first["leads"][0]["name"])
    with page.expect_navigation():
        page.locator("#unassigned tbody tr").first.locator("a.task-link").click()
    assert page.url.endswith(f"/tasks/{first['task_id']}")
    detail = pages_services.task_suggestions(first["task_id"])
    leads = page.locator("#suggestions .suggestion[data-role=lead]")
    assert leads.count() == len(detail["leads"]) > 0
    assert detail["leads"][0]["unit"] in leads.first.inner_text()
    reasons = leads.first.locator("li")
    assert reasons.count() == len(detail["leads"][0]["reasons"])
    assert detail["leads"][0]["reasons"][0]["clause"] in reasons.first.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "task-suggestions.png"), full_page=True)


def test_a_task_page_shows_its_clause_provenance_units_and_history(page, server, pages_services):
    # 000's 打造生态环境保护综合协同管理应用 continues 001's 建设生态环境保护综合协同管理平台 (both 省生态环境厅)
    (task,) = pages_services.tasks("打造生态环境保护综合协同管理应用")
    page.goto(server + f"/tasks/{task['task_id']}")
    detail = pages_services.task(task["task_id"])
    assert page.locator("#task-title").inner_text() == f"{detail['number']} {detail['title']}"
    assert "浙江省数字政府系统建设方案" in page.locator("#provenance").inner_text()
    assert f"{detail['start']}–{detail['end']}" in page.locator("#provenance").inner_text()
    assert (detail["clause_display"] or detail["clause"]) in page.locator("#clause").inner_text()
    assert page.locator("#units tbody tr").count() == len(detail["units"])
    history = page.locator("#history tbody tr")
    assert history.count() >= 2
    assert "建设生态环境保护综合协同管理平台" in history.first.inner_text() and "2019" in history.first.inner_text()
    assert "text similarity" in history.nth(1).inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "task-history.png"), full_page=True)


def test_the_calendar_shows_an_agency_steps_month_by_month_with_the_overdue_marked(page, server, pages_services):
    page.goto(server + "/calendar?today=2019-06-10&agency=" + quote("省大数据局"))
    _, steps = pages_services.milestones(agency="省大数据局", today=date(2019, 6, 10))
    months = page.locator("section.month")
    assert [months.nth(i).get_attribute("data-month") for i in range(months.count())] == sorted(
        {s["due"][:7] for s in steps}
    )
    assert page.locator("tr.step").count() == len(steps)
    overdue = [s for s in steps if s["due"] < "2019-06-10"]
    assert page.locator("tr.step[data-status=overdue]").count() == len(overdue) > 0
    assert set(page.locator("tr.step[data-status=overdue] td.status-overdue").all_inner_texts()) == {"已逾期"}
    ics = page.request.get(server + page.locator("#ics").get_attribute("href"))
    assert ics.status == 200 and ics.headers["content-type"].startswith("text/calendar")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "calendar.png"), full_page=True)


def test_planner_suggests_agency_names_while_typing(page, server):
    page.goto(server + "/")
    page.locator("#q").press_sequentially("大數據", delay=30)
    options = page.locator("#agency-names option")
    options.first.wait_for(state="attached")
    values = {options.nth(i).get_attribute("value") for i in range(options.count())}
    assert BUREAU in values and "绍兴市大数据发展管理局" in values


def test_planner_lists_candidates_for_an_unknown_name(page, server):
    page.goto(server + "/?q=" + quote("省不存在局"))
    assert "省不存在局" in page.locator("#error").inner_text()
    assert page.locator("#tasks").count() == 0


# ---------------------------------------------------------------- files written by `dutygraph viz`


def test_viz_files_work_offline_with_nothing_fetched(browser, pages_services, tmp_path):
    bureau = unit_id(pages_services, "省大数据局")
    doc = pages_services.document("浙政办发〔2019〕17号")
    cli = ["--home", str(pages_services.settings.home), "viz"]
    commands = {
        "ego.html": ([*cli, "省大數據局", "-o"], expected_ego(pages_services, bureau)),
        "net.html": ([*cli, "--network", "-o"], expected_collaboration(pages_services)),
        "doc.html": (
            [*cli, "--document", "浙政办发〔2019〕17号", "-o"],
            expected_document(pages_services, doc["doc_id"]),
        ),
    }
    for name, (command, (want_nodes, want_edges)) in commands.items():
        out = tmp_path / name
        done = CliRunner().invoke(cli_app, [*command, str(out)])
        assert done.exit_code == 0, done.output
        assert f"{len(want_nodes)} nodes, {len(want_edges)} links" in done.output

        context = browser.new_context(viewport={"width": 1200, "height": 800})
        page = context.new_page()
        watch = Watch(page, out.as_uri())
        page.goto(out.as_uri())
        settle(page)
        picture = drawn(page)
        context.close()
        assert (len(picture["nodes"]), len(picture["edges"])) == (len(want_nodes), len(want_edges))
        watch.assert_clean()
        assert watch.requests == [out.as_uri()]


def test_a_viz_file_refers_to_nothing_outside_itself(pages_services):
    html = pictures.render(pictures.network_view(pages_services))
    styles = "".join(re.findall(r"<style>(.*?)</style>", html, flags=re.S))
    markup = re.sub(r"<(script|style)\b[^>]*>.*?</\1>", "", html, flags=re.S)
    references = re.findall(r"""\b(?:src|href|action)\s*=\s*["']([^"']*)["']""", markup)
    assert references and all(r.startswith("data:") for r in references), references
    assert all(u.strip("'\"").startswith("data:") for u in re.findall(r"url\(([^)]*)\)", styles))
    assert "@import" not in styles and not re.search(r"<script[^>]*\bsrc\s*=", html)
    assert "bootstrap" not in html.lower() and "cdnjs" not in html.lower() and "jsdelivr" not in html.lower()


def test_script_data_cannot_break_out_of_its_script_element():
    graph = nx.Graph()
    graph.add_node("u", node="unit", kind="agency", name=f"</script>{SCRIPT}<!--", tasks=1, leads=1)
    graph.add_node("t", node="task", name=f"</SCRIPT >{IMG}", doc_id="d", document="&amp;")
    graph.add_edge("u", "t", role="lead")
    net = pictures._bipartite_network(graph, [{"doc_id": "d", "title": "d"}])
    picture = pictures.Picture("document", f"</title>{SCRIPT}", IMG, net, [{"type": "text", "label": IMG}])
    html = pictures.render(picture, assets="/static")
    data = html.split('<script type="application/json" id="graph-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data and ">" not in data and "&" not in data
    assert "alert" in data  # the text is there, escaped
    body = html.split("<body", 1)[1]
    assert SCRIPT not in body and IMG not in body
    assert body.count("<script") == 2  # the data and the page's own script, nothing injected


def test_api_docs_render_offline_with_the_network_closed_to_all_but_the_server(browser, server):
    """/docs (Swagger UI) draws the API with every request to anywhere but the test server refused:
    its script and style sheet are served by the app, not by a CDN."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    refused: list[str] = []

    def only_the_server(route) -> None:  # type: ignore[no-untyped-def]
        if route.request.url.startswith(server + "/"):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    context.route("**/*", only_the_server)
    try:
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.goto(server + "/docs")
        page.locator(".swagger-ui .info .title").filter(has_text="dutygraph").wait_for()
        page.locator(".opblock-summary-path", has_text="/api/agencies/{name}/tasks").first.wait_for()
        assert page.locator(".opblock").count() >= 20
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "api-docs.png"))
        assert refused == []
    finally:
        context.close()
