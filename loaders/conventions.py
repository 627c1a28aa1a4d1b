"""The marking grammar and structure conventions, loaded from ``data/conventions.yaml``.

The YAML holds words; this module turns them into the patterns the marking reader
(:mod:`.clauses`) and the structure stage use, so that a new word for a role, a verb,
a descriptor or a first-is-lead wording is one line of data.

>>> conv = load_conventions()
>>> g = conv.grammar  # patterns see the matching form: half-width ":" and ";"
>>> [g.label_kind(m.group(1)) for m in g.label.finditer("牵头考核单位:A;配合实施部门:B;分管省领导:C")]
['lead', 'support', 'leader']
>>> g.verb.fullmatch("按职责分工负责").group("dist")
'按职责分工'
>>> bool(g.open_list_descriptor.match("国务院相关部门")), bool(g.open_list_descriptor.match("旅游厅"))
(True, False)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

ROLE_ORDER = ("lead", "support", "responsible")  # the strongest role word of a label wins


def _alt(words: list[str] | tuple[str, ...]) -> str:
    """A regex alternation of literal words, longest first (so 牵头负责 wins over 牵头)."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@dataclass(frozen=True, slots=True)
class Grammar:
    """Compiled patterns of the marking grammar (see ``markings:`` in the YAML)."""

    # --- labels
    label: re.Pattern[str]  # a label and its ":"; group 1 the label itself
    label_source: str  # the label alternatives, for line classification (no groups)
    label_words: dict[str, str]  # role word → lead | support | responsible
    as_label: re.Pattern[str]  # "为牵头单位" ending a segment (A为牵头单位); group "label"
    division_labels: frozenset[str]
    time_labels: frozenset[str]
    leader_label: re.Pattern[str]
    # --- verbs
    verb: re.Pattern[str]  # groups: dist, core, dcore, joint
    action: re.Pattern[str]  # any action verb (after 会同: 会同B推进)
    verb_endings: tuple[str, ...]  # how a segment ending in a verb ends (a cheap first test)
    verb_roles: dict[str, str]  # core verb → lead | support | responsible
    with_words: re.Pattern[str]
    by_words: re.Pattern[str]
    subject_verbs: tuple[str, ...]  # what may follow "A会同B" opening a sentence (组织开展, 制定 …)
    max_verb_rest: int
    # --- units
    separators: str
    conjunctions: tuple[str, ...]
    unit_suffixes: tuple[str, ...]
    place_suffixes: tuple[str, ...]
    not_unit_prefixes: tuple[str, ...]
    generic_unit_suffixes: tuple[str, ...]
    generic_unit_determiners: tuple[str, ...]
    unit_then_verb: re.Pattern[str]  # a unit's ending right before a verb ending the text
    unit_role_markers: dict[str, str]  # 牵头 → lead (written "(牵头)" after a unit)
    collective: re.Pattern[str]
    collective_endings: tuple[str, ...]  # 政府, 党委 …: a collective without 各 ends so
    collective_joint: re.Pattern[str]  # where a collective may hold a separator: 州、市 / 市(县)、区
    protected: re.Pattern[str]  # the protected names, longest first, blanks allowed anywhere
    open_list_descriptor: re.Pattern[str]
    not_open_list: re.Pattern[str]
    # --- time and notes
    time_words: re.Pattern[str]
    first_is_lead: tuple[re.Pattern[str], ...]
    implicit_units: tuple[re.Pattern[str], ...]
    note_fillers: re.Pattern[str]
    any_note: re.Pattern[str]  # first_is_lead | implicit_units | note_fillers in one search
    verb_at_stop: re.Pattern[str]  # a verb ending a sentence: where an unbracketed marking may be

    def label_kind(self, label: str) -> str:
        """leader | time | division | lead | support | responsible, for a label as matched.

        >>> g = load_conventions().grammar
        >>> [g.label_kind(x) for x in ("牵头责任单位", "协同责任单位", "主体责任单位", "部门分工", "完成时限")]
        ['lead', 'support', 'responsible', 'division', 'time']
        """
        label = re.sub(r"\s+", "", label)
        if self.leader_label.fullmatch(label):
            return "leader"
        if label in self.time_labels:
            return "time"
        if label in self.division_labels:
            return "division"
        found = {role for word, role in self.label_words.items() if word in label}
        return next(role for role in ROLE_ORDER if role in found)

    def states_first_is_lead(self, text: str) -> bool:
        return any(p.search(text) for p in self.first_is_lead)


@dataclass(frozen=True, slots=True)
class Conventions:
    grammar: Grammar
    non_task_sections: tuple[str, ...]
    drop_lines: tuple[re.Pattern[str], ...]
    end_markers: tuple[re.Pattern[str], ...]
    frame_lines: tuple[re.Pattern[str], ...]

    @property
    def all_keys(self) -> tuple[str, ...]:
        """Regex alternatives of every marking label, each requiring the ":" after it.

        The structure and repair stages join these into their "a line begins with a
        label" patterns (``^(…)\\s*:``), so a label nobody listed (牵头考核单位：, 分管省领导：,
        部门分工：) makes a label line too."""
        return (self.grammar.label_source,)


