"""Deadlines inside a task statement → dated milestones.

A task in a work plan often carries its own timetable: "6月底前,完成…。12月底前,
实现…".  :func:`find_milestones` finds each deadline expression, resolves it
against the document's year (a year written in the expression wins) and cuts
the statement into the steps the deadlines govern.  Relative expressions resolve
against that year too: 明年7月份 → next year's 07-31, 明年年底 and 次年 → next year's
12-31, 下半年 → 12-31, 一季度 → 03-31, 第三季度末 → 09-30, 年底前 → 12-31, 上半年 → 06-30,
到“十四五”末 → 2025-12-31.  Expressions with no fixed date (年内, 长期坚持, 持续推进, 每年,
春节前 …) are returned as notes, as written: no date is ever invented for them.  The
document's year is the metadata stage's (loaders/metadata.py): the year of issue (or, for a
one-year plan signed late in the year before, its title's), else the year in the title
(苏州市2023年数字经济工作要点 → 2023).

A time phrase inside a responsibility marking (（A负责，2023年底前完成）,
（各部门分别负责，年内持续推进）) or in a 完成时限 column is the task's own:
:func:`marking_deadlines` reads it, :func:`time_phrases` says where it stands in a marking
(so that a marking reader cuts it away before reading units), and :func:`task_deadlines`
gives a task the deadlines of its statement and of its markings together.

**Why a grammar, not jionlp.**  Issue 11 asked to prefer a well-kept Chinese time parser
where it does the job; jionlp's ``parse_time`` was tried (benchmarks/bench_jionlp.py,
docs/benchmarks.md "Deadlines: jionlp or our grammar") and is not used, because here it
does not do the job better:

* finding deadlines is most of the work, and its finder (``ner.extract_time``) is about 60
  times slower than this grammar on the seed texts and reports times that are no deadline
  (17号, a bare 2019, 90天, 2个工作日以内);
* given a phrase, it returns a span, not a due date, and for a deadline some spans end wrong
  or not at all (jionlp 1.5.31; the later phrases tried on jionlp-time 1.0.0, the same parser
  packaged alone): 明年年底 starts on 11-01, 12月中下旬 ends on 12-20, 2023年内 runs to
  4044, 7月份 and 11底前 fail, and 年内, 十四五末 and 持续推进 are not understood;
* it weighs 270 MB installed (its segmenter jiojio with it) and unpacks dictionaries into its
  own folder on first use.

The one thing it resolves that this grammar does not is a lunar festival (2024年春节前 →
2024-02-10); those are kept here as notes ("2024年春节前"), as written.  What it showed
worth having was added to the grammar's vocabulary instead: relative years (明年, 次年,
翌年, 后年), a whole month (7月份), dates in figures (2023.12.31, 2023-12-31, 2023.12) and
中下旬.

The vocabulary — period words and their day, prefixes, suffixes, no-date
phrases — lives in ``data/deadlines.yaml`` and is compiled into regular
expressions once, on first use.

>>> ms, notes = find_milestones("6月底前,完成执法检查事项清单梳理。9月底前,完成平台试运行。", 2019)
>>> for m in ms:
...     print(m.due, m.expression, m.text)
2019-06-30 6月底前 6月底前,完成执法检查事项清单梳理
2019-09-30 9月底前 9月底前,完成平台试运行
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple, Protocol

import yaml

from dutygraph.model import Milestone

from .repair import fold

__all__ = ["DATA_FILE", "Deadlines", "find_milestones", "marking_deadlines", "task_deadlines", "time_phrases"]

DATA_FILE = Path(__file__).parent / "data" / "deadlines.yaml"


class Deadlines(NamedTuple):
    """The deadlines of one task: dated (or undatable) milestones in text order, and the
    no-date expressions (年内, 持续推进 …) as written.  A tuple, so ``ms, notes = …`` works."""

    milestones: list[Milestone]
    notes: list[str]


class DeadlineFinder(Protocol):
    """What :func:`find_milestones` and :func:`marking_deadlines` both are: the pipeline picks one per span."""

    def __call__(self, text: str, year: int | None, /, *, offset: int = 0) -> Deadlines: ...


# Spaces that PDF extraction leaves between digits and characters (6 月底前).
_S = r"[ \t\u3000\u00a0]*"
_CN_DIGIT = {
    "〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip
_CN_CHARS = "〇零一二三四五六七八九十"
# A governed text ends at the last of these before the next deadline.
_SENTENCE_ENDS = "。;；!！?？"
# Trimmed from both ends of a governed text.
_TRIM = " \t\r\n\u3000\u00a0,，、;；:：。!！?？(（"
# Book titles: 《…二〇三五年远景目标纲要》 holds no deadline of the task.
_OPENER = {")": "(", "）": "（"}
_BOOK_TITLE = re.compile(r"《[^《》]{0,300}》")
_MASK = "\u25a1"
# How far a deadline expression and its lookarounds reach around an anchor.
_REACH_BEFORE = 16
_REACH_AFTER = 24
# A count or year written before a counted note: 三年内, 2019年内.
_COUNT_BEFORE = re.compile(rf"(?:\d{{1,4}}|[一二两三四五六七八九十]{{1,3}}|今|本){_S}\Z")


def _alt(words: Any) -> str:
    """A regex alternation of literal words, longest first."""
    return "|".join(re.escape(str(w)) for w in sorted(words, key=lambda w: (-len(str(w)), str(w))))


def _not_after(words: Any) -> str:
    return "".join(f"(?<!{re.escape(str(w))})" for w in words)


def _not_before(words: Any) -> str:
    return "".join(f"(?!{re.escape(str(w))})" for w in words)


def _number(s: str) -> int:
    """Arabic or Chinese numerals: '12', '十二', '二十五', '二〇二五'."""
    s = s.strip()
    if s.isdigit():
        return int(s)
    if "十" in s:
        tens, _, units = s.partition("十")
        return (_CN_DIGIT[tens] if tens else 1) * 10 + (_CN_DIGIT[units] if units else 0)
    value = 0
    for ch in s:
        value = value * 10 + _CN_DIGIT[ch]
    return value


@dataclass(frozen=True, slots=True)
class _Grammar:
    anchor: re.Pattern[str]
    patterns: tuple[re.Pattern[str], ...]
    # Per pattern, words of which a match must hold at least one from each group: a window
    # holding none is not searched with that pattern (a substring test is far cheaper).
    needs: tuple[tuple[tuple[str, ...], ...], ...]
    notes: re.Pattern[str]
    counted_notes: frozenset[str]
    clause: re.Pattern[str]
    month_periods: dict[str, str]
    year_periods: dict[str, str]
    half_years: dict[str, str]
    quarters: dict[str, str]
    relative_years: dict[str, int]
    recurring: tuple[str, ...]
    standalone_month_periods: frozenset[str]
    standalone_not_after: tuple[str, ...]
    standalone_not_before: tuple[str, ...]
    dated_notes: frozenset[str]
    year_before: re.Pattern[str]
    marking_parts: re.Pattern[str]
    lead_in: re.Pattern[str]
    range_separators: tuple[str, ...]
    range_not_after: tuple[str, ...]
    range_year_head: re.Pattern[str]
    completion: re.Pattern[str]


@lru_cache(maxsize=1)
def _grammar() -> _Grammar:
    """Load the vocabulary and compile the patterns (once per process)."""
    voc = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    S = _S
    numeral_lb = rf"(?<![\d.%．{_CN_CHARS}百千万])"
    suffix_guard = _not_before(voc["suffix_not_before"])
    suf = rf"(?:{S}(?P<suf>{_alt(voc['suffixes'])}){suffix_guard})?"
    # The lookahead first: at most positions no 到/至 stands, and the lookbehinds are not tried.
    to_words = _alt(voc["to_prefixes"])
    to = rf"(?:(?P<to>(?=(?:{to_words}))(?<!\d){_not_after(voc['to_not_after'])}(?:{to_words})){S})?"
    year = rf"(?=[\d〇零一二三四五六七八九])(?<![\d{_CN_CHARS}])(?P<y>\d{{4}}|[〇零一二三四五六七八九]{{4}}){S}年"
    yspec = rf"(?:{year}|(?P<rel>{_alt(voc['relative_years'])}))"
    # Numbers are range-checked when resolved (13月 is no month).
    month = rf"(?=[\d一二三四五六七八九十]){numeral_lb}(?P<m>\d{{1,2}}|十[一二]?|[一二三四五六七八九])"
    day = r"(?P<d>\d{1,2}|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])"
    # 2019年前三季度 / 2019年前3个月: 前 there is "the first …", not "before".
    counted = "个|季度|月|年|天|周|批|名|位|项|家|次"
    not_a_count = rf"(?!{S}(?:[\d一二两三四五六七八九十]+{S}(?:{counted})|半年|季度))"
    bare_year = rf"(?<![\d{_CN_CHARS}每去前今本明当次翌]){S}年"
    later = [w for w, offset in voc["relative_years"].items() if int(offset) > 0]
    # 明年 / 次年 alone; not 明年起, 次年初, nor the start of 明年6月 (another pattern's).
    later_alone = (
        rf"(?P<rel>{_alt(later)})(?:{S}(?P<suf>{_alt(voc['suffixes'])}){suffix_guard})?"
        rf"(?!{S}(?:年|月|季|上半|下半|底|末|[\d{_CN_CHARS}]))"
        + _not_before(voc["standalone_relative_not_before"])
        # 明年汛期前: the year of a dated note (kept as written), not a deadline of its own
        + _not_before(e["phrase"] for e in voc["no_date"] if isinstance(e, dict) and e.get("dated"))
    )

    numeric_sep = _alt([*voc["numeric_date_separators"], "．"])
    patterns = (
        # 4月15日前, 2021年9月30日以前
        rf"{to}(?:{yspec}{S})?{month}{S}月{S}{day}{S}[日号]{suf}",
        # 6月底前, 4月中旬前, 2021年8月底前, 到2025年6月, 11底前 (月 missing)
        rf"{to}(?:{yspec}{S})?{month}{S}(?:月(?:{S}(?P<per>{_alt(voc['month_periods'])}))?"
        rf"|(?P<typo>{_alt(voc['month_typo_periods'])})){suf}",
        # 年底前, 2021年底前, 到2025年底前, 今年底前
        # 明年年底, 2023年年底前: the year said twice
        rf"{to}(?:{yspec}(?:{S}年)?|{bare_year}){S}(?P<yper>{_alt(voc['year_periods'])}){suf}",
        # 上半年, 2019年下半年, 第一季度末前, 三季度, 2019年前三季度
        rf"{to}(?:{yspec}{S})?(?:(?P<half>{_alt(voc['half_years'])})"
        rf"|(?:前{S})?(?:第{S})?(?P<q>{_alt(voc['quarters'])}){S}季度(?:{S}(?:{_alt(voc['quarter_periods'])}))?){suf}",
        # 到2025年, 2025年前
        rf"{to}{year}(?!{S}[\d度内]){suf}{not_a_count}",
        # 次年, 明年前, 到明年
        rf"{to}{later_alone}",
        # 2023.12.31, 2023-12-31前, 2023/12/31, 2023.12: figures, one separator throughout
        # (a span's ends may be joined by another separator: 2023.06-2023.12)
        rf"{to}(?<![\d.．/])(?P<y>(?:19|20)\d{{2}}){S}(?P<sep>{numeric_sep}){S}(?P<m>\d{{1,2}})"
        rf"(?:{S}(?P=sep){S}(?P<d>\d{{1,2}}))?(?![\d.．/])(?!{S}(?P=sep){S}\d)(?:{S}[日号])?"
        rf"(?!{S}(?:{_alt(voc['numeric_date_not_before'])})){suf}",
        # 到“十四五”末, 十四五期末前: the end of a five-year plan
        rf"{to}[\"“]?十{S}(?P<fyp>[三四五六七八九]){S}五[\"”]?{S}(?:规划)?{S}"
        rf"(?:{_alt(voc['five_year_plan_ends'])}){suf}",
    )

    # The characters a match of any pattern can start with: a 到/至, a numeral, a relative year,
    # 上半年/下半年, 前/第 before a quarter, 年 (年底前), a blank, a quote (“十四五”末).  Asserted
    # first, it fails most positions of a window in one step instead of trying every optional
    # opening part of a pattern there (the regex engine takes no first-character hint from an
    # optional group): matches unchanged, the patterns about twice as fast.
    first_chars = {
        *(str(w)[0] for w in voc["to_prefixes"]),
        *(str(w)[0] for w in voc["relative_years"]),
        *(str(w)[0] for w in voc["half_years"]),
        *(str(w)[0] for w in voc["quarters"]),
        *_CN_CHARS,
        *'两前第年"“ \t\u3000\u00a0',
    }
    starts = "(?=[\\d" + "".join(re.escape(c) for c in sorted(first_chars)) + "])"

    # Every deadline holds one of these; the patterns only run around them.
    anchor = (
        rf"[\d{_CN_CHARS}]{S}(?:年|月|{_alt(voc['month_typo_periods'])})|季度"
        rf"|{_alt(voc['half_years'])}|年{S}(?:{_alt(voc['year_periods'])})|{_alt(later)}"
        rf"|(?:19|20)\d{{2}}{S}(?:{numeric_sep}){S}\d|十{S}[三四五六七八九]{S}五"
    )

    # Literal first (the regex engine skips fast to its first characters), then
    # the words that must not stand before / after it.
    note_parts = []
    counted_notes = set()
    dated_notes = set()
    for entry in voc["no_date"]:
        if isinstance(entry, str):
            entry = {"phrase": entry}
        phrase = re.escape(entry["phrase"])
        part = phrase + "".join(f"(?<!{re.escape(w)}{phrase})" for w in entry.get("not_after", ()))
        part += _not_before(entry.get("not_before", ()))
        if entry.get("counted"):
            counted_notes.add(entry["phrase"])
        if entry.get("dated"):
            dated_notes.add(entry["phrase"])
        note_parts.append((len(entry["phrase"]), part))
    note_parts.sort(key=lambda p: -p[0])
    notes = "|".join(f"(?:{p})" for _, p in note_parts)

    # PDF text may break a clause opener over lines: (责\n任单位:…)
    openers = sorted(voc["clause_openers"], key=len, reverse=True)
    clause = r"[(（]\s*(?:" + "|".join(r"\s*".join(map(re.escape, w)) for w in openers) + ")"

    return _Grammar(
        anchor=re.compile(anchor),
        counted_notes=frozenset(counted_notes),
        patterns=tuple(re.compile(f"{starts}(?:{p})") for p in patterns),
        needs=_needs(
            (("月",), ("日", "号")),
            (("月", *map(str, voc["month_typo_periods"])),),
            (tuple(map(str, voc["year_periods"])),),
            ((*map(str, voc["half_years"]), "季度"),),
            (("年",),),
            (tuple(later),),
            (("19", "20"), (*map(str, voc["numeric_date_separators"]), "．")),
            (("十",), ("五",)),
        ),
        notes=re.compile(notes),
        clause=re.compile(clause),
        month_periods={str(k): str(v) for k, v in voc["month_periods"].items()},
        year_periods={str(k): str(v) for k, v in voc["year_periods"].items()},
        half_years={str(k): str(v) for k, v in voc["half_years"].items()},
        quarters={str(k): str(v) for k, v in voc["quarters"].items()},
        relative_years={str(k): int(v) for k, v in voc["relative_years"].items()},
        recurring=tuple(sorted(voc["recurring"], key=len, reverse=True)),
        standalone_month_periods=frozenset(str(p) for p in voc["standalone_month_periods"]),
        standalone_not_after=tuple(str(w) for w in voc["standalone_not_after"]),
        standalone_not_before=tuple(str(w) for w in voc["standalone_not_before"]),
        dated_notes=frozenset(dated_notes),
        # A year written or named right before a dated note: 2024年春节前, 明年汛期前.
        year_before=re.compile(rf"(?:{year}|{_alt(voc['relative_years'])}){S}\Z"),
        marking_parts=re.compile(r"[^,;，；。]+"),
        range_separators=tuple(str(w) for w in voc["range_separators"]),
        completion=re.compile(rf"{S}(?:{_alt(voc['completion_verbs'])})" + _not_before(voc["completion_not_before"])),
        range_not_after=tuple(str(w) for w in voc["to_not_after"] if str(w) in ("截", "止", "望")),
        # 2023-2025年, 2023年—2025年: the start of a span of years, before its end
        range_year_head=re.compile(
            rf"(?<![\d{_CN_CHARS}])(?:\d{{4}}|[〇零一二三四五六七八九]{{4}}){S}年?{S}(?:{_alt(voc['range_separators'])}){S}\Z"
        ),
        lead_in=re.compile(rf"[\s:：(（]*(?:(?:{_alt(voc['time_lead_ins'])})[\s:：]*)*"),
    )


def _needs(*per_pattern: tuple[tuple[str, ...], ...]) -> tuple[tuple[tuple[str, ...], ...], ...]:
    """Each pattern's groups of words: a window without a word of every group cannot hold a
    match of the pattern, and is not scanned with it."""
    return per_pattern


def _windows(g: _Grammar, masked: str) -> list[tuple[int, int]]:
    """Stretches of text around anchors (年, 月, 季度 …) where a deadline can stand.

    Only these are searched: plain prose between deadlines costs one fast scan.
    A window reaches far enough before the anchor for 到 + a year and after it
    for a day, a suffix and what the lookaheads inspect."""
    windows: list[tuple[int, int]] = []
    for a in g.anchor.finditer(masked):
        start, end = max(0, a.start() - _REACH_BEFORE), min(len(masked), a.end() + _REACH_AFTER)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    return windows


@lru_cache(maxsize=1024)
def _day_of_year(y: int, rule: str) -> date:
    month, day = rule.split("-")
    return date(y, int(month), int(day))


@lru_cache(maxsize=4096)
def _day_of_month(y: int, m: int, rule: str) -> date:
    # cached: calendar.monthrange also works out the month's first weekday, every time
    if rule == "last":
        return date(y, m, calendar.monthrange(y, m)[1])
    return date(y, m, int(rule))


def _resolve(g: _Grammar, m: re.Match[str], year: int | None, *, marking: bool = False) -> tuple[bool, date | None]:
    """(is a deadline, due date) for one candidate match; an impossible date is no deadline.

    In running text a month or a year needs 前 after it or 到 before it, unless its words
    stand on their own (7月份, 明年年底, 次年, 上半年, 三季度, 2023年底 in a 2023 plan) or a
    verb of completion follows at once (6月底完成验收); inside a responsibility marking
    (``marking``) every time phrase is the task's: 6月底 there is 06-30."""
    groups = m.groupdict()
    to, suf = groups.get("to"), groups.get("suf")
    written = groups.get("y")
    rel = groups.get("rel")
    y: int | None
    if written:
        y = _number(written)
        if not 1900 <= y <= 2100:
            return False, None
    elif rel:
        y = None if year is None else year + g.relative_years[rel]
    else:
        y = year

    if groups.get("half") or groups.get("q"):  # parts of a year are deadlines on their own
        rule = g.half_years[groups["half"]] if groups.get("half") else g.quarters[groups["q"]]
        return True, None if y is None else _day_of_year(y, rule)
    if groups.get("fyp"):  # 十四五末: the plan ends in 1955 + 5N
        end = date(1955 + 5 * (10 + _number(groups["fyp"])), 12, 31)
        return bool(to or suf or marking) or _stands_alone(g, m), end
    alone = marking or g.relative_years.get(rel or "", 0) > 0 or groups.get("per") in g.standalone_month_periods
    if not alone and not suf and not groups.get("typo") and (groups.get("m") or groups.get("yper")):
        # 6月底完成验收, 年底建成 (a year written before the document's: a past fact)
        alone = bool(g.completion.match(m.string, m.end())) and not (
            written and y is not None and year is not None and y < year
        )
    if groups.get("yper") and not alone:
        # 今年年底, 2023年底 in a 2023 plan: its deadline; 2022年底 there is a past fact
        alone = bool(rel) or (bool(written) and year is not None and y is not None and y >= year)
    if not (to or suf) and not (alone and _stands_alone(g, m, marking=marking)):
        return False, None
    if groups.get("d"):
        mo, d = _number(groups["m"]), _number(groups["d"])
        if not (1 <= mo <= 12 and 1 <= d <= calendar.monthrange(y or 2000, mo)[1]):
            return False, None
        return True, None if y is None else date(y, mo, d)
    if groups.get("m"):
        mo = _number(groups["m"])
        if not 1 <= mo <= 12:
            return False, None
        if groups.get("typo"):
            if not suf:
                return False, None
            rule = "last"
        elif groups.get("per"):
            rule = g.month_periods[groups["per"]]
        elif not suf:  # 到2025年6月, 明年7月: the whole month
            rule = "last"
        else:  # 6月前: "before June" or "by June"? No date is guessed.
            return False, None
        return True, None if y is None else _day_of_month(y, mo, rule)
    if groups.get("yper"):
        return True, None if y is None else _day_of_year(y, g.year_periods[groups["yper"]])
    if rel:  # 次年, 明年前: the whole year
        return True, None if y is None else _day_of_year(y, "12-31")
    # 到2025年 / 2025年前: a year needs its number written.
    return bool(written), _day_of_year(y, "12-31") if written and y is not None else None


