"""A complete sample year for every report: the HYTE exports, the survey and, if it is
missing, the survey's comparison year. Deterministic for a given seed."""

from __future__ import annotations

from pathlib import Path

from hyte_nb.core.paths import Paths
from hyte_nb.hyte import sample as hyte_sample
from hyte_nb.kysely import sample as survey_sample
from hyte_nb.kysely.questionnaire import survey_export


def write_year(root: Path, year: int, seed: int | None = None) -> list[Path]:
    written = hyte_sample.write_sample(Paths.of(year, "hyte", root), seed)
    survey = Paths.of(year, "kysely", root)
    written.append(survey_sample.write_survey_sample(survey, seed))
    previous = survey.of_year(year - 1)
    if not (previous.raw / survey_export(year - 1).filename).exists():
        written.append(survey_sample.write_survey_sample(previous, seed))
    return written
