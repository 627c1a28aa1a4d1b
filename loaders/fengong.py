"""The 任务分工表 stage: the rows of a recognised table as tasks, before roles and deadlines.

Input: a :class:`~.read.Table` (its cells carry offsets into the document text, see
:mod:`.read.tables`) and the marking reader.  Output: a :class:`TablePlan` — for each row with
task text, a :class:`RowTask` with its number, the statement, the 重点任务 it stands under (when
the row has a 具体措施 cell of its own), the markings its unit cells hold and its 完成时限
cell.  The pipeline (:mod:`.pipeline`) gives the units their roles (:mod:`.roles`) and the
task its deadlines (:mod:`.deadlines`).

How cells are read:

* a lead / support / responsible cell with a marking of its own (``A牵头，B配合``,
  ``牵头单位：A；配合单位：B``) is read by the marking grammar: the roles it names stand, units
  it leaves to a convention (``A、B按职责分工负责``) take the column's role;
* a plain list (``A、B``, one unit a line) takes the column's role; 责任单位 beside a 牵头单位
  column support;
* with no unit cell filled, the statement's own marking (``建设…（A牵头，B配合）``) is read;
* a row with units or a deadline but no task text is named in the warnings, not dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .clauses import Clause, ClauseReader
from .read import Cell, Table

UNIT_COLUMNS = ("lead", "support", "responsible")
_BLANKS = " \t\n\u3000\xa0"


@dataclass(slots=True)
class RowTask:
    """One row of a 分工表 as a task."""

    number: str  # "<table>.<序号 or row>@<row>": unique in the document
    row: int
    start: int  # offsets into the document text: the row's cells
    end: int
    statement: Cell  # the 具体措施 cell, else the 重点任务 cell
    text: str  # the statement without a marking written into it
    heading: Cell | None  # the 重点任务 cell, when the row has a 具体措施 cell under it
    clauses: list[Clause] = field(default_factory=list)  # unit cells and leader cell, in column order
    deadline: Cell | None = None  # the 完成时限 cell

    @property
    def title_source(self) -> str:
        return self.heading.text if self.heading is not None else self.text


@dataclass(slots=True)
class TablePlan:
    """The result of the 分工表 stage for one table."""

    rows: list[RowTask]
    warnings: list[str]


def table_rows(table: Table, index: int, folded: str, reader: ClauseReader) -> TablePlan:
    """The tasks of ``table``, the ``index``-th of the document (``folded``: the matching form
    of the document text the cells point into)."""
    has_lead_column = "lead" in table.keys
    # In a cell, a line break separates units as 、 does ("省经信厅、省公安厅\n省民政厅").
    units_view = folded.replace("\n", "、")
    rows: list[RowTask] = []
    warnings: list[str] = []
    for row in table.rows:
        cells = row.cells
        task_cell, measure_cell = cells.get("task"), cells.get("measures")
        statement = measure_cell or task_cell
        if statement is None or not statement.text.strip():
            if any(k in cells for k in (*UNIT_COLUMNS, "deadline")):
                warnings.append(f"table {index} row {row.line}: units or a deadline, no task text: not used")
            continue
        number_cell = cells.get("number")
        label = number_cell.text.strip() if number_cell and number_cell.text.strip() else str(row.line)
        task = RowTask(
            number=f"{index}.{label}@{row.line}",
            row=row.line,
            start=min(c.start for c in cells.values()),
            end=max(c.end for c in cells.values()),
            statement=statement,
            text=statement.text.strip(),
            heading=task_cell if measure_cell is not None else None,
            deadline=cells.get("deadline"),
        )
        for key in UNIT_COLUMNS:
            cell = cells.get(key)
            if cell is not None and cell.text.strip():
                role = "support" if key == "responsible" and has_lead_column else key
                task.clauses.append(cell_clause(reader, units_view, cell, role))
        if not task.clauses:
            own = reader.find(folded, statement.start, statement.end)
            if own:
                task.clauses.extend(own)
                task.text = statement.text[: own[0].start - statement.start].strip(_BLANKS) or task.text
        leader = cells.get("leader")
        if leader is not None and leader.text.strip():
            clause = Clause(leader.start, leader.end)
            reader._read_list(units_view, leader.start, leader.end, "leader", clause)
            task.clauses.append(clause)
        rows.append(task)
    return TablePlan(rows, warnings)


def cell_clause(reader: ClauseReader, units_view: str, cell: Cell, role: str) -> Clause:
    """The units of one unit cell with the roles they were written with (see the module's
    docstring); ``role``: the column's."""
    # 市委网信办、市公安局（按职责分工负责） in a lead column: each answers for its part (joint),
    # which the label reading of the column's role says; the inline reading would make them leads
    shared = reader._shared_verb(units_view, cell.start, cell.end) is not None
    clause = None if shared else reader.read_bracket(units_view, cell.start, cell.end)
    if clause is not None and clause.items:
        if role != "responsible":
            for item in clause.items:
                if item.key_role in ("responsible", "joint"):
                    item.key_role = role
        clause.start, clause.end = cell.start, cell.end
        return clause
    clause = Clause(cell.start, cell.end)
    reader._read_list(units_view, cell.start, cell.end, role, clause)
    return clause
