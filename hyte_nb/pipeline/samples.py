"""A complete sample year for every report: the HYTE exports, the survey and, if it is
missing, the survey's comparison year. Deterministic for a given seed. Each year folder the
generator writes gets a marker file, so that every page built from it says it is sample data.

No file gets a date after the day it is written (`today`, default hyte_nb.core.period.today(),
which HYTE_NB_TANAAN can pin): a year still running is cut at today (see the generators), and a
year after today's is refused before anything is written."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from hyte_nb.core import period
from hyte_nb.core.paths import Paths
from hyte_nb.hyte import sample as hyte_sample
from hyte_nb.kysely import sample as survey_sample
from hyte_nb.kysely.questionnaire import survey_export


MARKER_TEXT = ("Tämän kansion raakaviennit ovat hyte_nb:n tuottamaa esimerkkiaineistoa, eivät oikeita "
               "asiakas- tai kyselytietoja. Niistä tehdyt raportit kertovat sen jokaisella sivulla.\n")


def mark_as_sample(folder: Paths) -> Path:
    folder.sample_marker.write_text(MARKER_TEXT, encoding="utf-8")
    return folder.sample_marker


def write_year(root: Path, year: int, seed: int | None = None, today: date | None = None) -> list[Path]:
    today = today or period.today()
    period.check_year(year, today)
    hyte = Paths.of(year, "hyte", root)
    written = hyte_sample.write_sample(hyte, seed, today)
    survey = Paths.of(year, "kysely", root)
    written.append(survey_sample.write_survey_sample(survey, seed, today))
    written.append(mark_as_sample(hyte))
    previous = survey.comparison
    if not (previous.raw / survey_export(previous.year).filename).exists():
        written.append(survey_sample.write_survey_sample(previous, seed, today))
        written.append(mark_as_sample(previous))
    return written
