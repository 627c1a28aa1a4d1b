"""Archive formats benchmark (issue 15): seconds per file of each conversion and per page of
OCR, beside the text-layer PDF reader on the same pages, and the two OCR engines compared on
accuracy (unit names, triples), speed and install size.

    .venv/bin/python benchmarks/bench_formats.py [--repeats 3] [--out benchmarks/out/formats.json]

The plan is the test suite's 江苏 plan (``tests/jiangsu_plan.py``, two printed pages), made in
every format by the test makers (``tests/archivemakers.py``).  Timed per call, best and median
of ``--repeats``:

* readers: text-layer PDF (pdfplumber), .docx, .doc and .wps through LibreOffice, through
  antiword and through catdoc (LibreOffice hidden by a ``PATH`` holding only that program),
  .xls (python-calamine), .xlsx (openpyxl), .ofd (ofdkit);
* OCR per page, on the notice page (red head, seal), the plan page, and a photo of the plan
  page (turned 1.5°, noise, blur), all at 200 dpi: RapidOCR as dutygraph runs it, and
  Debian's tesseract 5 with chi_sim (``tesseract`` CLI, TSV output) put through the same
  layout and repair steps, so that only the recogniser differs;
* accuracy of each engine: unit names read exactly (of the 15 mentions) and the triple F1
  after extraction, against the expectations written by hand;
* whether RapidOCR loads and reads with the network closed (``unshare -n``, as root);
* install sizes: the Python packages OCR brings, the Debian packages of tesseract.

Needs the Debian packages of ``run.py``'s TEST_DEBIAN_PACKAGES, and for the comparison
``apt-get install tesseract-ocr tesseract-ocr-chi-sim`` (the engine column is left out when
tesseract is absent).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "benchmarks")]

import jiangsu_plan as plan  # noqa: E402
from archivemakers import (  # noqa: E402
    libreoffice_convert,
    make_ofd,
    make_photo_png,
    make_scanned_pdf,
    render_page,
)
from filemakers import make_docx, make_pdf, make_xlsx  # noqa: E402
from machine import describe  # noqa: E402

from dutygraph.loaders.extract import Extractor  # noqa: E402
from dutygraph.loaders.read import read_document  # noqa: E402
from dutygraph.loaders.read.ocr import OcrLine, layout, ocr_page  # noqa: E402
from dutygraph.loaders.read.ocr_repair import repair_ocr_text  # noqa: E402


def _cpu_seconds() -> float:
    """CPU time of this process (all its threads: onnxruntime runs several) and of its
    finished children (LibreOffice, antiword, catdoc, tesseract)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def timed(call: Callable[[], Any], repeats: int) -> dict[str, float]:
    """Best and median wall-clock seconds of ``repeats`` calls, and the CPU seconds of the best
    one in CPU terms (on a shared machine wall time mostly measures the others)."""
    times, cpu = [], []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), _cpu_seconds()
        call()
        times.append(time.perf_counter() - start)
        cpu.append(_cpu_seconds() - start_cpu)
    return {"best_s": round(min(times), 3), "median_s": round(statistics.median(times), 3), "cpu_s": round(min(cpu), 3)}


def only_on_path(program: str, work: Path) -> str:
    folder = work / f"bin-{program}"
    folder.mkdir(exist_ok=True)
    target = shutil.which(program)
    if target and not (folder / program).exists():
        (folder / program).symlink_to(target)
    return str(folder)


def make_files(work: Path) -> dict[str, Path]:
    files = {"docx": make_docx(work / "plan.docx", plan.paragraphs(), title=plan.TITLE)}
    files["doc"] = libreoffice_convert(files["docx"], work / "plan.doc", "doc:MS Word 97")
    files["wps"] = libreoffice_convert(files["docx"], work / "plan.wps", "doc:MS Word 97")
    files["xlsx"] = make_xlsx(work / "t.xlsx", plan.TABLE_TITLE, plan.TABLE_HEADERS, plan.TABLE_ROWS, plan.TABLE_MERGES)
    files["xls"] = libreoffice_convert(files["xlsx"], work / "t.xls", "xls:MS Excel 97")
    files["ofd"] = make_ofd(work / "plan.ofd", plan.PAGES, title=plan.TITLE)
    texts = ["\n".join(p.removeprefix("→") for p in [page.red_head or "", *page.paragraphs]) for page in plan.PAGES]
    files["pdf"] = make_pdf(work / "plan.pdf", texts, font_size=12)
    files["scan"] = make_scanned_pdf(work / "scan.pdf", plan.PAGES)
    files["photo"] = make_photo_png(work / "photo.png", plan.PLAN)
    return files


