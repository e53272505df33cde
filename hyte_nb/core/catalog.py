"""The YAML catalogues, parsed once per process, and the rule that makes them year-aware.

Each catalogue ships with the package (hyte_nb/<report>/metadata/<name>.yml). A project folder
may hold its own copy, <project>/<name>.yml (e.g. its own questionnaire kysely.yml or service
list palvelut.yml): then that one is used, so an organisation edits its catalogues without
touching the installed package.

An entry (a question, a service, an export column) is valid from its `alkaen` year on
(from the start if it has none) until its `asti` year (inclusive; for ever if it has
none). `alkaen` and `asti` may be days (`asti: 2025-06-30`, a service ended mid-year): the
entry is then part of that day's year, and the report's own rules check the records' days. `ei_kysytty: [2025]` marks a survey question that the questionnaire left out in
those years: it is expected back later, and the report says it was not asked.
"""

from __future__ import annotations

import copy
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path

import yaml

from hyte_nb.core.paths import find_root

YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser where PyYAML has it: ten times faster


@cache
def _parsed_bundled(package: str, name: str):
    text = resources.files(package).joinpath("metadata", f"{name}.yml").read_text(encoding="utf-8")
    return yaml.load(text, Loader=YAML_LOADER)


@cache
def _parsed_file(path: Path, modified: int):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)


def project_file(name: str, root: Path | None = None) -> Path | None:
    """The project folder's own copy of a catalogue, where it has one (the project: `root`, else
    the one this process runs in, core/paths.find_root)."""
    try:
        path = Path(root or find_root()) / f"{name}.yml"
    except FileNotFoundError:  # not inside a project folder: the bundled catalogue
        return None
    return path if path.exists() else None


def version(name: str, root: Path | None = None) -> tuple[Path, int] | None:
    """Which copy of a catalogue is in use, as a cache key for what is derived from it: the
    project's own file and its modification time, or None for the bundled one."""
    path = project_file(name, root)
    return None if path is None else (path, path.stat().st_mtime_ns)


def source(package: str, name: str, root: Path | None = None) -> str:
    """Where the catalogue in use comes from (for messages)."""
    return str(project_file(name, root) or f"{package.replace('.', '/')}/metadata/{name}.yml")


def load(package: str, name: str, root: Path | None = None):
    """A catalogue of `package` (e.g. 'hyte_nb.hyte'): the project's own copy if there is one,
    else the bundled one; each parsed once; callers get their own copy."""
    return copy.deepcopy(shared(package, name, root))


def shared(package: str, name: str, root: Path | None = None):
    """The catalogue `load` gives, without the copy: the one parsed object every caller shares,
    for reading only (copying a whole questionnaire to read one question costs more than the
    reading)."""
    path = project_file(name, root)
    if path is None:
        return _parsed_bundled(package, name)
    return _parsed_file(path, path.stat().st_mtime_ns)


def year_of(bound) -> int | None:
    """`alkaen`/`asti` as a year: a year as it is, a day (YAML reads 2025-06-30 as one) its year."""
    return bound.year if isinstance(bound, date) else bound


def in_year(entry: dict, year: int) -> bool:
    """Is the entry part of that year's catalogue (asked, offered, exported)?"""
    start, end = year_of(entry.get("alkaen")), year_of(entry.get("asti"))
    return (start is None or year >= start) and (end is None or year <= end)


def asked(entry: dict, year: int) -> bool:
    """In the year's catalogue and not marked as left out that year."""
    return in_year(entry, year) and year not in entry.get("ei_kysytty", [])
