"""docs/architecture.md's path of one document is the one a document really takes.

``tools/document_path.py`` loads one seed document into a fresh embedded FalkorDB, asks
``GET /api/agencies/省大数据局/tasks`` of the real app and records the package modules whose functions
ran; every file the document's section of docs/architecture.md names must be among them.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARCHITECTURE = ROOT / "docs" / "architecture.md"


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("document_path", ROOT / "tools" / "document_path.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def traced():
    return _tool().trace()


@pytest.fixture(scope="module")
def answer_path():
    """The path without the analytics refresh, which recomputes the whole graph and does not feed the answer."""
    return _tool().trace(analytics=False)


def _files_the_doc_names_on_the_path() -> set[str]:
    text = ARCHITECTURE.read_text("utf-8")
    section = text.split("## One document, from its file to an HTTP answer", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"`((?:api|dutygraph|graph|loaders|queries)/[\w/]+\.py)`", section))
    # the analytics step names its modules by file name within graph/analytics/
    step = section.split("**Refresh the analytics**", 1)[1].split("\n8. ", 1)[0]
    named |= {f"graph/analytics/{m}" for m in re.findall(r"`(\w+\.py)`", step)}
    return named


def test_the_path_runs_through_the_reader_the_pipeline_the_store_and_the_route(traced):
    """The trace sees both phases and the threads the app answers in."""
    load, answer = traced.phases["load"], traced.phases["answer"]
    assert {"loaders/read/text.py", "loaders/pipeline.py", "graph/store/writes.py"} <= set(load)
    assert {"api/routes/agencies.py", "dutygraph/services.py", "graph/store/base.py"} <= set(answer)


def test_every_file_the_architecture_page_names_on_the_path_is_passed_through(traced):
    named = _files_the_doc_names_on_the_path()
    assert len(named) > 30  # the section is read, not skipped
    assert sorted(named - set(traced.files)) == []


def test_the_document_passes_through_fewer_than_27_modules_on_its_way_to_the_answer(answer_path):
    assert len(answer_path.files) < 27, answer_path.files


def test_the_architecture_page_names_every_module_the_document_passes_through(answer_path):
    assert sorted(set(answer_path.files) - _files_the_doc_names_on_the_path()) == []
