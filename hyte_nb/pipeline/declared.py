"""The reports as the project declares them: reports.yml (notebooks, pages, parameters, what
each run needs and writes) and organisaatio.yml (names, titles, intro and closing texts)."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from hyte_nb.core.catalog import YAML_LOADER

REPORTS_FILE = "reports.yml"
ORGANISATION_FILE = "organisaatio.yml"


@dataclass(frozen=True)
class Run:
    notebook: str  # file name under notebooks/
    page: str  # base name of the executed notebook and of its HTML page
    title: str
    parameters: dict = field(default_factory=dict)
    needs: tuple[str, ...] = ()  # files in the processed folder the run reads
    writes: tuple[str, ...] = ()  # files in the processed folder the run always writes
    appendix: bool = False  # an appendix page (liite: true): evidence, printed in <report>_liitteet.pdf
    # the report's index: the page's one-line summary (tiivistelma), its headline figure (paaluku: a
    # figure id; {vuosi} and {edellinen_vuosi} stand for the years) and the words after it (paaluku_selite)
    summary: str = ""
    headline: str = ""
    headline_words: str = ""


@dataclass(frozen=True)
class Report:
    key: str  # also the folder name under data/raw/<year>/ and reports/<year>/
    cleaning: Run
    pages: tuple[Run, ...]
    title_template: str
    organisation: str
    intro: str = ""
    closing: str = ""
    contact: str = ""

    def title(self, year: int) -> str:
        return self.title_template.format(vuosi=year)

    @property
    def runs(self) -> tuple[Run, ...]:
        return (self.cleaning, *self.pages)


def _run(entry: dict, where: str) -> Run:
    missing = [k for k in ("muistio", "sivu", "otsikko") if k not in entry]
    if missing:
        raise ValueError(f"{where}: ajolta puuttuu {', '.join(missing)}")
    return Run(entry["muistio"], entry["sivu"], entry["otsikko"], dict(entry.get("parametrit") or {}),
               tuple(entry.get("tarvitsee") or ()), tuple(entry.get("tuottaa") or ()), bool(entry.get("liite", False)),
               str(entry.get("tiivistelma") or ""), str(entry.get("paaluku") or ""), str(entry.get("paaluku_selite") or ""))


def _read(path: Path) -> dict:
    """The file's content, parsed once for as long as the file is unchanged (every page of a
    build reads both files, in the build and in its kernel); the caller gets its own copy."""
    if not path.exists():
        raise FileNotFoundError(f"{path}: tiedosto puuttuu (projektikansion ilmoitustiedosto)")
    stat = path.stat()
    return copy.deepcopy(_parsed(path, stat.st_mtime_ns, stat.st_size))


@lru_cache(maxsize=32)
def _parsed(path: Path, modified: int, size: int) -> dict:
    with open(path, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=YAML_LOADER) or {}



PER_AREA = "palvelualueittain"  # a page entry run once per service area of the catalogue (palvelut.yml)
AREA_WORDS = ("sivu", "otsikko", "tiivistelma", "paaluku", "paaluku_selite")  # where {alue}, {nimi}, {lyhenne}, {nro} stand


def page_entries(root: Path, spec: dict, report: str) -> list[dict]:
    """A report's page entries as reports.yml declares them, an entry with `palvelualueittain:
    true` made one entry per service area the report's catalogue names (its `alue` parameter,
    and the area's key, name, short name and number in its page name, title and summary), so
    that a project declares its area pages without naming its areas. The areas come from the
    report's own module (hyte_nb/reports.py: `service_areas(root)`)."""
    out = []
    for entry in spec.get("sivut") or []:
        if not entry.get(PER_AREA):
            out.append(entry)
            continue
        from hyte_nb import reports

        areas = getattr(reports.module(report), "service_areas", None)
        if areas is None:
            raise ValueError(f"{REPORTS_FILE}: raportti {report}: {PER_AREA} ei käy, koska raportilla ei ole "
                             f"palvelualueita; luettele sen sivut yksitellen.")
        for number, (key, area) in enumerate(areas(root).items(), 1):
            words = {"alue": key, "nimi": area["nimi"], "lyhenne": area["lyhenne"], "nro": str(number)}
            one = {k: v for k, v in entry.items() if k != PER_AREA}
            for field_name in AREA_WORDS:
                if isinstance(one.get(field_name), str):
                    for word, value in words.items():
                        one[field_name] = one[field_name].replace("{" + word + "}", value)
            one["parametrit"] = {**(entry.get("parametrit") or {}), "alue": key}
            out.append(one)
    return out


def load(root: Path) -> dict[str, Report]:
    """Every declared report, in the order of reports.yml."""
    declared = _read(Path(root) / REPORTS_FILE).get("raportit") or {}
    words = (_read(Path(root) / ORGANISATION_FILE).get("raportit") or {})
    reports = {}
    for key, spec in declared.items():
        where = f"{REPORTS_FILE}: raportti {key}"
        if key not in words:
            raise ValueError(f"{ORGANISATION_FILE}: raportilta {key} puuttuu otsikko ja organisaatio")
        text = words[key]
        reports[key] = Report(key, _run(spec["puhdistus"], f"{where}, puhdistus"),
                              tuple(_run(e, f"{where}, sivu {i + 1}") for i, e in enumerate(page_entries(root, spec, key))),
                              text["otsikko"], text.get("organisaatio", ""), text.get("johdanto", ""),
                              text.get("lopetus", ""), text.get("yhteystiedot", ""))
    return reports


def publisher(root: Path) -> str:
    """The name on the index of all years."""
    return _read(Path(root) / ORGANISATION_FILE).get("julkaisija", "Raportit")


# -- the page of all years: reports.yml's `kehitys` ----------------------------------------------------
@dataclass(frozen=True)
class TrendsReport:
    figures: tuple[str, ...]  # ids of the figures table, in the page's order
    sample: bool = False  # a sample survey: shares get intervals and changes a test


@dataclass(frozen=True)
class Trends:
    """The page of every built year (reports/<sivu>.html): its notebook, title, each report's key
    figures and the breaks in a series that the figures' labels do not show."""

    notebook: str
    page: str
    title: str
    reports: dict[str, TrendsReport]
    breaks: dict[str, list[dict]]  # figure id -> [{vuosi, syy}]


def trends(root: Path) -> Trends | None:
    """reports.yml's `kehitys` section, or None where the project declares no such page."""
    spec = _read(Path(root) / REPORTS_FILE).get("kehitys")
    if not spec:
        return None
    where = f"{REPORTS_FILE}: kehitys"
    missing = [k for k in ("muistio", "sivu", "otsikko", "raportit") if k not in spec]
    if missing:
        raise ValueError(f"{where}: puuttuu {', '.join(missing)}")
    reports = {}
    for key, entry in (spec["raportit"] or {}).items():
        figures = tuple(str(f) for f in (entry or {}).get("luvut") or ())
        if not figures:
            raise ValueError(f"{where}, raportti {key}: luvut puuttuu (lista lukutaulun tunnuksia)")
        reports[key] = TrendsReport(figures, bool(entry.get("otos", False)))
    breaks = {}
    for fid, entries in (spec.get("katkokset") or {}).items():
        entries = entries if isinstance(entries, list) else [entries]
        for e in entries:
            if not isinstance(e, dict) or "vuosi" not in e or "syy" not in e:
                raise ValueError(f"{where}, katkokset, {fid}: anna vuosi ja syy, esim. {{vuosi: 2026, syy: ...}}")
        breaks[str(fid)] = entries
    return Trends(spec["muistio"], spec["sivu"], spec["otsikko"], reports, breaks)