# --------------------------------------------------------------------------- tesseract


def tesseract_page(image_path: Path) -> str:
    """Tesseract's words grouped into its lines, then dutygraph's layout and OCR repair."""
    tsv = subprocess.run(
        ["tesseract", str(image_path), "-", "-l", "chi_sim", "--psm", "3", "tsv"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    lines: dict[tuple[str, str, str], list[tuple[str, float, tuple[int, int, int, int]]]] = {}
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or not cols[11].strip() or float(cols[10]) < 0:
            continue
        left, top, width, height = map(int, cols[6:10])
        lines.setdefault((cols[2], cols[3], cols[4]), []).append(
            (cols[11].strip(), float(cols[10]) / 100, (left, top, left + width, top + height))
        )
    ocr_lines = []
    for words in lines.values():
        text = "".join(w for w, _, _ in words)
        scores = [s for w, s, _ in words for _ in w]
        box = (
            min(b[0] for _, _, b in words),
            min(b[1] for _, _, b in words),
            max(b[2] for _, _, b in words),
            max(b[3] for _, _, b in words),
        )
        ocr_lines.append(OcrLine(text, scores, box))
    text, scores = layout(ocr_lines)
    return repair_ocr_text(text, scores)[0]


# --------------------------------------------------------------------------- accuracy


def accuracy(text: str, extractor: Extractor) -> dict[str, Any]:
    doc = extractor.extract_text(text, source="ocr.txt")
    found = [(t.title, a.name, a.role.value) for t in doc.tasks for a in t.assignments]
    expected = plan.TRIPLES if "一、" in text else []
    hits = len(set(found) & set(expected))
    f1 = 0.0
    if hits:
        p, r = hits / len(set(found)), hits / len(set(expected))
        f1 = 2 * p * r / (p + r)
    names = [a.name for t in doc.tasks for a in t.assignments]
    exact = sum(1 for name in names if name in plan.UNITS)
    return {"triple_f1": round(f1, 3), "unit_mentions_exact": exact, "unit_mentions": len(plan.TRIPLES)}


def closed_network_check(image: Path) -> str:
    if os.geteuid() != 0 or not shutil.which("unshare"):
        return "not checked (needs root and unshare)"
    code = (
        "from PIL import Image; from dutygraph.loaders.read.ocr import ocr_page; "
        f"print(len(ocr_page(Image.open({str(image)!r})).text))"
    )
    done = subprocess.run(
        ["unshare", "-n", sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=False
    )
    if done.returncode == 0 and int(done.stdout.strip() or 0) > 100:
        return f"reads {done.stdout.strip()} characters with no network (unshare -n)"
    return f"failed: {done.stderr.strip().splitlines()[-1:] or done.returncode}"


def site_size(*names: str) -> dict[str, float]:
    import importlib.util

    sizes = {}
    for name in names:
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            continue
        folder = Path(next(iter(spec.submodule_search_locations)))
        sizes[name] = round(sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 2**20, 1)
    return sizes


def debian_size(*packages: str) -> dict[str, float]:
    sizes = {}
    for package in packages:
        done = subprocess.run(
            ["dpkg-query", "-W", "-f=${Installed-Size}", package], capture_output=True, text=True, check=False
        )
        if done.returncode == 0 and done.stdout.strip():
            sizes[package] = round(int(done.stdout) / 1024, 1)
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out" / "formats.json")
    args = parser.parse_args(argv)
    extractor = Extractor()
    results: dict[str, Any] = {"machine": describe(("onnxruntime", "rapidocr", "ofdkit", "python_calamine"))}
    with tempfile.TemporaryDirectory(prefix="bench-formats-") as tmp:
        work = Path(tmp)
        files = make_files(work)
        readers: dict[str, Any] = {}
        read_document(files["doc"])  # LibreOffice's first start builds its profile: not a per-file cost
        for label, key in [
            ("PDF, text layer (pdfplumber), 2 pages", "pdf"),
            (".docx (python-docx)", "docx"),
            (".doc via LibreOffice → .docx", "doc"),
            (".wps via LibreOffice → .docx", "wps"),
            (".xlsx (openpyxl)", "xlsx"),
            (".xls (python-calamine)", "xls"),
            (".ofd (ofdkit), 2 pages", "ofd"),
        ]:
            readers[label] = timed(lambda k=key: read_document(files[k]), args.repeats)
        saved = os.environ["PATH"]
        for program in ("antiword", "catdoc"):
            os.environ["PATH"] = only_on_path(program, work)
            try:
                for key in ("doc", "wps"):
                    label = f".{key} via {program} (text only)"
                    readers[label] = timed(lambda k=key: read_document(files[k]), args.repeats)
            finally:
                os.environ["PATH"] = saved
        readers["scanned PDF, 2 pages (render + RapidOCR)"] = timed(lambda: read_document(files["scan"]), 1)
        results["readers"] = readers

        from PIL import Image

        pages = {"notice page": render_page(plan.NOTICE), "plan page": render_page(plan.PLAN)}
        pages["photo of the plan page"] = Image.open(files["photo"])
        ocr_page(pages["notice page"])  # the engine's first call loads the models: measured apart
        engines: dict[str, Any] = {}
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "from dutygraph.loaders.read.ocr import _engine; _engine()"], check=True)
        results["rapidocr_process_start_and_model_load_s"] = round(time.perf_counter() - start, 2)
        for name, image in pages.items():
            path = work / f"{name}.png"
            image.save(path)
            rapid_text: list[str] = []
            row: dict[str, Any] = {
                "rapidocr": timed(lambda im=image, out=rapid_text: out.append(ocr_page(im).text), args.repeats)
            }
            row["rapidocr"] |= accuracy(rapid_text[-1], extractor)
            if shutil.which("tesseract"):
                tess_text: list[str] = []
                row["tesseract"] = timed(lambda p=path, out=tess_text: out.append(tesseract_page(p)), args.repeats)
                row["tesseract"] |= accuracy(tess_text[-1], extractor)
                row["tesseract_text"] = tess_text[-1]
            row["rapidocr_text"] = rapid_text[-1]
            engines[name] = row
        results["ocr"] = engines
        results["rapidocr_closed_network"] = closed_network_check(work / "plan page.png")
    results["install_mb"] = {
        "python (ocr extra)": site_size("rapidocr", "onnxruntime", "cv2", "shapely", "pyclipper", "omegaconf"),
        "debian (tesseract)": debian_size(
            "tesseract-ocr", "tesseract-ocr-chi-sim", "tesseract-ocr-eng", "tesseract-ocr-osd", "libtesseract5"
        ),
        "python (formats extra)": site_size("ofdkit", "python_calamine"),
        "debian (converters)": debian_size(
            "libreoffice-writer-nogui", "libreoffice-core-nogui", "libreoffice-common", "antiword", "catdoc"
        ),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2))
    print_markdown(results)
    return 0


def print_markdown(results: dict[str, Any]) -> None:
    print("| reader | best s/file | median s/file | CPU s/file |\n|---|---:|---:|---:|")
    for label, r in results["readers"].items():
        print(f"| {label} | {r['best_s']} | {r['median_s']} | {r['cpu_s']} |")
    print("\n| page | engine | best s/page | median s/page | CPU s/page | unit names exact | triple F1 |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for page, row in results["ocr"].items():
        for engine in ("rapidocr", "tesseract"):
            if engine in row:
                r = row[engine]
                names = f"{r['unit_mentions_exact']}/{r['unit_mentions']}" if page != "notice page" else "–"
                f1 = r["triple_f1"] if page != "notice page" else "–"
                print(f"| {page} | {engine} | {r['best_s']} | {r['median_s']} | {r['cpu_s']} | {names} | {f1} |")
    print(f"\nRapidOCR, network closed: {results['rapidocr_closed_network']}")
    print(f"RapidOCR process start + model load: {results['rapidocr_process_start_and_model_load_s']} s")
    print(f"install sizes (MB): {json.dumps(results['install_mb'], ensure_ascii=False)}")


if __name__ == "__main__":
    raise SystemExit(main())
