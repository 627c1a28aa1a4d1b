"""The clause and structure conventions, loaded from ``data/conventions.yaml``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml


@dataclass(frozen=True, slots=True)
class Conventions:
    lead_keys: tuple[str, ...]
    support_keys: tuple[str, ...]
    responsible_keys: tuple[str, ...]
    leader_keys: tuple[str, ...]
    first_is_lead: tuple[str, ...]
    implicit_units: re.Pattern[str]
    inline_lead_suffix: str
    inline_joint_suffixes: tuple[str, ...]
    separators: str
    protected_names: tuple[str, ...]
    open_list_descriptors: frozenset[str]
    conjunction_split_prefixes: tuple[str, ...]
    unit_suffixes: tuple[str, ...]
    non_task_sections: tuple[str, ...]
    drop_lines: tuple[re.Pattern[str], ...]
    end_markers: tuple[re.Pattern[str], ...]
    frame_lines: tuple[re.Pattern[str], ...]

    @property
    def all_keys(self) -> tuple[str, ...]:
        # Longest first so 牵头责任单位 wins over 责任单位.
        keys = self.lead_keys + self.support_keys + self.responsible_keys + self.leader_keys
        return tuple(sorted(keys, key=len, reverse=True))

    def role_of_key(self, key: str) -> str:
        if key in self.lead_keys:
            return "lead"
        if key in self.support_keys:
            return "support"
        if key in self.leader_keys:
            return "leader"
        return "responsible"

    def looks_like_unit(self, name: str) -> bool:
        return name.endswith(self.unit_suffixes)


def _patterns(raw: list[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in raw)


@cache
def load_conventions() -> Conventions:
    text = resources.files("dutygraph.loaders").joinpath("data/conventions.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    kw = data["keywords"]
    return Conventions(
        lead_keys=tuple(kw["lead"]),
        support_keys=tuple(kw["support"]),
        responsible_keys=tuple(kw["responsible"]),
        leader_keys=tuple(kw["leader"]),
        first_is_lead=tuple(data["first_is_lead"]),
        implicit_units=re.compile(data["implicit_units"]),
        inline_lead_suffix=data["inline"]["lead_suffix"],
        inline_joint_suffixes=tuple(sorted(data["inline"]["joint_suffixes"], key=len, reverse=True)),
        separators=data["separators"],
        protected_names=tuple(sorted(data["protected_names"], key=len, reverse=True)),
        open_list_descriptors=frozenset(data["open_list_descriptors"]),
        conjunction_split_prefixes=tuple(data["conjunction_split_prefixes"]),
        unit_suffixes=tuple(data["unit_suffixes"]),
        non_task_sections=tuple(data["non_task_sections"]),
        drop_lines=_patterns(data["drop_lines"]),
        end_markers=_patterns(data["end_markers"]),
        frame_lines=_patterns(data["frame_lines"]),
    )
