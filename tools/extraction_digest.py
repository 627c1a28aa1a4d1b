#!/usr/bin/env python3
"""A SHA-256 of every document's extraction, so a speed change can prove the output unchanged.

    .venv/bin/python tools/extraction_digest.py FOLDER [FOLDER …]

Walks each folder as ``dutygraph load`` does (`iter_document_paths`: supported suffixes, sorted
path order, sidecars read with their document), runs ``Extractor().extract_file`` on every file and
prints one line per file, ``<sha256>  <path relative to its folder>``, then a last line
``<sha256>  TOTAL`` over all the lines before it.  The hash is of the canonical JSON of the whole
`Document` (``dutygraph.model.to_dict``: sections, tasks, assignments with their units, spans and
provenance, milestones, citations, warnings — everything the store is given), with sorted keys and
no whitespace.  A file that cannot be read hashes its error message instead, so a change in what is
refused shows too.  Run it before and after a change and compare the output (``diff``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

from dutygraph.loaders.pipeline import Extractor
from dutygraph.loaders.read import ReadError, iter_document_paths
from dutygraph.model import to_dict


def canonical(value: object) -> bytes:
    """The one byte form of a JSON-ready value: sorted keys, no spaces, characters as themselves."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def digests(folder: Path, extractor: Extractor) -> list[tuple[str, str]]:
    """(sha256, relative path) of every document under ``folder``, in sorted path order."""
    lines = []
    for path in iter_document_paths([folder]):
        try:
            payload: object = to_dict(extractor.extract_file(path))
        except ReadError as exc:
            payload = {"error": str(exc).replace(str(folder), "")}
        lines.append((hashlib.sha256(canonical(payload)).hexdigest(), str(path.relative_to(folder))))
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    args = parser.parse_args(argv)
    extractor = Extractor()
    total = hashlib.sha256()
    for folder in args.folders:
        for digest, rel in digests(folder.resolve(), extractor):
            line = f"{digest}  {rel}"
            print(line)
            total.update(line.encode("utf-8") + b"\n")
    print(f"{total.hexdigest()}  TOTAL")
    return 0


if __name__ == "__main__":
    sys.exit(main())