def _stands_alone(g: _Grammar, m: re.Match[str], *, marking: bool = False) -> bool:
    """Whether a match with no 前/到 of its own is not part of a span, list or "as of".

    In a marking, the end of a span stands (2023年6月至12月: the work is due by 12-31);
    `_spans` joins it to its start."""
    text = m.string
    before = text[max(0, m.start() - 4) : m.start()].rstrip(" \t\u3000\u00a0")
    if marking and before.endswith(g.range_separators) and not before[:-1].endswith(g.range_not_after):
        return not text.startswith(g.standalone_not_before, m.end())
    # a digit right before: 1-7月份 without the dash is already refused by the pattern
    if before.endswith(g.standalone_not_after) or (before[-1:].isdigit() and before[-2:-1] in "-—–~～"):
        return False
    return not text.startswith(g.standalone_not_before, m.end())


def _recurring(g: _Grammar, masked: str, start: int) -> bool:
    before = masked[max(0, start - 6) : start].rstrip(" \t\u3000\u00a0")
    return before.endswith(g.recurring)


def _step_end(g: _Grammar, text: str, expr_end: int, next_start: int | None) -> int:
    """Where the text governed by a deadline ends (exclusive, before trimming)."""
    limit = len(text) if next_start is None else next_start
    clause = g.clause.search(text, expr_end, limit)
    if clause:
        return clause.start()
    if next_start is None:
        return limit
    last = max(text.rfind(ch, expr_end, limit) for ch in _SENTENCE_ENDS)
    return last if last >= 0 else limit


