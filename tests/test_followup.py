"""The follow-up calendar on the seed graph: steps due by agency and period, overdue marked, the .ics export
read back by the icalendar library's own parser.  Expected values come from the annotation and the texts."""

from __future__ import annotations

from datetime import date

import icalendar
import pytest
import yaml
from test_annotations import ANNOTATIONS

from dutygraph.graph.analytics.followup import calendar, steps_due, window

JUNE = (date(2019, 6, 1), date(2019, 6, 30))


def annotated_tasks(unit: str, month: str) -> int:
    tasks = yaml.safe_load((ANNOTATIONS / "001.yaml").read_text("utf-8"))["tasks"]
    return sum(1 for t in tasks if month in t["deadline_months"] and any(u["name"] == unit for u in t["units"]))


def test_steps_due_in_june_2019_for_the_big_data_bureau_follow_the_annotation(seed_services):
    unit = seed_services.resolve_unit("省大数据局")
    steps = steps_due(seed_services.store, start=JUNE[0], end=JUNE[1], agency=unit["id"], today=date(2019, 6, 15))
    assert len({s["task_id"] for s in steps}) == annotated_tasks("省大数据局", "2019-06") > 0
    assert all(JUNE[0].isoformat() <= s["due"] <= JUNE[1].isoformat() for s in steps)
    # 6月底前 is 2019-06-30: after the 15th, so upcoming; nothing is due on the 15th itself
    assert {s["status"] for s in steps} == {"upcoming"} and all(s["days"] == 15 for s in steps)
    after = steps_due(seed_services.store, start=JUNE[0], end=JUNE[1], agency=unit["id"], today=date(2019, 7, 1))
    assert {s["status"] for s in after} == {"overdue"}


def test_the_ics_export_opens_in_icalendar_with_one_event_per_step(seed_services):
    unit = seed_services.resolve_unit("省大数据局")
    steps = steps_due(seed_services.store, agency=unit["id"])
    parsed = icalendar.Calendar.from_ical(calendar(steps, "dutygraph · 浙江省大数据发展管理局"))
    assert str(parsed["X-WR-CALNAME"]) == "dutygraph · 浙江省大数据发展管理局"
    events = list(parsed.walk("VEVENT"))
    assert len(events) == len(steps) and len({str(e["UID"]) for e in events}) == len(events)
    # 001: 完善全省统一的公共数据资源目录体系。10月底前,发布省市两级政务信息资源目录。(lead 省大数据局)
    (catalogue,) = [e for e in events if "完善全省统一的公共数据资源目录体系" in str(e["SUMMARY"])]
    assert catalogue.decoded("DTSTART") == date(2019, 10, 31)
    assert str(catalogue["SUMMARY"]).startswith("[牵头]")
    assert "浙政办发〔2019〕17号" in str(catalogue["DESCRIPTION"])


@pytest.mark.parametrize(
    ("within", "end"), [("30d", date(2019, 7, 1)), ("2w", date(2019, 6, 15)), ("1m", date(2019, 7, 1))]
)
def test_within_reads_days_weeks_and_months(within, end):
    assert window(within, date(2019, 6, 1)) == (date(2019, 6, 1), end)


def test_a_bad_within_names_the_forms_it_takes():
    with pytest.raises(ValueError, match="30d, 2w or 3m, not '30 days'"):
        window("30 days", date(2019, 6, 1))
