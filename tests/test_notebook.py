"""notebooks/explore.ipynb runs from top to bottom, and its outputs say what they should."""

from __future__ import annotations

import os

import nbformat
import pytest
from conftest import ROOT
from nbclient import NotebookClient

from dutygraph.graph.store.embedded import EmbeddedServer


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    home = tmp_path_factory.mktemp("notebook")
    notebook = nbformat.read(ROOT / "notebooks" / "explore.ipynb", as_version=4)
    # The kernel inherits this process's environment: point the notebook at a data directory of its own.
    os.environ["DUTYGRAPH_HOME"] = str(home)
    try:
        NotebookClient(
            notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
        ).execute()
    finally:
        del os.environ["DUTYGRAPH_HOME"]
        EmbeddedServer(home).stop()
    return [c for c in notebook.cells if c.cell_type == "code"]


def text_of(cell) -> str:
    parts = []
    for out in cell.outputs:
        parts.append(out.get("text", ""))
        parts.append(out.get("data", {}).get("text/plain", ""))
        parts.append(out.get("data", {}).get("text/html", ""))
    return "".join(parts)


def test_every_cell_runs_without_error(executed):
    for cell in executed:
        assert not [o for o in cell.outputs if o.output_type == "error"], text_of(cell)


def test_the_corpus_is_loaded(executed):
    assert "5 documents in the graph" in text_of(executed[0])
    assert "绍兴市加快推进数字政府建设实施方案" in text_of(executed[0])


def test_the_bureau_touches_its_25_tasks(executed):
    out = text_of(executed[1])
    assert "浙江省大数据发展管理局 touches 25 tasks" in out
    assert "加快建设统一行政执法监管系统" in out


def test_the_overload_table_lists_the_bureau_first_with_its_reasons(executed):
    out = text_of(executed[2])
    assert out.index("浙江省大数据发展管理局") < out.index("浙江省发展和改革委员会")
    assert "leads 14 tasks" in out


def test_the_chart_is_drawn_with_a_chinese_font(executed):
    cell = executed[3]
    assert any("image/png" in o.get("data", {}) for o in cell.outputs)
    assert "chart font: ['WenQuanYi" in text_of(cell)


def test_the_network_is_inline_and_self_contained(executed):
    out = text_of(executed[4])
    assert "nodes," in out and "<iframe srcdoc=" in out
    assert "vis.Network" in out.replace("&quot;", '"') or "vis-network" in out
    assert "https://" not in out.split("srcdoc=")[1].split("vis-network")[0]  # no CDN before the inlined library
