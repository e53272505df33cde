"""What lets a rebuild skip what did not change: a manifest beside each report's pages
(reports/<year>/<report>/.manifest.json) records, for every notebook run that succeeded, the
fingerprint of what it depended on and the content hash of every file it wrote.

A run is skipped only when its fingerprint is the same (notebook file, parameters, input
files' contents, the installed package and, for the cleaning of a year still running, the day)
and every output it recorded is still there with the recorded content. The manifest is
rewritten atomically after each run, and a run's entry is removed before the run starts, so an
interrupted build never claims an output it did not write.
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import cache
from pathlib import Path

from hyte_nb.core import period
from hyte_nb.core.paths import FIGURES_FILE

FILENAME = ".manifest.json"
PACKAGE = Path(__file__).resolve().parent.parent  # the installed hyte_nb


_hashes: dict[tuple[str, int, int], str] = {}


def file_hash(path: Path) -> str:
    """sha256 of a file's content, remembered for as long as the file is untouched."""
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _hashes:
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        _hashes[key] = digest.hexdigest()
    return _hashes[key]


@cache
def package_hash() -> str:
    """Every file of the installed package: code, catalogues, templates."""
    digest = hashlib.sha256()
    for path in sorted(p for p in PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(str(path.relative_to(PACKAGE)).encode())
        digest.update(file_hash(path).encode())
    return digest.hexdigest()


def inputs_of(task) -> list[Path]:
    """The files a run reads. Every run: the project's own YAML files (reports.yml,
    organisaatio.yml, a project catalogue), the editorial texts, the published figures and the
    sample marker. A cleaning run: the year's raw exports and the previous year's (the survey
    compares with it) and, in a year still running, the previous year's clean tables (the
    figures of the same period are computed from them). A page: the report's processed files
    (clean tables, the figures table, the period, the cleaning log) and last year's figures."""
    folder = task.folder
    project = sorted(folder.root.glob("*.yml"))
    texts = sorted(p for p in (folder.root / "tekstit").rglob("*") if p.is_file())
    # Every page shows the sample banner; the cleaning notebook's appendix reconciles too.
    shown = [p for p in (folder.reference, folder.sample_marker) if p.exists()]
    if task.cleaning:
        folders = [folder.raw, folder.comparison.raw]
        files = sorted(p for f in folders if f.is_dir() for p in f.rglob("*") if p.is_file())
        if period.running(folder.year):
            files += sorted(folder.comparison.processed.glob("*.parquet"))
        return project + texts + shown + files
    # Not the analysts' SPSS files: no page reads them, and they carry the time they were written.
    processed = [p for p in folder.processed.glob("*")
                 if p.is_file() and not p.name.startswith("tasmaytys_") and p.suffix != ".sav"]
    previous = folder.comparison.processed / FIGURES_FILE
    return project + texts + shown + sorted(processed + ([previous] if previous.exists() else []))


def day_of(task) -> str:
    """The day, where a run depends on it: the cleaning of a year still running, whose period
    ends at the latest record but never after today. '' otherwise, so that a finished year's
    rebuild skips everything whatever the day."""
    return period.today().isoformat() if task.cleaning and period.running(task.folder.year) else ""


def fingerprint(notebook: Path, parameters: dict, inputs: list[Path], package: str, day: str = "") -> str:
    digest = hashlib.sha256()
    digest.update(file_hash(notebook).encode())
    digest.update(json.dumps(parameters, sort_keys=True, default=str).encode())
    for path in inputs:
        digest.update(str(path).encode())
        digest.update(file_hash(path).encode())
    digest.update(package.encode())
    digest.update(day.encode())
    # An internal run without small-count suppression must not reuse published pages, nor the reverse.
    digest.update(os.environ.get("HYTE_NB_EI_JULKAISTAVAKSI", "").encode())
    return digest.hexdigest()


class Manifest:
    def __init__(self, path: Path, entries: dict):
        self.path = path
        self.entries = entries  # page -> {"avain": fingerprint, "tulokset": {path: sha256}}

    @classmethod
    def load(cls, folder: Path) -> Manifest:
        path = Path(folder) / FILENAME
        try:
            entries = json.loads(path.read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            entries = {}
        return cls(path, entries)

    def _name(self, path: Path) -> str:
        """Pages by their path inside the report folder (the folder may be built elsewhere and
        moved into place), other outputs by their full path."""
        return str(path.relative_to(self.path.parent)) if path.is_relative_to(self.path.parent) else str(path)

    def unchanged(self, page: str, key: str, outputs: list[Path]) -> bool:
        entry = self.entries.get(page)
        if not entry or entry["avain"] != key or set(entry["tulokset"]) != {self._name(p) for p in outputs}:
            return False
        return all(p.exists() and file_hash(p) == entry["tulokset"][self._name(p)] for p in outputs)

    def forget(self, page: str) -> None:
        if self.entries.pop(page, None) is not None:
            self.save()

    def record(self, page: str, key: str, outputs: list[Path]) -> None:
        self.entries[page] = {"avain": key, "tulokset": {self._name(p): file_hash(p) for p in outputs}}
        self.save()

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_suffix(".tmp")
        partial.write_text(json.dumps(self.entries, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(partial, self.path)  # atomic: a reader sees the old or the new manifest, never half
