"""Issue 14, item 4: a folder extracted by several worker processes gives what one process gives,
in the same order (so the store writes one document at a time, in order), bad files included."""

from __future__ import annotations

import shutil

from conftest import SAMPLES

from dutygraph.loaders.extract import Extractor
from dutygraph.loaders.pipeline import Failure, extract_paths


def outcomes(results) -> list:  # type: ignore[no-untyped-def]
    return [(r.path.name, r.reason) if isinstance(r, Failure) else r for r in results]


def test_two_worker_processes_yield_the_documents_one_process_yields_in_the_same_order(tmp_path):
    folder = tmp_path / "plans"
    folder.mkdir()
    for seed in sorted(SAMPLES.glob("*.txt")):
        shutil.copy(seed, folder / seed.name)
    (folder / "002_damaged.docx").write_bytes(b"PK\x03\x04 not a real archive")  # between the seeds
    extractor = Extractor()
    alone = outcomes(extract_paths([folder], extractor, workers=1))
    together = outcomes(extract_paths([folder], extractor, workers=2, parallel_min_bytes=0))
    assert len(alone) == 6 and sum(isinstance(r, tuple) for r in alone) == 1
    assert together == alone  # the same documents, every task and assignment, and the same failure, in order
    failure = next(r for r in together if isinstance(r, tuple))
    assert failure[0] == "002_damaged.docx" and failure[1]