def _trim(text: str, start: int, end: int) -> int:
    """Move ``end`` left over trailing punctuation, spaces and unbalanced closing brackets."""
    while end > start:
        ch = text[end - 1]
        unbalanced = ch in ")）" and text.count(ch, start, end) > text.count(_OPENER[ch], start, end)
        if ch not in _TRIM and not unbalanced:
            break
        end -= 1
    return end


def find_milestones(text: str, year: int | None, *, offset: int = 0) -> Deadlines:
    """Find the deadlines of one task statement.

    ``text`` is the task statement (simplified script; half- or full-width
    punctuation; PDF spaces such as ``6 月底前`` are fine).  ``year`` is the
    document's year: a deadline with no written year takes it, a written year
    wins (``2021年8月底前``).  ``offset`` is added to every ``start``/``end``, so
    a caller passing a slice of the document gets document offsets.

    Returns ``(milestones, notes)``:

    * milestones in text order, one per deadline expression, with ``due`` the
      last day of the period (月底前 → last day of the month, 月中旬前 → the
      20th, 月上旬前 → the 10th, 年底前 and 到2025年 → 12-31, 上半年 → 06-30,
      三季度 → 09-30, 11底前 → 11-30) and ``expression`` the words as written
      (``到2025年``, ``6 月底前``).  With ``year=None`` and no written year,
      ``due`` is None and the expression is also added to the notes.
    * notes: no-date expressions (年内, 三年内, 长期坚持, 持续推进, 每年 …) as
      written, in text order, de-duplicated.

    **Governed text.** A step runs from its deadline expression up to the next
    deadline expression.  When the next deadline stands in a later sentence or
    clause, the step stops at the last 。/;/!/? before it, so that the lead-in
    of the next step ("…。加快推动…,6月底前,实现…") is not given to the previous
    one.  Sentences in between that carry no deadline of their own stay with
    the previous step, and the last step runs to the end of the statement.  A
    step never runs into a responsibility clause (``(责任单位:…)``).  The text
    is trimmed of punctuation and spaces at its end; ``text[start:end]``
    (without ``offset``) is exactly ``Milestone.text``.

    Not deadlines: anything inside 《…》 book titles, bare year mentions
    (``2019年度``, ``2021—2025年``), ranges (``2021年至2025年``), ``截至6月底``
    (as of), ``6月30日前后`` (around), periods after 每年/每月 (recurring),
    ``6月前`` (ambiguous), counts and percentages.  A month or year needs 前
    (之前, 以前) after it, 到/至 before it, or a verb of completion right after it
    (``6月底完成验收``, ``年底建成``; not ``6月底，全省已完成``, ``已于6月底完成``,
    ``6月底完成了``); 上半年 and 季度 stand on their own, and so do a whole month
    (``7月份`` → 07-31), a later year named relatively (``明年7月份`` → next year's
    07-31, ``明年年底`` and ``次年`` → next year's 12-31) and a year-end of this year or
    later (``2023年底`` in a 2023 plan; ``2022年底`` there is a past fact), except in
    spans, lists and beginnings (``1-7月份``, ``6月份、7月份``, ``7月份以来``, ``明年起``,
    ``次年初``, ``截至2023年底``).

    >>> ms, notes = find_milestones("到2025年,基本实现全覆盖。年内持续推进。", 2022)
    >>> ms[0].due, ms[0].expression, ms[0].text
    (datetime.date(2025, 12, 31), '到2025年', '到2025年,基本实现全覆盖。年内持续推进')
    >>> notes
    ['年内', '持续推进']
    >>> [m.due.isoformat() for m in find_milestones("4月中旬前,上线;11底前,推广。", 2019)[0]]
    ['2019-04-20', '2019-11-30']
    >>> ms, notes = find_milestones("6月底前,完成。", None)
    >>> ms[0].due is None, notes
    (True, ['6月底前'])
    >>> [(m.expression, m.due.isoformat()) for m in find_milestones("明年7月份上线;次年全面推广。", 2023)[0]]
    [('明年7月份', '2024-07-31'), ('次年', '2024-12-31')]
    """
    return _find(text, year, offset, marking=False)


