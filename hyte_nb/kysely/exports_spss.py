"""The cleaned survey table in the formats welfare-area analysts continue in: SPSS (.sav, with
variable labels, value labels and the weights) and CSV with Finnish conventions (';' as
separator, decimal comma, UTF-8 with BOM, CRLF line ends, dates d.m.yyyy h:mm), with a
codebook CSV beside them. Written to data/processed/<vuosi>/kysely/:

    kysely_<vuosi>.sav, kysely_<vuosi>.csv, kysely_<vuosi>_muuttujat.csv

Coding (the same in both files; the CSV has the option texts, the .sav the codes with labels):
a single-choice question or matrix row is its option's number in the questionnaire (1 = the
first option), empty where skipped; a checkbox option is 1 = chosen, 0 = not chosen by a
respondent who chose another option of the question, empty where the question was skipped;
open answers are text. `paino` is the raking weight relative to its mean (sums to the number
of weighted respondents: SPSS's WEIGHT BY gives shares and effective counts as in the report),
`paino_henkilosto` the same weight in professionals (sums to the staff).

    exports_spss.write_analyst_files(kansiot, osio.answers, painot)   # -> [paths]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from hyte_nb.core.paths import Paths
from hyte_nb.kysely import questionnaire
from hyte_nb.kysely.questionnaire import option_column

SPSS_NAME_LENGTH = 64
CHECKBOX_LABELS = {1.0: "Valittu", 0.0: "Ei valittu"}


@dataclass
class AnalystTable:
    data: pd.DataFrame  # one column per variable, SPSS-safe names, codes for choices
    labels: dict[str, str]  # variable -> label (the question as Webropol writes it)
    value_labels: dict[str, dict[float, str]]  # variable -> {code: option}

    def texts(self) -> pd.DataFrame:
        """The table with each choice's code replaced by its option's text (for the CSV);
        checkbox options stay 1 / 0."""
        out = self.data.copy()
        for name, labels in self.value_labels.items():
            if labels is CHECKBOX_LABELS:
                continue
            out[name] = out[name].map(lambda v: labels.get(v, "") if v == v else "").astype(object)
        return out


def _spss_name(name: str, taken: set[str]) -> str:
    """A valid, unique SPSS variable name: a letter first, letters, digits and _ only, 64 bytes."""
    base = re.sub(r"[^A-Za-z0-9_]", "_", name).strip("_") or "muuttuja"
    if not base[0].isalpha():
        base = "v_" + base
    candidate, i = base[:SPSS_NAME_LENGTH], 2
    while candidate.lower() in taken:
        suffix = f"_{i}"
        candidate, i = base[:SPSS_NAME_LENGTH - len(suffix)] + suffix, i + 1
    taken.add(candidate.lower())
    return candidate


def analyst_table(table: pd.DataFrame, year: int, weights=None) -> AnalystTable:
    """The clean survey table of the year coded for SPSS and CSV (see the module's docstring);
    weights: weighting.Weights (or a Series aligned with the table), or None."""
    export = {c.name: c for c in questionnaire.survey_export(year).columns}
    columns, labels, value_labels, taken = {}, {}, {}, set()

    def put(tidy: str, values, label: str, codes: dict[float, str] | None = None) -> None:
        name = _spss_name(tidy, taken)
        columns[name] = values
        labels[name] = label
        if codes:
            value_labels[name] = codes

    for tidy in ("vastaaja", "aloitettu", "lahetetty"):
        values = table[tidy]
        values = values.astype("float64") if tidy == "vastaaja" else pd.to_datetime(values)
        put(tidy, values, export[tidy].raw)
    for q in questionnaire.survey_questions(year):
        if q["tyyppi"] in ("valinta", "matriisi"):
            scale = questionnaire.options(q) if q["tyyppi"] == "valinta" else list(q["asteikko"])
            codes = {float(i): text for i, text in enumerate(scale, start=1)}
            lookup = {text: code for code, text in codes.items()}
            tidies = [q["key"]] if q["tyyppi"] == "valinta" else [option_column(q, r["teksti"]) for r in q["rivit"]]
            for tidy in tidies:
                coded = table[tidy].astype(object).map(lambda v: lookup.get(v, np.nan) if isinstance(v, str) else np.nan)
                put(tidy, coded.astype("float64"), export[tidy].raw, codes)
        elif q["tyyppi"] == "monivalinta":
            tidies = [option_column(q, o["teksti"]) for o in q["vaihtoehdot"]]
            chosen = table[tidies].fillna(False).astype(bool)
            answered = chosen.any(axis=1)
            for tidy in tidies:
                put(tidy, chosen[tidy].astype("float64").where(answered), export[tidy].raw, CHECKBOX_LABELS)
        else:
            put(q["key"], table[q["key"]].astype(object).where(table[q["key"]].notna(), "").astype(str),
                export[q["key"]].raw)
    if weights is not None:
        w = weights.weights if hasattr(weights, "weights") else weights
        w = w.reindex(table.index).astype("float64")
        put("paino", w / w.mean(), "Painokerroin, keskiarvo 1 (ammattiryhmä ja vastuualue henkilöstön mukaan)")
        put("paino_henkilosto", w, "Painokerroin henkilöinä (summa = henkilöstö)")
    return AnalystTable(pd.DataFrame(columns, index=table.index).reset_index(drop=True), labels, value_labels)


def write_sav(analyst: AnalystTable, path: Path) -> Path:
    import pyreadstat

    pyreadstat.write_sav(analyst.data, str(path), column_labels=[analyst.labels[c] for c in analyst.data.columns],
                         variable_value_labels=analyst.value_labels)
    return path


def _fi_cell(value) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
        return ""
    if isinstance(value, pd.Timestamp):
        return f"{value.day}.{value.month}.{value.year} {value.hour}:{value.minute:02d}"
    if isinstance(value, (float, np.floating)):
        if float(value).is_integer():
            return str(int(value))
        return repr(float(value)).replace(".", ",")
    return str(value)


def write_csv_fi(frame: pd.DataFrame, path: Path) -> Path:
    """';' as separator, decimal comma, UTF-8 with BOM, CRLF line ends (Excel in Finnish opens it
    as it is). Cells with ';', quotes or line breaks are quoted."""
    def cell(value) -> str:
        text = _fi_cell(value)
        return '"' + text.replace('"', '""') + '"' if any(ch in text for ch in ';"\r\n') else text

    lines = [";".join(cell(c) for c in frame.columns)]
    lines += [";".join(cell(v) for v in row) for row in frame.itertuples(index=False, name=None)]
    path.write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8"))
    return path


def codebook(analyst: AnalystTable) -> pd.DataFrame:
    return pd.DataFrame({"Muuttuja": list(analyst.labels), "Kysymys": list(analyst.labels.values()),
                         "Arvot": ["; ".join(f"{int(k)} = {v}" for k, v in analyst.value_labels[c].items())
                                   if c in analyst.value_labels else "" for c in analyst.labels]})


def write_analyst_files(folder: Paths, table: pd.DataFrame, weights=None, year: int | None = None) -> list[Path]:
    """kysely_<vuosi>.sav, kysely_<vuosi>.csv and the codebook kysely_<vuosi>_muuttujat.csv
    into the year's processed folder (year: the table's survey year, default the folder's)."""
    year = folder.year if year is None else year
    folder.processed.mkdir(parents=True, exist_ok=True)
    analyst = analyst_table(table, year, weights)
    base = folder.processed / f"kysely_{year}"
    return [write_sav(analyst, base.with_suffix(".sav")),
            write_csv_fi(analyst.texts(), base.with_suffix(".csv")),
            write_csv_fi(codebook(analyst), base.parent / f"kysely_{year}_muuttujat.csv")]