def _patterns(raw: list[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in raw)


def _grammar(m: dict[str, Any]) -> Grammar:
    label_words = {w: role for role in ROLE_ORDER for w in m["label_roles"][role]}
    roles = _alt(list(label_words))
    quals = _alt(m["label_qualifiers"])
    units = _alt([w.replace("(", "(").replace(")", ")") for w in m["label_unit_words"]])
    bare = _alt(m["label_roles"]["lead"] + m["label_roles"]["support"])
    ll = m["leader_labels"]
    place = f"(?:{_alt(ll['places'])})级?"
    leader = f"(?:{place})?(?:{_alt(ll['qualifiers'])})+(?:{place})?(?:{_alt(ll['titles'])})"
    role_label = f"(?:{quals})*(?:{roles})(?:{quals}|{roles})*(?:{units})(?:(?:和|及|、|/)(?:{units}))?|(?:{bare})"
    # "A为牵头单位": a role label as the predicate of a unit list
    as_label = rf"(?:为|是|作为|系)(?P<label>(?:{quals})*(?:{roles})(?:{quals}|{roles})*(?:{units}))$"
    label_source = (
        f"(?:{leader}|{_alt(m['time_labels'])}|{_alt(m['division_labels'])}|{role_label})"
        r"(?=\s*:)"
    )

    vr = m["verb_roles"]
    verb_roles = {w: role for role in ("lead", "support", "responsible") for w in vr[role]}
    core = _alt(list(verb_roles))
    dist = _alt(m["distributive"])
    man = _alt(m["manners"])
    verb = (
        f"(?:(?P<dist>{dist})(?:{man})*(?P<dcore>{core}|{_alt(m['distributive_only'])})"
        f"|(?:{man})*(?P<core>{core})"
        f"|(?P<joint>{_alt(m['joint_verbs'])}))"
        f"(?:{_alt(m['tails'])})*"
    )

    col = m["collective"]
    lv = f"(?:{_alt(col['levels'])})"
    one = rf"{lv}(?:\({lv}(?:、{lv})*\))?"
    collective = rf"各?{one}(?:、?{one})*(?:和(?:{_alt(col['joined'])}))?(?P<ending>{_alt(col['endings'])})?"
    markers = {w: role for role in ("lead", "support") for w in m["unit_role_markers"][role]}
    return Grammar(
        label=re.compile(rf"({label_source})\s*:\s*"),
        label_source=label_source,
        label_words=label_words,
        as_label=re.compile(as_label),
        division_labels=frozenset(m["division_labels"]),
        time_labels=frozenset(m["time_labels"]),
        leader_label=re.compile(leader),
        verb=re.compile(verb),
        verb_endings=tuple(
            sorted({*verb_roles, *m["distributive_only"], *m["joint_verbs"], *m["tails"]}, key=len, reverse=True)
        ),
        action=re.compile(f"(?:{man})*(?:{core}|{_alt(m['distributive_only'])})(?:{_alt(m['tails'])})*"),
        verb_roles=verb_roles,
        with_words=re.compile(_alt(m["with_words"])),
        by_words=re.compile(_alt(m["by_words"])),
        subject_verbs=tuple(sorted(m["subject_verbs"], key=len, reverse=True)),
        max_verb_rest=int(m["max_verb_rest"]),
        separators=m["separators"],
        conjunctions=tuple(sorted(m["conjunctions"], key=len, reverse=True)),
        unit_suffixes=tuple(m["unit_suffixes"]),
        place_suffixes=tuple(m["place_suffixes"]),
        not_unit_prefixes=tuple(m["not_unit_prefixes"]),
        generic_unit_suffixes=tuple(m["generic_unit_suffixes"]),
        generic_unit_determiners=tuple(m["generic_unit_determiners"]),
        unit_then_verb=re.compile(
            f"(?:{_alt(m['unit_suffixes'] + m['place_suffixes'])})" + re.sub(r"\(\?P<\w+>", "(?:", verb) + r"\s*$"
        ),
        unit_role_markers=markers,
        collective=re.compile(collective),
        collective_endings=tuple(col["endings"]),
        collective_joint=_collective_joint(col["levels"], col["endings"]),
        protected=re.compile(
            "|".join(r"\s*".join(map(re.escape, name)) for name in sorted(m["protected_names"], key=len, reverse=True))
        ),
        open_list_descriptor=re.compile(m["open_list_descriptor"].strip()),
        not_open_list=re.compile(m["not_open_list"]),
        time_words=re.compile(m["time_words"].strip()),
        first_is_lead=_patterns(m["first_is_lead"]),
        implicit_units=_patterns(m["implicit_units"]),
        note_fillers=re.compile(m["note_fillers"]),
        any_note=re.compile(
            "|".join(
                f"(?:{p.replace('(?P<units>', '(?:')})"
                for p in [*m["first_is_lead"], *m["implicit_units"], m["note_fillers"]]
            )
        ),
        verb_at_stop=re.compile(
            "(?:" + _alt([*verb_roles, *m["distributive_only"], *m["joint_verbs"], *m["tails"]]) + r")\s*(?:。|$)"
        ),
    )


def _collective_joint(levels: list[str], endings: list[str]) -> re.Pattern[str]:
    """Where a collective unit may hold a separator: between two level words (州、市,
    市(县)、区) or inside its ending (党委和政府).  Written with the separator first, so the
    search runs from each 、 / 和 rather than from every character."""
    last = "".join(sorted({w[-1] for w in levels})) + ")"
    parts = [rf"(?<=[{re.escape(last)}])[、和](?=各?(?:{_alt(levels)}))"]
    for ending in endings:
        for k, ch in enumerate(ending):
            if ch in "、和" and 0 < k < len(ending) - 1:
                parts.append(f"(?<={re.escape(ending[:k])}){re.escape(ch)}(?={re.escape(ending[k + 1 :])})")
    return re.compile("|".join(parts))


@cache
def load_conventions() -> Conventions:
    text = resources.files("dutygraph.loaders").joinpath("data/conventions.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return Conventions(
        grammar=_grammar(data["markings"]),
        non_task_sections=tuple(data["non_task_sections"]),
        drop_lines=_patterns(data["drop_lines"]),
        end_markers=_patterns(data["end_markers"]),
        frame_lines=_patterns(data["frame_lines"]),
    )