def marking_deadlines(phrase: str, year: int | None, *, offset: int = 0) -> Deadlines:
    """The deadlines of a time phrase that is the task's by its place: inside a responsibility
    marking (``（A负责，2023年底前完成）``, ``（各部门分别负责，年内持续推进）``) or in the
    完成时限 column of a 任务分工表.

    There a month, a year-end, a year or a date stands without 前 (6月底完成 → 06-30,
    2023年12月 → 12-31, 2023.12 → 12-31), unlike in running text, and a span is due at its
    end (2023年6月至12月 → 12-31, 2023-2025年 → 2025-12-31).  Otherwise as
    `find_milestones`: the document's ``year`` for phrases without one, ``offset`` added to
    every offset, no-date words (年内, 持续推进 …) as notes, no date invented for 6月前.  The
    phrase may be the whole marking (its units hold no deadline) and may be traditional or
    full-width: expressions and texts come back as written.

    >>> ms, notes = marking_deadlines("2023年底前完成", 2023)
    >>> [(m.due.isoformat(), m.expression, m.text) for m in ms], notes
    ([('2023-12-31', '2023年底前', '2023年底前完成')], [])
    >>> marking_deadlines("各部门分别负责，年内持续推进", 2023)
    Deadlines(milestones=[], notes=['年内', '持续推进'])
    >>> [(m.due.isoformat(), m.text) for m in marking_deadlines("市大數據局負責，2023年底前完成", 2023).milestones]
    [('2023-12-31', '2023年底前完成')]
    >>> [m.due.isoformat() for m in marking_deadlines("6月底完成", 2023).milestones]
    ['2023-06-30']
    >>> [(m.expression, m.due.isoformat()) for m in marking_deadlines("2024年1月至6月", 2023).milestones]
    [('2024年1月至6月', '2024-06-30')]
    """
    return _find(fold(phrase), year, offset, marking=True, written=phrase)


