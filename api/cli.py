"""The `dutygraph` command line: thin over the same services as the HTTP API."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from dutygraph.extraction import Failure, extract_paths, quality_report, task_record
from dutygraph.model import Role

app = typer.Typer(
    help="dutygraph: who leads (牵头) and who supports (协同/配合) each task in government plans.",
    no_args_is_help=True,
    add_completion=False,
)


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
    for c in report["citations"]:
        echo(f"     {c['relation']}: 《{c['title']}》 {c['doc_number'] or ''}")
    for w in doc.warnings:
        echo(f"     note: {w}")


if __name__ == "__main__":
    app()
