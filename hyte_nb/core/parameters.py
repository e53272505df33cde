"""The check that every notebook runs right after its parameters cell: a wrong year, area or
folder stops the notebook with a Finnish message that lists the valid values, before any
work is done."""

from __future__ import annotations

from pathlib import Path

from hyte_nb.core.paths import Paths, find_root


class ParameterError(ValueError):
    """A notebook parameter with no valid meaning; the message says what would be valid."""


def _years_with(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("[0-9][0-9][0-9][0-9]") if p.is_dir()) if folder.exists() else []


def paths(vuosi, report: str, juurikansio=None, raakadata_kansio=None, kasitelty_kansio=None,
          raporttikansio=None, viitetiedosto=None, vertailuvuosi=None) -> Paths:
    """The notebook's folders from its parameters, each checked to exist where it must;
    vertailuvuosi: the comparison year (None: the year before)."""
    try:
        year = int(vuosi)
    except (TypeError, ValueError):
        raise ParameterError(f"Parametri vuosi = {vuosi!r} ei ole vuosiluku (esim. vuosi = 2024).") from None
    if vertailuvuosi is not None:
        try:
            vertailuvuosi = int(vertailuvuosi)
        except (TypeError, ValueError):
            raise ParameterError(f"Parametri vertailuvuosi = {vertailuvuosi!r} ei ole vuosiluku (esim. vertailuvuosi = "
                                 f"{year - 1}; None: edellinen vuosi).") from None
    try:
        root = find_root(juurikansio)
    except FileNotFoundError as error:
        raise ParameterError(str(error)) from None
    for name, value in (("raakadata_kansio", raakadata_kansio), ("kasitelty_kansio", kasitelty_kansio)):
        if value is not None and not Path(value).parent.exists():
            raise ParameterError(f"Parametrin {name} kansiota {value} ei ole (eikä sen yläkansiota).")
    return Paths.of(year, report, root, raw=raakadata_kansio, processed=kasitelty_kansio, reports=raporttikansio,
                    reference=viitetiedosto, comparison_year=vertailuvuosi)


def require_raw(folder: Paths) -> Paths:
    """A cleaning notebook needs the year's exports."""
    if not folder.raw.is_dir():
        years = _years_with(folder.root / "data" / "raw")
        raise ParameterError(f"Vuoden {folder.year} raakavientejä ei ole kansiossa {folder.raw}. Vuodet, joilla on "
                             f"raakavientejä: {', '.join(years) or 'ei yhtään'}.")
    return folder


def require_processed(folder: Paths, first: str) -> Paths:
    """A section notebook needs the year's cleaned data; `first` names the notebook that makes it."""
    if not (folder.processed / "luvut.parquet").exists():
        years = [y for y in _years_with(folder.root / "data" / "processed")
                 if (folder.root / "data" / "processed" / y / folder.report / "luvut.parquet").exists()]
        raise ParameterError(f"Vuodelta {folder.year} ei ole puhdistettua aineistoa kansiossa {folder.processed}: aja "
                             f"ensin {first}. Vuodet, joilla on puhdistettu aineisto: {', '.join(years) or 'ei yhtään'}.")
    return folder


def choice(name: str, value, valid: dict | list) -> str:
    """A parameter that must be one of the listed keys (e.g. a service area)."""
    if value not in valid:
        raise ParameterError(f"Tuntematon {name} {value!r}; kelvolliset arvot: {', '.join(map(str, valid))}.")
    return value