def task_deadlines(text: str, start: int, end: int, markings: Iterable[tuple[int, int]], year: int | None) -> Deadlines:
    """The deadlines of one task: those of its statement ``text[start:end]`` (running text,
    `find_milestones`) and those of the time phrases inside its responsibility markings
    (``(start, end)`` spans of ``text``; `time_phrases`, `marking_deadlines`) that stand outside
    the statement, in text order.  ``text`` is in the matching form (`repair.fold`), as
    `find_milestones` takes it; offsets are offsets of ``text``.

    >>> text = "（一）建设政务云。（牵头单位：省政务管理办；完成时限：2023年6月）"
    >>> ms, notes = task_deadlines(text, 3, 9, [(9, len(text))], 2023)
    >>> [(m.expression, m.due.isoformat(), text[m.start : m.end]) for m in ms], notes
    ([('2023年6月', '2023-06-30', '2023年6月')], [])
    """
    milestones, notes = find_milestones(text[start:end], year, offset=start)
    for m_start, m_end in markings:
        if m_start < end and start < m_end:
            continue  # inside the statement: already read as running text
        # ``text`` is the matching form already (as find_milestones takes it): not folded again
        for s, e in _time_phrases(text[m_start:m_end]):
            found = _find(text[m_start + s : m_start + e], year, m_start + s, marking=True)
            milestones.extend(found.milestones)
            notes.extend(n for n in found.notes if n not in notes)
    milestones.sort(key=lambda m: m.start)
    return Deadlines(milestones, notes)


