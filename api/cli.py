"""The `dutygraph` command line: thin over the same services as the HTTP API."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from dutygraph.extraction import Failure, extract_paths, quality_report, skipped_paths, task_record
from dutygraph.model import Role
from dutygraph.settings import Settings

app = typer.Typer(
    help="dutygraph: who leads (牵头) and who supports (协同/配合) each task in government plans.",
    no_args_is_help=True,
    add_completion=False,
)
db_app = typer.Typer(help="The embedded database: status, start, stop.", no_args_is_help=True)
app.add_typer(db_app, name="db")


class State:
    """Options every command shares (set by the callback)."""

    home: Path | None = None
    db: str | None = None


@app.callback()
def main(
    home: Annotated[
        Path | None, typer.Option("--home", help="data directory of the embedded database [env: DUTYGRAPH_HOME]")
    ] = None,
    db: Annotated[
        str | None,
        typer.Option("--db", help="'embedded', falkordb://host:port or neo4j://host:port [env: DUTYGRAPH_DB]"),
    ] = None,
) -> None:
    State.home = home
    State.db = db


def settings() -> Settings:
    overrides = {k: v for k, v in (("home", State.home), ("db", State.db)) if v is not None}
    return Settings(**overrides)


def services():  # type: ignore[no-untyped-def]
    from dutygraph.services import Services

    return Services(settings())


@contextmanager
def opened_services() -> Iterator[Any]:
    """The services for one command, closed afterwards; an unknown name ends the command
    with exit status 1, an ambiguous one with 2 and the candidates to choose from."""
    from dutygraph.services import Ambiguous, NotFound

    svc = services()
    try:
        yield svc
    except Ambiguous as exc:
        typer.echo(f"error: {exc}", err=True)
        for c in exc.candidates:
            typer.echo(f"  {c['id']}  {c['name']}  ({c['jurisdiction']})", err=True)
        raise typer.Exit(2) from None
    except NotFound as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    finally:
        svc.close()


def _echo_json(obj: object) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


@app.command()
def extract(
    paths: Annotated[list[Path], typer.Argument(help="files or folders (walked recursively)")],
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object per task (JSON Lines)")] = False,
) -> None:
    """Extract tasks, units and deadlines from documents, without storing them.

    Without --json: a readable summary and a quality report per document.  A bad
    file is reported on stderr and the others are still processed; the exit
    status is 1 if any file failed."""
    failed = 0
    for skipped, why in skipped_paths(paths):
        typer.echo(f"skipped: {skipped}: {why}", err=True)
    for result in extract_paths(paths):
        if isinstance(result, Failure):
            failed += 1
            typer.echo(f"error: {result.path}: {result.reason}", err=True)
            continue
        doc = result
        if as_json:
            for task in doc.tasks:
                _echo_json(task_record(doc, task))
            continue
        _print_summary(doc)
    if failed:
        raise typer.Exit(1)


def _print_summary(doc) -> None:  # type: ignore[no-untyped-def]
    report = quality_report(doc)
    echo = typer.echo
    echo(f"== {doc.source}: {doc.title or '(no title)'}")
    echo(
        f"   文号 {doc.doc_number or '-'} · issued {report['issued'] or '-'} · {doc.jurisdiction or '-'}"
        f" ({doc.level.value if doc.level else '-'}) · {doc.script}"
    )
    echo(f"   {report['sections']} sections, {report['tasks']} tasks, {report['assignments']} assignments")
    for task in doc.tasks:
        leads = "、".join(a.name for a in task.assignments if a.role == Role.LEAD) or "-"
        others = "、".join(a.name + ("*" if a.implicit else "") for a in task.assignments if a.role != Role.LEAD)
        due = ",".join(m.due.isoformat() for m in task.milestones if m.due)
        line = f"   {task.number:<14} {task.title[:24]:<26} lead: {leads}"
        if others:
            line += f" | with: {others}{' 等' if task.open_list else ''}"
        if due:
            line += f" | due {due}"
        echo(line)
    echo("   quality:")
    echo(f"     unassigned tasks: {len(report['unassigned_tasks'])}")
    echo(f"     tasks with several leads: {', '.join(report['several_leads']) or 'none'}")
    unresolved = report["unresolved"]
    echo(f"     unresolved names: {', '.join(unresolved) if unresolved else 'none'}")
    if ocr := report.get("ocr"):
        pages = ", ".join(map(str, ocr["pages"]))
        low = ", ".join(f"{x['name']} ({x['confidence']:.2f}, task {x['task']})" for x in ocr["low_confidence"])
        echo(f"     read by OCR: pages {pages}; names below confidence {ocr['threshold']:.2f}: {low or 'none'}")
    for c in report["citations"]:
        echo(f"     {c['relation']}: 《{c['title']}》 {c['doc_number'] or ''}")
    for w in doc.warnings:
        echo(f"     note: {w}")


# ---------------------------------------------------------------- loading


@app.command()
def load(
    paths: Annotated[list[Path], typer.Argument(help="files or folders (walked recursively)")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="report what would change, write nothing")] = False,
    analytics: Annotated[
        bool, typer.Option("--analytics/--no-analytics", help="recompute the stored analytics afterwards")
    ] = True,
) -> None:
    """Extract documents and store them: one atomic write per document.

    Loading an unchanged document again changes nothing; a changed version
    (same 文号, title or file) replaces its tasks and assignments."""
    from rich.progress import Progress

    from dutygraph.extraction import iter_document_paths

    total = sum(1 for _ in iter_document_paths(paths))
    svc = services()
    failed = 0
    with Progress(transient=True, disable=not sys.stderr.isatty()) as progress:
        bar = progress.add_task("loading", total=total)
        for skipped, why in skipped_paths(paths):
            progress.console.print(f"[yellow]skipped[/yellow] {skipped}: {why}")

        def report(path: Path | None, result: object) -> None:
            nonlocal failed
            progress.advance(bar)
            if isinstance(result, Failure):
                failed += 1
                progress.console.print(f"[red]error[/red] {result.path}: {result.reason}")
            else:
                counts = ", ".join(f"{v} {k}" for k, v in result.counts.items())  # type: ignore[attr-defined]
                progress.console.print(f"{result.action:>13}  {result.doc_id}  {counts}")  # type: ignore[attr-defined]

        svc.load(paths, dry_run=dry_run, refresh_analytics=analytics, progress=report)
    svc.close()
    if failed:
        raise typer.Exit(1)


@app.command()
def docs(as_json: Annotated[bool, typer.Option("--json", help="JSON output")] = False) -> None:
    """Stored documents with their task, agency and assignment counts."""
    svc = services()
    rows = svc.documents()
    svc.close()
    if as_json:
        _echo_json(rows)
        return
    for d in rows:
        typer.echo(
            f"{d['doc_id']}  {d['issued'] or '----------'}  {d['title']}  {d['doc_number'] or ''}\n"
            f"    {d['tasks']} tasks ({d['unassigned_tasks']} unassigned), {d['units']} units, "
            f"{d['assignments']} assignments"
        )


@app.command()
def remove(document: Annotated[str, typer.Argument(help="document id, 文号, title or file name")]) -> None:
    """Remove a document and everything only it created (shared agencies stay)."""
    with opened_services() as svc:
        summary = svc.remove(document)
    typer.echo(f"{summary.action} {summary.doc_id}")


# ---------------------------------------------------------------- asking


@app.command()
def tasks(
    agency: Annotated[str, typer.Argument(help="agency: short name, alias, canonical name or id, either script")],
    role: Annotated[str | None, typer.Option(help="lead | support | joint")] = None,
    document: Annotated[str | None, typer.Option(help="document id, 文号 or title")] = None,
    jurisdiction: Annotated[str | None, typer.Option(help="only documents of this jurisdiction")] = None,
    due_after: Annotated[str | None, typer.Option(help="ISO date")] = None,
    due_before: Annotated[str | None, typer.Option(help="ISO date")] = None,
    counterparts: Annotated[
        bool, typer.Option("--counterparts", help="include counterparts at other levels (省 ↔ 市)")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="JSON output")] = False,
) -> None:
    """The tasks an agency touches, grouped by document, with role, deadline and partners."""
    if role is not None and role not in {r.value for r in Role}:
        typer.echo("error: --role must be lead, support or joint", err=True)
        raise typer.Exit(2)
    with opened_services() as svc:
        unit, rows = svc.agency_tasks(
            agency,
            role=role,
            document=document,
            jurisdiction=jurisdiction,
            due_after=due_after,
            due_before=due_before,
            counterparts=counterparts,
        )
    if as_json:
        _echo_json({"agency": unit, "tasks": rows})
        return
    typer.echo(f"{unit['name']} ({unit['jurisdiction']}): {len(rows)} tasks")
    current = None
    for row in rows:
        if row["doc_id"] != current:
            current = row["doc_id"]
            typer.echo(f"\n《{row['document']}》 {row['doc_number'] or ''}")
        partners = "、".join(f"{p['name']}({p['role']})" for p in row["partners"])
        due = row["due_last"] or "-"
        who = "" if row["agency_id"] == unit["id"] else f" [as {row['agency']}]"
        typer.echo(f"  {row['role']:<7} {row['number']:<14} {row['title']}  due {due}{who}")
        if partners:
            typer.echo(f"          with {partners}")


@app.command()
def query(
    name: Annotated[str, typer.Argument(help="a query in queries/ (without .cypher); `list` lists them")],
    param: Annotated[list[str] | None, typer.Option("--param", "-p", help="key=value (repeatable)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON output")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="CSV output")] = False,
) -> None:
    """Run a named query from queries/ with parameters."""
    import csv

    from dutygraph.queries import QueryNotFound, QueryParameterError, all_queries, coerce_param

    if name == "list":
        for q in all_queries().values():
            params = ", ".join(p.name + ("" if p.required else "?") for p in q.params.values())
            typer.echo(f"{q.name}({params})\n    {q.description}")
        return
    given = {}
    for item in param or []:
        key, sep, value = item.partition("=")
        if not sep:
            typer.echo(f"error: --param {item!r} is not key=value", err=True)
            raise typer.Exit(2)
        given[key] = coerce_param(value)
    svc = services()
    try:
        result = svc.query(name, given)
    except QueryNotFound:
        typer.echo(f"error: no query named {name!r} (see `dutygraph query list`)", err=True)
        raise typer.Exit(2) from None
    except QueryParameterError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    finally:
        svc.close()
    if as_csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(result.columns)
        for row in result.rows:
            writer.writerow([json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v for v in row])
    elif as_json:
        _echo_json(result.records())
    else:
        for record in result.records():
            typer.echo("  ".join(f"{k}={v}" for k, v in record.items()))


# ---------------------------------------------------------------- analytics


Documents = Annotated[list[str] | None, typer.Option("--document", help="only these documents (repeatable)")]
Year = Annotated[int | None, typer.Option(help="only documents of this year")]
Jurisdiction = Annotated[str | None, typer.Option(help="only documents of this jurisdiction")]
Level = Annotated[str | None, typer.Option(help="only documents of this level (province, city, county)")]


@app.command()
def overload(
    top: Annotated[int, typer.Option(help="how many agencies")] = 20,
    groups: Annotated[bool, typer.Option("--groups", help="rank collective units instead of agencies")] = False,
    document: Documents = None,
    year: Year = None,
    jurisdiction: Jurisdiction = None,
    level: Level = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON output")] = False,
) -> None:
    """Which agencies carry too much, and why (weighted load, deadline crunch, brokerage)."""
    svc = services()
    rows = svc.overload(
        top=top,
        kind="group" if groups else "agency",
        documents=document,
        year=year,
        jurisdiction=jurisdiction,
        level=level,
    )
    svc.close()
    if as_json:
        _echo_json(rows)
        return
    for r in rows:
        typer.echo(f"{r['rank']:>3}. {r['name']}  overload {r['overload']:g}\n      {r['reasons']}")


@app.command()
def centrality(
    top: Annotated[int, typer.Option(help="how many units")] = 20,
    order_by: Annotated[str, typer.Option(help="pagerank, betweenness, degree or weighted_degree")] = "pagerank",
    document: Documents = None,
    year: Year = None,
    jurisdiction: Jurisdiction = None,
    level: Level = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON output")] = False,
) -> None:
    """Centrality in the collaboration network: partners, tasks shared, betweenness, PageRank."""
    svc = services()
    rows = svc.centrality(
        top=top, order_by=order_by, documents=document, year=year, jurisdiction=jurisdiction, level=level
    )
    svc.close()
    if as_json:
        _echo_json(rows)
        return
    typer.echo(f"{'unit':<32} partners  shared  betweenness  pagerank  community")
    for r in rows:
        typer.echo(
            f"{r['name']:<32} {r['degree']:>8} {r['weighted_degree']:>7} {r['betweenness']:>12.4f}"
            f" {r['pagerank']:>9.4f} {r['community']:>10}"
        )


@app.command()
def compare(
    a: Annotated[str, typer.Argument(help="a document (id, 文号 or title) or a year")],
    b: Annotated[str, typer.Argument(help="another document or year")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON output")] = False,
) -> None:
    """Who gained or lost load between two documents or two years, and which collaborations changed."""
    svc = services()
    result = svc.compare(a, b)
    svc.close()
    if as_json:
        _echo_json(result)
        return
    typer.echo(f"load, {a} → {b}")
    for c in result["gained"][:15]:
        typer.echo(f"  + {c['name']}: {c['a']:g} → {c['b']:g} ({c['change']:+g})")
    for c in result["lost"][:15]:
        typer.echo(f"  - {c['name']}: {c['a']:g} → {c['b']:g} ({c['change']:+g})")
    collab = result["collaborations"]
    typer.echo(f"collaborations: {len(collab['appeared'])} appeared, {len(collab['disappeared'])} disappeared")
    for x, y in collab["appeared"][:10]:
        typer.echo(f"  + {x} — {y}")
    for x, y in collab["disappeared"][:10]:
        typer.echo(f"  - {x} — {y}")


# ---------------------------------------------------------------- the embedded database


def _server():  # type: ignore[no-untyped-def]
    from dutygraph.graph.embedded import EmbeddedServer

    s = settings()
    if s.db != "embedded":
        typer.echo(f"error: the database is {s.db}, not the embedded one", err=True)
        raise typer.Exit(2)
    return EmbeddedServer(s.home)


@db_app.command("status")
def db_status(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Is the embedded database running, where, and how big."""
    status = _server().status()
    if as_json:
        _echo_json(status.to_dict())
        return
    state = f"running (pid {status.pid}, FalkorDB {status.version})" if status.running else "stopped"
    typer.echo(f"{state}\n  home   {status.home}\n  socket {status.socket}\n  data   {status.data_bytes} bytes")


