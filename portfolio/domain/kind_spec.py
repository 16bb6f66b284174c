"""The shape of a portfolio item's definition: its fields and what kind of item it is.

The definitions themselves are in portfolio.domain.steps (and, for the optional placement
documents, portfolio.domain.placement_documents).
"""

from __future__ import annotations

from dataclasses import dataclass

from portfolio.domain.handbook_prompts import MoreQuestions


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str
    prompt: str = ""  # the handbook's guiding questions, shown beside the field
    rows: int = 6
    # Longer lists of the handbook's questions, under "Meer vragen uit de handleiding".
    more: tuple[MoreQuestions, ...] = ()


@dataclass(frozen=True)
class KindSpec:
    kind: str
    title: str
    intro: str
    fields: tuple[FieldSpec, ...]
    singleton: bool  # one per placement (or per stage day / attitude / offer, see scope)
    scope: str = "placement"  # placement, stage_day, attitude, offer, free

    def field_keys(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.fields)