def time_phrases(marking: str) -> list[tuple[int, int]]:
    """Where the time phrases of a responsibility marking stand, as ``(start, end)`` offsets:
    each part of the marking (between ``，`` / ``；``) that opens with a deadline or a no-date
    word, after at most a lead-in such as 力争, 于 or 完成时限：.  What a marking reader cuts
    away before reading units (a time phrase is never a unit); the parts' words go to
    `marking_deadlines`.  Simplified or traditional, half- or full-width punctuation.

    >>> text = "各部门分别负责，年内持续推进"
    >>> [text[s:e] for s, e in time_phrases(text)]
    ['年内持续推进']
    >>> text = "市大数據局牽頭，市財政局配合，力爭2023年底前完成"
    >>> [text[s:e] for s, e in time_phrases(text)]
    ['力爭2023年底前完成']
    >>> time_phrases("省发展改革委牵头，省直有关部门配合")
    []
    """
    return _time_phrases(fold(marking))


def _time_phrases(text: str) -> list[tuple[int, int]]:
    """`time_phrases` of a marking in the matching form."""
    g = _grammar()
    _, chosen, notes = _scan(g, text, None, marking=True)
    if not chosen and not notes:
        return []  # most markings name units only: no part of them opens with a time phrase
    starts = sorted([s for s, _, _ in chosen] + [s for s, _ in notes])
    spans: list[tuple[int, int]] = []
    for part in g.marking_parts.finditer(text):
        first = next((s for s in starts if part.start() <= s < part.end()), None)
        if first is None or not g.lead_in.fullmatch(text, part.start(), first):
            continue
        begin, end = part.start(), part.end()
        while begin < end and (text[begin].isspace() or text[begin] in "(（"):
            begin += 1
        end = _trim(text, begin, end)
        spans.append((begin, end))
    return spans


