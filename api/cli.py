"""The `dutygraph` command line: thin over the same services as the HTTP API.

Every command ends a user error (a bad setting, an unknown name, a file it cannot write, a
database that does not answer) with one line on stderr, ``error: …``, and a non-zero exit
status, never a traceback: :class:`CommandLine` maps those errors in one place.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from importlib.metadata import version as package_version
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from dutygraph import display, output
from dutygraph.loaders.pipeline import Failure, extract_paths, quality_report, skipped_summary, task_record
from dutygraph.loaders.read import skipped_paths
from dutygraph.model import CENTRALITY_MEASURES, Document, Level, Role
from dutygraph.settings import Settings, SettingsError, load_settings

if TYPE_CHECKING:  # imported where used: `dutygraph --help` starts without the database client
    from dutygraph.graph.store import WriteSummary
    from dutygraph.graph.store.embedded import EmbeddedServer
    from dutygraph.services import Services

#: Exit statuses: 1 for what failed (a file, a name, the database), 2 for how the command was called.
FAILED, USAGE = 1, 2
MAX_CANDIDATES_SHOWN = 20


def _user_error(exc: BaseException) -> tuple[str, int] | None:
    """The one line (and exit status) a user error ends a command with; None for a bug."""
    from dutygraph.errors import BadArgument, NotFound, Rejected
    from dutygraph.graph.store import StoreError
    from dutygraph.graph.store.embedded import EmbeddedServerError
    from dutygraph.queries import QueryParameterError
    from dutygraph.services import RegistryError

    if isinstance(exc, SettingsError | BadArgument | QueryParameterError):
        return str(exc), USAGE
    if isinstance(exc, NotFound | Rejected | RegistryError):
        return str(exc), FAILED
    if isinstance(exc, EmbeddedServerError):  # a StoreError too: named more precisely first
        return f"the embedded database: {exc}", FAILED
    if isinstance(exc, StoreError):
        return f"the database: {exc}", FAILED
    if isinstance(exc, OSError) and exc.filename is not None:
        return f"{exc.filename}: {exc.strerror or exc}", FAILED
    return None


class CommandLine(TyperGroup):
    """The root command: runs a subcommand and ends its user errors with one line each."""

    def invoke(self, ctx: Any) -> Any:
        from dutygraph.errors import Ambiguous

        try:
            return super().invoke(ctx)
        except Ambiguous as exc:
            typer.echo(f"error: {exc}", err=True)
            for c in exc.candidates[:MAX_CANDIDATES_SHOWN]:
                typer.echo(f"  {c['id']}  {c['name']}  ({display.jurisdiction(c['jurisdiction'])})", err=True)
            if len(exc.candidates) > MAX_CANDIDATES_SHOWN:
                typer.echo(f"  … and {len(exc.candidates) - MAX_CANDIDATES_SHOWN} more", err=True)
            raise typer.Exit(USAGE) from None
        except Exception as exc:
            error = _user_error(exc)
            if error is None:
                raise
            message, status = error
            lines = message.strip().splitlines() or [type(exc).__name__]
            more = f" (and {len(lines) - 1} more lines)" if len(lines) > 1 else ""
            typer.echo(f"error: {lines[0]}{more}", err=True)
            raise typer.Exit(status) from None

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            _plain_help(command)
        return command

    def format_help(self, ctx: Any, formatter: Any) -> None:
        for command in self.commands.values():
            _plain_help(command)
        _plain_help(self)
        super().format_help(ctx, formatter)


def _plain_help(command: Any) -> None:
    """Help that shows what to type (PATH..., N, lead|support|joint: each parameter's metavar),
    not the Python types Typer shows (``<list[Path]>``, ``<int range>``); flags show nothing.
    Applied once to every command and the commands of its groups."""
    if getattr(command, "_plain_help", False):
        return
    command._plain_help = True
    for param in command.params:
        flag = bool(getattr(param, "is_flag", False) or getattr(param, "count", False))
        label = "" if flag else param.metavar or "TEXT"
        if not flag and param.metavar is None:
            param.metavar = label
        # Typer's help asks each parameter for its "type" column: the metavar for an option; nothing
        # for an argument, whose name column already shows its metavar.
        shown = "" if param.param_type_name == "argument" else label
        param.display_type_rich = lambda ctx, shown=shown: shown
    help_option = command.get_help_option

    def plain_help_option(ctx: Any) -> Any:  # --help is made when asked for: give it no type column either
        option = help_option(ctx)
        if option is not None:
            option.display_type_rich = lambda ctx: ""
        return option

    command.get_help_option = plain_help_option
    for sub in getattr(command, "commands", {}).values():
        _plain_help(sub)


app = typer.Typer(
    cls=CommandLine,
    help="dutygraph: who leads (牵头) and who supports (协同/配合) each task in government plans.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)
db_app = typer.Typer(help="The embedded database: status, start, stop, repair.", no_args_is_help=True)
app.add_typer(db_app, name="db")


class State:
    """Options every command shares (set by the callback, and by --registry where a command takes it)."""

    home: Path | None = None
    db: str | None = None
    registry: list[Path] | None = None
    workers: int | None = None


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"dutygraph {package_version('dutygraph')}")
        raise typer.Exit()


@app.callback()
def main(
    home: Annotated[
        Path | None,
        typer.Option("--home", help="data directory of the embedded database (env DUTYGRAPH_HOME)", metavar="DIR"),
    ] = None,
    db: Annotated[
        str | None,
        typer.Option(
            "--db", help="'embedded', falkordb://host:port or neo4j://host:port (env DUTYGRAPH_DB)", metavar="URL"
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", help="print the version and exit", callback=_print_version, is_eager=True),
    ] = False,
) -> None:
    State.home = home
    State.db = db
    State.registry = None
    State.workers = None


RegistryOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--registry",
        help="extra agency registry file or folder, added to the shipped one (repeatable; replaces DUTYGRAPH_REGISTRY)",
        metavar="PATH",
    ),
]


WorkersOption = Annotated[
    int | None,
    typer.Option(
        "--workers",
        help="processes extracting files at once (0: one per CPU core; env DUTYGRAPH_EXTRACT_WORKERS)",
        metavar="N",
        callback=lambda value: _at_least(0, value),
    ),
]


def _at_least(least: int, value: int | None) -> int | None:
    """An option's lower bound, checked without typer's ``[x>=…]`` in the help."""
    if value is not None and value < least:
        raise typer.BadParameter(f"must be at least {least}, not {value}")
    return value


def settings() -> Settings:
    given = (("home", State.home), ("db", State.db), ("registry", State.registry), ("extract_workers", State.workers))
    return load_settings(**{k: v for k, v in given if v is not None})


def services() -> Services:
    from dutygraph.services import Services

    return Services(settings())


@contextmanager
def opened_services() -> Iterator[Services]:
    """The services for one command, closed afterwards (errors end the command in CommandLine)."""
    svc = services()
    try:
        yield svc
    finally:
        svc.close()


def _echo_json(obj: object) -> None:
    sys.stdout.write(output.json_text(obj) + "\n")


#: The two output options of every command that lists things; :func:`_emit` writes what they ask for.
AsJson = Annotated[bool, typer.Option("--json", help="JSON output, as the API answers")]
AsCsv = Annotated[
    bool, typer.Option("--csv", help="CSV output, as the API's .csv files: UTF-8 with BOM, lists joined with 、")
]


def _emit(
    as_json: bool,
    as_csv: bool,
    columns: Sequence[str],
    records: list[dict[str, Any]],
    text: Callable[[], None],
    *,
    json_value: Any = None,
) -> None:
    """Write a list as asked: JSON (``json_value``, else the records), CSV (the records in ``columns``,
    by :mod:`dutygraph.output` as the API writes them), or text (``text`` prints it)."""
    if as_json and as_csv:
        typer.echo("error: --json and --csv: choose one", err=True)
        raise typer.Exit(USAGE)
    if as_json:
        _echo_json(records if json_value is None else json_value)
    elif as_csv:
        sys.stdout.flush()
        sys.stdout.buffer.write(output.csv_bytes(columns, records))
        sys.stdout.buffer.flush()
    else:
        text()


def _columns(query_name: str) -> tuple[str, ...]:
    """The columns of a named query: those of the records the services return for it."""
    from dutygraph.queries import load_query

    return load_query(query_name).columns


def _note_skipped(skipped: list[tuple[Path, str]]) -> None:
    """Each file a folder held that is not read, with why, then what they come to in one line."""
    for path, why in skipped:
        typer.echo(f"skipped: {path}: {why}", err=True)
    if summary := skipped_summary(skipped):
        typer.echo(f"note: {summary}", err=True)


def _nothing_found(paths: list[Path]) -> None:
    """Given only folders without a document in them: say so, and fail."""
    where = ", ".join(str(p) for p in paths)
    typer.echo(f"error: no document to read in {where}", err=True)
    raise typer.Exit(FAILED)


Paths = Annotated[list[Path], typer.Argument(help="files or folders (walked recursively)", metavar="PATH")]


@app.command()
def extract(
    paths: Paths,
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object per task (JSON Lines)")] = False,
    as_csv: AsCsv = False,
    registry: RegistryOption = None,
    workers: WorkersOption = None,
) -> None:
    """Extract tasks, units and deadlines from documents, without storing them.

    Without --json or --csv: a readable summary and a quality report per document.  A bad
    file is reported on stderr and the others are still processed; the exit
    status is 1 if any file failed."""
    from dutygraph.loaders.pipeline import TASK_RECORD_COLUMNS
    from dutygraph.services import Services

    if as_json and as_csv:
        typer.echo("error: --json and --csv: choose one", err=True)
        raise typer.Exit(USAGE)
    State.registry, State.workers = registry, workers
    current = settings()
    extractor = Services(current).extractor  # the registry of DUTYGRAPH_REGISTRY / --registry
    skipped = list(skipped_paths(paths))
    failed = read = 0
    records: list[dict[str, Any]] = []
    for result in extract_paths(paths, extractor, workers=current.extraction_workers()):
        read += 1
        if isinstance(result, Failure):
            failed += 1
            typer.echo(f"error: {result.path}: {result.reason}", err=True)
            continue
        doc = result
        if as_json:  # JSON Lines, as each document is read: a long run shows its results as it goes
            for task in doc.tasks:
                _echo_json(task_record(doc, task))
        elif as_csv:
            records += [task_record(doc, task) for task in doc.tasks]
        else:
            _print_summary(doc)
    if as_csv:
        _emit(False, True, TASK_RECORD_COLUMNS, records, lambda: None)
    _note_skipped(skipped)
    if not read:
        _nothing_found(paths)
    if failed:
        raise typer.Exit(FAILED)


def _print_summary(doc: Document) -> None:
    report = quality_report(doc)
    echo = typer.echo
    echo(f"== {doc.source}: {doc.title or '(no title)'}")
    echo(
        f"   文号 {doc.doc_number or '-'} · issued {report['issued'] or doc.year or '-'} · "
        f"{display.jurisdiction(doc.jurisdiction)} ({doc.level.value if doc.level else '-'}) · {doc.script}"
    )
    counts = [display.plural(report["sections"], "section"), display.plural(report["tasks"], "task")]
    echo(f"   {', '.join(counts)}, {display.plural(report['assignments'], 'assignment')}")
    for task in doc.tasks:
        leads = "、".join(a.name for a in task.assignments if a.role == Role.LEAD) or "-"
        others = "、".join(a.name + ("*" if a.implicit else "") for a in task.assignments if a.role != Role.LEAD)
        due = ",".join(m.due.isoformat() for m in task.milestones if m.due)
        title = display.one_line(task.title) or ""
        line = f"   {display.pad(task.number, 14)} {display.pad(title[:24], 50)} lead: {leads}"
        if others:
            line += f" | with: {others}{' 等' if task.open_list else ''}"
        if due:
            line += f" | due {due}"
        echo(line)
    echo("   quality:")
    echo(f"     unassigned tasks: {len(report['unassigned_tasks'])}")
    echo(f"     tasks with several leads: {', '.join(report['several_leads']) or 'none'}")
    if report["inherited"]:  # only when a heading's marking governs items without their own
        inherited = ", ".join(f"{task} (from {heading})" for task, heading in report["inherited"].items())
        echo(f"     units inherited from a heading: {inherited}")
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


def _counts(counts: dict[str, int]) -> str:
    """``3 sections, 12 tasks, 1 milestone …``; ``units`` are the units assigned a task (as in `docs`)."""
    return ", ".join(display.plural(n, kind.removesuffix("s")) for kind, n in counts.items())


@app.command()
def load(
    paths: Paths,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="report what would change, write nothing")] = False,
    analytics: Annotated[
        bool, typer.Option("--analytics/--no-analytics", help="recompute the stored analytics afterwards")
    ] = True,
    registry: RegistryOption = None,
    workers: WorkersOption = None,
) -> None:
    """Extract documents and store them: one atomic write per document.

    Loading an unchanged document again changes nothing; a changed version
    (same 文号, title or file) replaces its tasks and assignments.  Files in the
    folders that are not documents are named in one line on stderr."""
    from rich.console import Console
    from rich.progress import Progress

    from dutygraph.graph.store import StoreError
    from dutygraph.loaders.read import iter_document_paths

    State.registry, State.workers = registry, workers
    total = sum(1 for _ in iter_document_paths(paths))
    failed = stored = 0
    # The progress bar lives on stderr, and only on a terminal; results are plain lines on stdout,
    # never wrapped (a pipe gets each line whole, whatever its length).
    with (
        opened_services() as svc,
        Progress(console=Console(stderr=True), transient=True, disable=not sys.stderr.isatty()) as progress,
    ):
        bar = progress.add_task("loading", total=total)
        live = progress.live.is_started

        def say(line: str, err: bool = False) -> None:
            if live and (sys.stderr.isatty() if err else sys.stdout.isatty()):
                progress.console.print(line, soft_wrap=True, markup=False, highlight=False)
            else:
                typer.echo(line, err=err)

        def report(path: Path | None, result: WriteSummary | Failure) -> None:
            nonlocal failed
            progress.advance(bar)
            nonlocal stored
            if isinstance(result, Failure):
                failed += 1
                say(f"error: {result.path}: {result.reason}", err=True)
            else:
                stored += 1
                say(f"{result.action:>13}  {result.doc_id}  {_counts(result.counts)}")

        try:
            outcome = svc.load(paths, dry_run=dry_run, refresh_analytics=analytics, progress=report)
        except StoreError as exc:
            # One line: what failed, what is stored (each document is written whole or not at all),
            # and what to do; the rest of the message (a server log) is not for this line.
            what = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            typer.echo(
                f"error: the database failed after {stored:,} of {total:,} documents were stored ({what}); "
                "check it with `dutygraph db status` and run the same load again: stored documents are "
                "not written twice",
                err=True,
            )
            raise typer.Exit(FAILED) from None
    _note_skipped(outcome.skipped)
    if not total:
        _nothing_found(paths)
    if failed:
        raise typer.Exit(FAILED)


@app.command()
def docs(as_json: AsJson = False, as_csv: AsCsv = False) -> None:
    """Stored documents with their task, unit and assignment counts.

    Units are the units assigned at least one task of the document (as `load` counts them)."""
    with opened_services() as svc:
        rows = svc.documents()

    def text() -> None:
        for d in rows:
            typer.echo(
                f"{d['doc_id']}  {display.pad(display.issued(d), 10)}  {display.document_name(d)}  "
                f"{d['doc_number'] or ''}"
                f"\n    {display.plural(d['tasks'], 'task')} ({d['unassigned_tasks']:,} unassigned), "
                f"{display.plural(d['units'], 'unit')}, {display.plural(d['assignments'], 'assignment')}"
            )

    _emit(as_json, as_csv, _columns("documents"), rows, text)


@app.command()
def remove(
    document: Annotated[str, typer.Argument(help="document id, 文号, title or file name", metavar="DOCUMENT")],
) -> None:
    """Remove a document and everything only it created (shared agencies stay)."""
    with opened_services() as svc:
        summary = svc.remove(document)
    typer.echo(f"{summary.action} {summary.doc_id}")


# ---------------------------------------------------------------- asking

AgencyArgument = Annotated[
    str, typer.Argument(help="agency: short name, alias, canonical name or id, either script", metavar="AGENCY")
]
DateOption = Annotated[str | None, typer.Option(help="ISO date", metavar="YYYY-MM-DD")]


@app.command()
def tasks(
    agency: AgencyArgument,
    role: Annotated[str | None, typer.Option(help="only this role", metavar="|".join(Role))] = None,
    document: Annotated[str | None, typer.Option(help="document id, 文号 or title", metavar="DOCUMENT")] = None,
    jurisdiction: Annotated[
        str | None, typer.Option(help="only documents of this jurisdiction", metavar="NAME")
    ] = None,
    due_after: DateOption = None,
    due_before: DateOption = None,
    counterparts: Annotated[
        bool, typer.Option("--counterparts", help="include counterparts at other levels (省 ↔ 市)")
    ] = False,
    limit: Annotated[
        int | None,
        typer.Option(
            help="one page of this many tasks, read from the store",
            metavar="N",
            callback=lambda value: _at_least(1, value),
        ),
    ] = None,
    after: Annotated[
        str | None, typer.Option(help="the page after this cursor (printed under a page)", metavar="CURSOR")
    ] = None,
    as_json: AsJson = False,
    as_csv: AsCsv = False,
) -> None:
    """The tasks an agency touches, grouped by document, with role, deadline and partners.

    With --limit, one page (the store reads no more), and the command for the next one."""
    if role is not None and role not in {r.value for r in Role}:
        typer.echo("error: --role must be lead, support or joint", err=True)
        raise typer.Exit(USAGE)
    filters: dict[str, Any] = {"role": role, "document": document, "jurisdiction": jurisdiction}
    filters |= {"due_after": due_after, "due_before": due_before, "counterparts": counterparts}
    total = next_cursor = None
    with opened_services() as svc:
        if limit is None and after is None:
            unit, rows = svc.agency_tasks(agency, **filters)
        else:
            unit, found = svc.agency_tasks_page(agency, limit=limit or 50, cursor=after, **filters)
            rows, total, next_cursor = found.rows, found.total, found.next

    def text() -> None:
        where = display.jurisdiction(unit["jurisdiction"])
        shown = display.plural(len(rows), "task") + (f" of {total:,}" if total is not None else "")
        typer.echo(f"{unit['name']} ({where}): {shown}")
        current = None
        for row in rows:
            if row["doc_id"] != current:
                current = row["doc_id"]
                typer.echo(f"\n《{display.document_name(row)}》 {row['doc_number'] or ''}")
            partners = "、".join(f"{p['name']}({p['role']})" for p in row["partners"])
            due = row["due_last"] or "-"
            who = "" if row["agency_id"] == unit["id"] else f" [as {row['agency']}]"
            title = display.one_line(row["title"])
            typer.echo(f"  {display.pad(row['role'], 7)} {display.pad(row['number'], 14)} {title}  due {due}{who}")
            if partners:
                typer.echo(f"          with {partners}")
        if next_cursor:
            typer.echo(f"\nnext page: --limit {limit or 50} --after {next_cursor}")

    paging = {"total": total, "next": next_cursor} if total is not None else {}
    json_value = {"agency": unit, "tasks": rows, **paging}
    _emit(as_json, as_csv, _columns("agency_tasks"), rows, text, json_value=json_value)


@app.command()
def query(
    name: Annotated[
        str, typer.Argument(help="a query in queries/ (without .cypher); `list` lists them", metavar="NAME")
    ],
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="key=value (repeatable)", metavar="KEY=VALUE")
    ] = None,
    as_json: AsJson = False,
    as_csv: AsCsv = False,
) -> None:
    """Run a named query from queries/ with parameters (`--csv` writes what /api/queries/NAME.csv sends)."""
    from dutygraph.queries import QueryNotFound, all_queries, coerce_param

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
            raise typer.Exit(USAGE)
        given[key] = coerce_param(value)
    with opened_services() as svc:
        try:
            result = svc.query(name, given)
        except QueryNotFound as exc:
            typer.echo(f"error: {exc} (see `dutygraph query list`)", err=True)
            raise typer.Exit(USAGE) from None
    records = result.records()

    def text() -> None:
        for record in records:
            typer.echo("  ".join(f"{k}={v}" for k, v in record.items()))

    _emit(as_json, as_csv, result.columns, records, text)


# ---------------------------------------------------------------- analytics


Documents = Annotated[
    list[str] | None,
    typer.Option("--document", help="only these documents (repeatable; id, 文号 or title)", metavar="DOCUMENT"),
]
Year = Annotated[int | None, typer.Option(help="only documents of this year", metavar="YEAR")]
Jurisdiction = Annotated[str | None, typer.Option(help="only documents of this jurisdiction", metavar="NAME")]
LevelOption = Annotated[str | None, typer.Option(help="only documents of this level", metavar="|".join(Level))]
Top = Annotated[int, typer.Option(help="how many entries", metavar="N")]


@app.command()
def overload(
    top: Top = 20,
    groups: Annotated[bool, typer.Option("--groups", help="rank collective units instead of agencies")] = False,
    document: Documents = None,
    year: Year = None,
    jurisdiction: Jurisdiction = None,
    level: LevelOption = None,
    as_json: AsJson = False,
    as_csv: AsCsv = False,
) -> None:
    """Which agencies carry too much, and why (weighted load, deadline crunch, brokerage)."""
    with opened_services() as svc:
        rows = svc.overload(
            top=top,
            kind="group" if groups else "agency",
            documents=document,
            year=year,
            jurisdiction=jurisdiction,
            level=level,
        )

    def text() -> None:
        for r in rows:
            typer.echo(
                f"{r['rank']:>3}. {r['name']}  overload {display.decimal(r['overload'])}, "
                f"load {display.decimal(r['load'])}\n      {r['reasons']}"
            )

    _emit(as_json, as_csv, _columns("overload_ranking"), rows, text)


@app.command()
def centrality(
    top: Top = 20,
    order_by: Annotated[
        str, typer.Option(help="the measure to rank by", metavar="|".join(CENTRALITY_MEASURES))
    ] = "pagerank",
    document: Documents = None,
    year: Year = None,
    jurisdiction: Jurisdiction = None,
    level: LevelOption = None,
    as_json: AsJson = False,
    as_csv: AsCsv = False,
) -> None:
    """Centrality in the collaboration network: partners, tasks shared, betweenness, PageRank."""
    with opened_services() as svc:
        rows = svc.centrality(
            top=top, order_by=order_by, documents=document, year=year, jurisdiction=jurisdiction, level=level
        )

    def text() -> None:
        header = ["unit", "partners", "shared", "betweenness", "pagerank", "community"]
        cells = [
            [
                r["name"],
                r["degree"],
                r["weighted_degree"],
                display.decimal(r["betweenness"], 4),
                display.decimal(r["pagerank"], 4),
                "-" if r["community"] is None else r["community"],
            ]
            for r in rows
        ]
        for line in output.table(cells, header, "<>>>>>"):
            typer.echo(line)

    _emit(as_json, as_csv, _columns("centrality"), rows, text)


@app.command()
def compare(
    a: Annotated[str, typer.Argument(help="a document (id, 文号, title or file name) or a year", metavar="A")],
    b: Annotated[str, typer.Argument(help="another document or year", metavar="B")],
    as_json: AsJson = False,
    as_csv: AsCsv = False,
) -> None:
    """Who gained or lost load between two documents or two years, and which collaborations changed.

    `--csv` lists the changes of load (gained, then lost); `--json` gives the collaborations too."""
    with opened_services() as svc:
        result = svc.compare(a, b)

    def text() -> None:
        typer.echo(f"load, {a} → {b}")
        for sign, changes in (("+", result["gained"]), ("-", result["lost"])):
            cells = [
                [
                    f"  {sign} {c['name']}",
                    display.decimal(c["a"]),
                    "→",
                    display.decimal(c["b"]),
                    f"({c['change']:+.2f})",
                ]
                for c in changes[:15]
            ]
            for line in output.table(cells, ["", "", "", "", ""], "<>^>>")[1:]:
                typer.echo(line)
        collab = result["collaborations"]
        appeared, gone = len(collab["appeared"]), len(collab["disappeared"])
        typer.echo(f"collaborations: {appeared:,} appeared, {gone:,} disappeared")
        for x, y in collab["appeared"][:10]:
            typer.echo(f"  + {x} — {y}")
        for x, y in collab["disappeared"][:10]:
            typer.echo(f"  - {x} — {y}")

    changes = [*result["gained"], *result["lost"]]
    _emit(as_json, as_csv, ("id", "name", "a", "b", "change"), changes, text, json_value=result)


# ---------------------------------------------------------------- planning: suggested owners, history, follow-up


def _scores(entries: list[dict[str, Any]]) -> str:
    return " · ".join(f"{e.get('name') or e.get('unit')} {display.decimal(e['score'])}" for e in entries) or "-"


@app.command()
def suggest(
    task: Annotated[
        str | None, typer.Option(help="one task's suggestions with their reasons", metavar="TASK_ID")
    ] = None,
    document: Annotated[str | None, typer.Option(help="document id, 文号 or title", metavar="DOCUMENT")] = None,
    top: Annotated[int, typer.Option(min=1, max=20, help="suggestions per task and role", metavar="N")] = 3,
    as_json: AsJson = False,
    as_csv: AsCsv = False,
) -> None:
    """Suggested owners of unassigned tasks (suggestions, never assignments): who led and supported
    tasks like each one before, ranked, with a score; --task gives the reasons (the nearest precedents)."""
    with opened_services() as svc:
        if task:
            detail = svc.task_suggestions(task)
            rows = [*detail["leads"], *detail["supports"]]
        else:
            detail = None
            rows = svc.suggestions(document=document, top=top)

    def text() -> None:
        if detail is not None:
            typer.echo(f"{detail['title']}  《{detail['document']}》")
            if detail["assigned"]:
                typer.echo("  assigned by its clause: no suggestions")
            for s in rows:
                typer.echo(f"  suggested {s['role']} #{s['rank']}: {s['unit']}  score {display.decimal(s['score'])}")
                for r in s["reasons"]:
                    typer.echo(
                        f"      like {r['title']} 《{r['document']}》 similarity {display.decimal(r['similarity'])}"
                    )
                    if r["clause"]:
                        typer.echo(f"        {r['clause']}")
            return
        typer.echo(f"{display.plural(len(rows), 'unassigned task')}: suggested owners (not assignments)")
        current = None
        for row in rows:
            if row["doc_id"] != current:
                current = row["doc_id"]
                typer.echo(f"\n《{row['document']}》")
            typer.echo(f"  {display.pad(row['number'], 14)} {display.one_line(row['title'])}")
            typer.echo(f"      suggested lead: {_scores(row['leads'])}")
            typer.echo(f"      suggested support: {_scores(row['supports'])}")

    columns = ("role", "rank", "unit_id", "unit", "score") if task else _columns("suggested_owners")
    _emit(as_json, as_csv, columns, rows, text, json_value=detail if task else rows)


@app.command()
def history(
    task: Annotated[str, typer.Argument(help="the task id", metavar="TASK_ID")],
    as_json: AsJson = False,
) -> None:
    """A task's history: the tasks of earlier and later plans it continues or is continued by, with
    their documents, leads and deadlines, and the evidence of each link."""
    with opened_services() as svc:
        result = svc.task_history(task)

    def text() -> None:
        for h in result["history"]:
            mark = "→" if h["this"] else " "
            leads = "、".join(h["leads"]) or "no lead named"
            typer.echo(f"{mark} {h['year'] or '----'} 《{h['document']}》 {h['number']} {h['title']}")
            typer.echo(f"      lead: {leads}; due {h['due_last'] or '-'}")
            for c in h["continues"]:
                typer.echo(
                    f"      continues {c['task_id']}, score {display.decimal(c['score'])}: {'; '.join(c['evidence'])}"
                )

    _emit(as_json, False, (), result["history"], text, json_value=result)


@app.command()
def due(
    within: Annotated[
        str | None, typer.Option(help="from today: 30d, 2w, 3m (days, weeks, 30-day months)", metavar="PERIOD")
    ] = None,
    start: Annotated[str | None, typer.Option("--from", help="first day (ISO date)", metavar="YYYY-MM-DD")] = None,
    end: Annotated[str | None, typer.Option("--to", help="last day (ISO date)", metavar="YYYY-MM-DD")] = None,
    agency: Annotated[str | None, typer.Option(help="only this unit's tasks: any name form", metavar="AGENCY")] = None,
    role: Annotated[
        str | None, typer.Option(help="only where the agency has this role", metavar="|".join(Role))
    ] = None,
    document: Annotated[str | None, typer.Option(help="document id, 文号 or title", metavar="DOCUMENT")] = None,
    today: Annotated[
        str | None, typer.Option(help="the day overdue is counted from (default: today)", metavar="YYYY-MM-DD")
    ] = None,
    ics: Annotated[
        Path | None, typer.Option(help="also write the agency's whole calendar (.ics) to this file", metavar="FILE")
    ] = None,
    as_json: AsJson = False,
    as_csv: AsCsv = False,
) -> None:
    """The follow-up calendar: dated steps due in a period, by agency and document, and how many
    are past their due date (overdue against today)."""
    from datetime import date

    from dutygraph.errors import BadArgument
    from dutygraph.graph.analytics.followup import window

    def day(value: str | None, option: str) -> date | None:
        try:
            return date.fromisoformat(value) if value else None
        except ValueError:
            raise BadArgument(f"{option} must be an ISO date (YYYY-MM-DD), not {value!r}") from None

    reference = day(today, "--today") or date.today()
    first, last = day(start, "--from"), day(end, "--to")
    if within:
        if first or last:
            raise BadArgument("--within and --from/--to: choose one")
        try:
            first, last = window(within, reference)
        except ValueError as exc:
            raise BadArgument(str(exc)) from None
    if ics is not None and not agency:
        raise BadArgument("--ics needs --agency (a calendar is one agency's)")
    with opened_services() as svc:
        unit, rows = svc.milestones(start=first, end=last, agency=agency, role=role, document=document, today=reference)
        _, before = svc.milestones(agency=agency, role=role, document=document, today=reference)
        overdue = [r for r in before if r["status"] == "overdue"]
        if ics is not None:
            ics.write_bytes(svc.calendar(agency or "", role=role, document=document, today=reference).whole())

    def text() -> None:
        who = f"{unit['name']}: " if unit else ""
        period = f"{first or '…'} – {last or '…'}"
        typer.echo(f"{who}{display.plural(len(rows), 'step')} due {period} (today {reference})")
        for r in rows:
            flag = {"overdue": "OVERDUE ", "due": "TODAY   "}.get(r["status"], "        ")
            role_of = f"[{r['agency_role']}] " if r.get("agency_role") else ""
            typer.echo(f"  {r['due']} {flag}{role_of}{display.one_line(r['title'])}  ({r['expression']})")
            typer.echo(f"      lead: {'、'.join(r['leads']) or '-'} · 《{r['document']}》")
        if overdue:
            typer.echo(
                f"{display.plural(len(overdue), 'step')} past their due date in all (the latest {overdue[-1]['due']})"
            )
        if ics is not None:
            typer.echo(f"calendar written to {ics}")

    value = {"agency": unit, "today": reference.isoformat(), "steps": rows, "overdue": len(overdue)}
    _emit(as_json, as_csv, (*_columns("milestones_due"), "status", "days"), rows, text, json_value=value)


# ---------------------------------------------------------------- the embedded database


def _server() -> EmbeddedServer:
    from dutygraph.graph.store.embedded import EmbeddedServer

    s = settings()
    if s.db != "embedded":
        typer.echo(f"error: the database is {s.db}, not the embedded one", err=True)
        raise typer.Exit(USAGE)
    return EmbeddedServer(s.home)


@db_app.command("status")
def db_status(as_json: Annotated[bool, typer.Option("--json", help="JSON output")] = False) -> None:
    """Is the embedded database running, where, and how big."""
    server = _server()
    status = server.status()
    if as_json:
        _echo_json({**status.to_dict(), "servers": server.servers()})
        return
    state = f"running (pid {status.pid}, FalkorDB {status.version})" if status.running else "stopped"
    typer.echo(f"{state}\n  home   {status.home}\n  socket {status.socket}\n  data   {status.data_bytes:,} bytes")
    for user in server.servers():
        typer.echo(f"  used by the dutygraph server at {user['url']} (pid {user['pid']})")


@db_app.command("start")
def db_start() -> None:
    """Start the embedded database (nothing happens if it already runs)."""
    status = _server().ensure_started()
    typer.echo(f"running (pid {status.pid}) on {status.socket}")


@db_app.command("repair")
def db_repair() -> None:
    """Start the embedded database from damaged data files, keeping every write up to the damage.

    A copy of the data files is kept first (db.damaged-<time>/ in the data directory)."""
    report = _server().repair()
    if report.backup is None:
        typer.echo("the data files are whole: nothing to repair")
        return
    lost = [
        *(["the log was cut back to its last whole write"] if report.cut else []),
        *([f"{display.plural(report.left_out, 'damaged write')} left out"] if report.left_out else []),
    ]
    typer.echo(f"repaired ({'; '.join(lost) or 'the manifest was written back'}); running (pid {report.status.pid})")
    typer.echo(f"a copy of the damaged files is in {report.backup}")


@db_app.command("stop")
def db_stop() -> None:
    """Stop the embedded database; every committed write is already on disk.

    A `dutygraph serve` using it keeps running: until the database is started again
    (`dutygraph db start`) it answers 503 to every request that needs the database."""
    server = _server()
    users = server.servers()
    stopped = server.stop()
    typer.echo("stopped" if stopped else "was not running")
    if stopped:
        for user in users:
            typer.echo(
                f"note: the dutygraph server at {user['url']} (pid {user['pid']}) uses this database: it keeps "
                "running and answers 503 to requests that need the database until `dutygraph db start`",
                err=True,
            )


# ---------------------------------------------------------------- serving


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="address to listen on", metavar="ADDRESS")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port", metavar="PORT")] = 8000,
    load_samples: Annotated[
        bool, typer.Option("--load-samples", help="load the sample corpus (data/samples) first")
    ] = False,
    insecure: Annotated[bool, typer.Option("--insecure", help="allow a non-loopback address without API keys")] = False,
    registry: RegistryOption = None,
) -> None:
    """Serve the planner page and the HTTP API (starts the embedded database when needed)."""
    from dutygraph.api import server
    from dutygraph.api.app import create_app
    from dutygraph.api.deps import check_bind

    State.registry = registry
    s = settings()
    check_bind(s, host, insecure=insecure)
    try:
        sock = server.listening_socket(host, port)
    except server.PortInUse as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(FAILED) from None
    from dutygraph.services import Services

    svc = Services(s)
    # Opened now, before the address is printed: a database that cannot start is one line here, and
    # the server holds its connection from the start (what `db stop` says of it is then true).
    svc.open()
    if load_samples:
        report = svc.load_samples()
        changed = sum(r.action != "unchanged" for r in report.loaded)
        typer.echo(f"sample corpus: {display.plural(len(report.loaded), 'document')} ({changed:,} written)")
    shown = "localhost" if host in ("127.0.0.1", "::1") else host
    url = f"http://{shown}:{port}/"
    typer.echo(f"dutygraph is serving at {url}  (API docs at {url}docs)")
    try:
        with _registered_server(s, url):
            server.serve(create_app(s, svc, host=host), sock)
    finally:
        svc.close()


@contextmanager
def _registered_server(s: Settings, url: str) -> Iterator[None]:
    """While serving, the embedded database knows (`db status`, `db stop`) that this server uses it."""
    if s.db != "embedded":
        yield
        return
    from dutygraph.graph.store.embedded import EmbeddedServer

    with EmbeddedServer(s.home).serving(url):
        yield


# ---------------------------------------------------------------- pictures


def _at_least_two(value: int) -> int:
    if value < 2:
        raise typer.BadParameter(f"at least 2 nodes, not {value}")
    return value


@app.command()
def viz(
    agency: Annotated[
        str | None,
        typer.Argument(
            help="the agency whose ego network to draw: any name form or id, either script", metavar="AGENCY"
        ),
    ] = None,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="the HTML file to write (folders are created)", metavar="FILE")
    ] = Path("network.html"),
    network: Annotated[bool, typer.Option("--network", help="the collaboration network of agencies")] = False,
    document: Annotated[
        str | None,
        typer.Option(
            "--document",
            help="a document's network (id, 文号 or title); with --network: only this document",
            metavar="DOCUMENT",
        ),
    ] = None,
    jurisdiction: Annotated[
        str | None, typer.Option(help="with --network: only documents of this jurisdiction", metavar="NAME")
    ] = None,
    max_nodes: Annotated[
        int,
        typer.Option(
            "--max-nodes",
            help="node cap, at least 2: the least linked nodes beyond it are folded",
            metavar="N",
            callback=_at_least_two,
        ),
    ] = 300,
) -> None:
    """Draw a network as one HTML file that works offline (vis-network inlined).

    `viz 省大数据局 -o out.html` (an agency's ego network), `viz --network -o net.html`
    (agencies linked by shared tasks), `viz --document ID -o doc.html` (one document)."""
    from dutygraph.api import pictures

    if sum((agency is not None, network, document is not None and not network)) != 1:
        typer.echo("error: give an agency, --network or --document (one of them)", err=True)
        raise typer.Exit(USAGE)
    if jurisdiction and not network:
        typer.echo("error: --jurisdiction goes with --network", err=True)
        raise typer.Exit(USAGE)
    if output.is_dir():
        typer.echo(f"error: {output}: is a folder; give the HTML file to write", err=True)
        raise typer.Exit(USAGE)
    with opened_services() as svc:
        if agency is not None:
            picture = pictures.agency_view(svc, agency, max_nodes=max_nodes)
        elif network:
            picture = pictures.network_view(svc, document=document, jurisdiction=jurisdiction, max_nodes=max_nodes)
        else:
            picture = pictures.document_view(svc, document or "", max_nodes=max_nodes)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(pictures.render(picture), encoding="utf-8")
    counts = picture.counts
    nodes, links = display.plural(counts["nodes"], "node"), display.plural(counts["edges"], "link")
    typer.echo(f"{output}: {picture.title} — {nodes}, {links}")
    for note in picture.notes:
        typer.echo(f"  note: {note}")


if __name__ == "__main__":
    app()
