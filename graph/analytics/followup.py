"""The follow-up calendar: dated steps due in a period, by agency and document, overdue ones marked.

A plan's dated steps (``Milestone`` nodes: 6月底前 → 2019-06-30) are what the 督查 office follows up.
:func:`steps_due` reads them through ``queries/milestones_due.cypher`` and marks each against a reference
day (today unless given): ``overdue`` when its day has passed, ``due`` on the day, ``upcoming`` after.
A plan records no completion, so *overdue* means "its deadline has passed": the list a follow-up starts from.

:func:`calendar` writes them as an iCalendar (RFC 5545) file a calendar application subscribes to: one
all-day event per step, with a stable UID (the step's id), the task, the document, the units and the
clause as written; :func:`window` turns ``30d`` / ``2w`` / ``3m`` into a period from the reference day.

>>> from datetime import date
>>> window("30d", date(2019, 6, 1))
(datetime.date(2019, 6, 1), datetime.date(2019, 7, 1))
>>> status("2019-05-31", date(2019, 6, 1)), status("2019-06-01", date(2019, 6, 1))
('overdue', 'due')
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from dutygraph.queries import PAGE_KEY, load_query

from ..store import GraphStore

STATUSES = ("overdue", "due", "upcoming")
_WITHIN = re.compile(r"^\s*(\d{1,4})\s*([dwm])\s*$")
_UNIT_DAYS = {"d": 1, "w": 7, "m": 30}


def window(within: str, today: date) -> tuple[date, date]:
    """The period ``within`` (a number and d / w / m: days, weeks, 30-day months) from ``today``."""
    match = _WITHIN.match(within or "")
    if not match:
        raise ValueError(f"--within must be a number of days, weeks or months such as 30d, 2w or 3m, not {within!r}")
    days = int(match.group(1)) * _UNIT_DAYS[match.group(2)]
    return today, today + timedelta(days=days)


def status(due: str, today: date) -> str:
    day = date.fromisoformat(due)
    return "overdue" if day < today else "due" if day == today else "upcoming"


def steps_due(
    store: GraphStore,
    *,
    start: date | None = None,
    end: date | None = None,
    agency: str | None = None,
    role: str | None = None,
    document: str | None = None,
    today: date | None = None,
) -> list[dict[str, Any]]:
    """Dated steps from ``start`` to ``end`` (inclusive, either open), earliest first, each with its
    ``status`` against ``today``; ``agency`` is a unit id (with ``role``, only where it has that role)."""
    today = today or date.today()
    query = load_query("milestones_due")
    params = {
        "due_after": start.isoformat() if start else None,
        "due_before": end.isoformat() if end else None,
        "agency": agency,
        "role": role,
        "document": document,
    }
    rows = store.read(query.cypher, query.bind(params)).records()
    for row in rows:
        del row[PAGE_KEY]  # the query's paging key: no column of the calendar
        row["status"] = status(row["due"], today)
        row["days"] = (date.fromisoformat(row["due"]) - today).days
    return rows


def calendar(steps: list[dict[str, Any]], name: str, *, stamp: datetime | None = None) -> bytes:
    """The steps as an iCalendar file named ``name`` (X-WR-CALNAME): one all-day event per step."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//dutygraph//follow-up calendar//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    stamp = stamp or datetime.now().replace(microsecond=0)
    for step in steps:
        day = date.fromisoformat(step["due"])
        event = Event()
        event.add("uid", f"{step['milestone_id']}@dutygraph")
        event.add("dtstamp", stamp)
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        role = {"lead": "牵头", "support": "协同", "joint": "共同负责"}.get(step.get("agency_role") or "")
        event.add("summary", (f"[{role}] " if role else "") + f"{step['title']}（{step['expression']}）")
        lines = [
            f"任务：{step['number']} {step['title']}",
            f"节点：{step['step']}",
            f"文件：{step['document']}" + (f"（{step['doc_number']}）" if step.get("doc_number") else ""),
            "牵头单位：" + ("、".join(step["leads"]) or "未明确"),
        ]
        if step.get("supports"):
            lines.append("协同单位：" + "、".join(step["supports"]))
        if step.get("clause"):
            lines.append(f"原文：{step['clause']}")
        event.add("description", "\n".join(lines))
        event.add("categories", [step.get("agency_role") or "milestone"])
        cal.add_component(event)
    ical: bytes = cal.to_ical()  # icalendar leaves to_ical() without a return type
    return ical