def _scan(
    g: _Grammar, text: str, year: int | None, *, marking: bool
) -> tuple[str, list[tuple[int, int, date | None]], list[tuple[int, int]]]:
    """The text with book titles masked, the deadline expressions chosen (start, end, due) and
    the no-date notes (start, end), each in text order."""
    masked = _BOOK_TITLE.sub(lambda m: _MASK * len(m.group()), text) if "《" in text else text

    candidates: list[tuple[int, int, date | None, re.Match[str]]] = []
    for window_start, window_end in _windows(g, masked):
        window = masked[window_start:window_end]  # `in` on the window: a word of every need group
        for pattern, needs in zip(g.patterns, g.needs, strict=True):
            for need in needs:
                for word in need:
                    if word in window:
                        break
                else:
                    break
            else:
                for m in pattern.finditer(masked, window_start, window_end):
                    ok, due = _resolve(g, m, year, marking=marking)
                    if ok and not _recurring(g, masked, m.start()):
                        candidates.append((m.start(), m.end(), due, m))
    candidates.sort(key=lambda c: (c[0], -c[1]))
    picked: list[tuple[int, int, date | None, re.Match[str]]] = []
    for cand in candidates:
        if not picked or cand[0] >= picked[-1][1]:
            picked.append(cand)
    chosen = _spans(g, masked, picked, year) if marking else [(s, e, due) for s, e, due, _ in picked]

    notes: list[tuple[int, int]] = []
    for m in g.notes.finditer(masked):
        start = m.start()
        if m.group() in g.counted_notes:  # 三年内, 2019年内, 今年内
            count = _COUNT_BEFORE.search(masked, max(0, start - 8), start)
            if count:
                start = count.start()
        elif m.group() in g.dated_notes and (dated := g.year_before.search(masked, max(0, start - 8), start)):
            start = dated.start()
        if not any(s < m.end() and start < e for s, e, _ in chosen):
            notes.append((start, m.end()))
    return masked, chosen, notes