@db_app.command("start")
def db_start() -> None:
    """Start the embedded database (nothing happens if it already runs)."""
    status = _server().ensure_started()
    typer.echo(f"running (pid {status.pid}) on {status.socket}")


@db_app.command("stop")
def db_stop() -> None:
    """Stop the embedded database; every committed write is already on disk."""
    stopped = _server().stop()
    typer.echo("stopped" if stopped else "was not running")


# ---------------------------------------------------------------- serving


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port")] = 8000,
    load_samples: Annotated[
        bool, typer.Option("--load-samples", help="load the sample corpus (data/samples) first")
    ] = False,
    insecure: Annotated[bool, typer.Option("--insecure", help="allow a non-loopback address without API keys")] = False,
) -> None:
    """Serve the planner page and the HTTP API (starts the embedded database when needed)."""
    import uvicorn

    from dutygraph.api.app import create_app
    from dutygraph.api.security import check_bind

    s = settings()
    check_bind(s, host, insecure=insecure)
    svc = services()
    if load_samples:
        report = svc.load_samples()
        changed = sum(r.action != "unchanged" for r in report.loaded)
        typer.echo(f"sample corpus: {len(report.loaded)} documents ({changed} written)")
    svc.close()
    shown = "localhost" if host in ("127.0.0.1", "::1") else host
    typer.echo(f"dutygraph is serving at http://{shown}:{port}/  (API docs at http://{shown}:{port}/docs)")
    uvicorn.run(create_app(s, host=host), host=host, port=port, log_level="info")


