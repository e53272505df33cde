"""The YAML catalogues that ship with the package, parsed once per process, and the rule
that makes them year-aware.

An entry (a question, a service, an export column) is valid from its `alkaen` year on
(from the start if it has none) until its `asti` year (inclusive; for ever if it has
none). `ei_kysytty: [2025]` marks a survey question that the questionnaire left out in
those years: it is expected back later, and the report says it was not asked.
"""

from __future__ import annotations

import copy
from functools import cache
from importlib import resources

import yaml


@cache
def _parsed(package: str, name: str):
    text = resources.files(package).joinpath("metadata", f"{name}.yml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def load(package: str, name: str):
    """A catalogue of `package` (e.g. 'hyte_nb.hyte'), parsed once; callers get their own copy."""
    return copy.deepcopy(_parsed(package, name))


def in_year(entry: dict, year: int) -> bool:
    """Is the entry part of that year's catalogue (asked, offered, exported)?"""
    start, end = entry.get("alkaen"), entry.get("asti")
    return (start is None or year >= start) and (end is None or year <= end)


def asked(entry: dict, year: int) -> bool:
    """In the year's catalogue and not marked as left out that year."""
    return in_year(entry, year) and year not in entry.get("ei_kysytty", [])