def _spans(
    g: _Grammar, masked: str, picked: list[tuple[int, int, date | None, re.Match[str]]], year: int | None
) -> list[tuple[int, int, date | None]]:
    """In a marking, a span is due at its end: 2023年6月至12月 → 12-31, 2024年1月至6月 → 2024-06-30
    (the end takes the start's year), 2023-2025年 → 2025-12-31, 2023.06-2023.12 → 12-31.
    An end with no start before it that is no year either (截至…) is no deadline."""
    out: list[tuple[int, int, date | None, re.Match[str]]] = []
    for start, end, due, m in picked:
        before = masked[max(0, start - 4) : start].rstrip(" \t\u3000\u00a0")
        if not before.endswith(g.range_separators):
            out.append((start, end, due, m))
            continue
        if out and not masked[out[-1][1] : start].strip(" \t\u3000\u00a0" + "".join(g.range_separators)):
            first_start, _, first_due, first = out.pop()
            named = ("y", "rel")
            if not any(m.group(k) for k in named if k in m.re.groupindex) and any(
                first.group(k) for k in named if k in first.re.groupindex
            ):
                _, due = _resolve(g, m, first_due.year if first_due else year, marking=True)
            out.append((first_start, end, due, m))
        elif head := g.range_year_head.search(masked, max(0, start - 12), start):
            out.append((head.start(), end, due, m))
        else:  # 1-12月: a span whose start is no deadline expression
            out.append((start, end, due, m))
    return [(s, e, due) for s, e, due, _ in out]


def _find(text: str, year: int | None, offset: int, *, marking: bool, written: str | None = None) -> Deadlines:
    """The deadlines of ``text`` (the matching form); expressions, steps and notes are cut from
    ``written`` (the same text as written, of the same length) when it is given."""
    g = _grammar()
    _, chosen, note_spans = _scan(g, text, year, marking=marking)
    text = written if written is not None else text

    found_notes: list[tuple[int, str]] = []
    milestones: list[Milestone] = []
    for i, (start, end, due) in enumerate(chosen):
        next_start = chosen[i + 1][0] if i + 1 < len(chosen) else None
        stop = _trim(text, start, _step_end(g, text, end, next_start))
        expression = text[start:end]
        milestones.append(Milestone(due, expression, text[start:stop], start + offset, stop + offset))
        if due is None:
            found_notes.append((start, expression))
    found_notes.extend((start, text[start:end]) for start, end in note_spans)
    found_notes.sort(key=lambda n: n[0])
    notes = list(dict.fromkeys(n for _, n in found_notes))
    return Deadlines(milestones, notes)