# ---------------------------------------------------------------- pictures


@app.command()
def viz(
    agency: Annotated[
        str | None, typer.Argument(help="the agency whose ego network to draw: any name form or id, either script")
    ] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="the HTML file to write", dir_okay=False)] = Path(
        "network.html"
    ),
    network: Annotated[bool, typer.Option("--network", help="the collaboration network of agencies")] = False,
    document: Annotated[
        str | None,
        typer.Option("--document", help="a document's network (id, 文号 or title); with --network: only this document"),
    ] = None,
    jurisdiction: Annotated[
        str | None, typer.Option(help="with --network: only documents of this jurisdiction")
    ] = None,
    max_nodes: Annotated[
        int, typer.Option("--max-nodes", min=2, help="node cap: the least linked nodes beyond it are folded")
    ] = 300,
) -> None:
    """Draw a network as one HTML file that works offline (vis-network inlined).

    `viz 省大数据局 -o out.html` (an agency's ego network), `viz --network -o net.html`
    (agencies linked by shared tasks), `viz --document ID -o doc.html` (one document)."""
    from dutygraph.graph import pictures

    if sum((agency is not None, network, document is not None and not network)) != 1:
        typer.echo("error: give an agency, --network or --document (one of them)", err=True)
        raise typer.Exit(2)
    if jurisdiction and not network:
        typer.echo("error: --jurisdiction goes with --network", err=True)
        raise typer.Exit(2)
    with opened_services() as svc:
        if agency is not None:
            unit = svc.resolve_unit(agency)
            picture = pictures.agency_view(svc.store, unit["id"], max_nodes=max_nodes)
        elif network:
            doc_id = svc.document(document)["doc_id"] if document else None
            picture = pictures.network_view(svc.store, document=doc_id, jurisdiction=jurisdiction, max_nodes=max_nodes)
        else:
            doc = svc.document(document or "")
            picture = pictures.document_view(svc.store, doc["doc_id"], max_nodes=max_nodes)
    output.write_text(pictures.render(picture), encoding="utf-8")
    counts = picture.counts
    typer.echo(f"{output}: {picture.title} — {counts['nodes']} nodes, {counts['edges']} links")
    for note in picture.notes:
        typer.echo(f"  note: {note}")


if __name__ == "__main__":
    app()
