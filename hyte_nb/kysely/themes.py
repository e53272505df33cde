"""How open answers are coded into themes: a codebook of keywords and phrases per theme
(hyte_nb/kysely/metadata/teemat.yml), kept in the repository so the coding can be reviewed."""

from __future__ import annotations

import re

import pandas as pd

from hyte_nb.core import privacy
from hyte_nb.kysely import questionnaire


def codebook(question: str) -> dict[str, list[str]]:
    return questionnaire.load("teemat").get(question, {})


def code(answers: pd.Series, book: dict[str, list[str]]) -> pd.DataFrame:
    """One row per answer, one boolean column per theme: does the answer mention it?
    Keywords match at word starts, case-insensitively, so 'kiire' also finds 'kiireessä'."""
    texts = answers.dropna().astype(str)
    coded = {theme: texts.map(lambda t, ws=words: any(re.search(rf"\b{re.escape(w)}", t, re.I) for w in ws))
             for theme, words in book.items()}
    return pd.DataFrame(coded, index=texts.index)


def theme_counts(coded: pd.DataFrame) -> pd.DataFrame:
    """Answers per theme, most frequent first, and the answers no theme caught."""
    n = len(coded)
    counts = coded.sum().sort_values(ascending=False, kind="stable")
    table = pd.DataFrame({"vastauksia": counts, "osuus": counts / n * 100 if n else 0.0})
    table.loc["(ei teemaa)"] = [int((~coded.any(axis=1)).sum()), (~coded.any(axis=1)).mean() * 100 if n else 0.0]
    table.attrs["n"] = n
    return table


def quotes(answers: pd.Series, coded: pd.DataFrame, per_theme: int = 1) -> list[tuple[str, str]]:
    """(theme, quote) pairs: the longest answer of each theme (it usually says most), with
    personal data removed; an answer is quoted once."""
    used, picked = set(), []
    texts = answers.dropna().astype(str)
    for theme in coded.columns:
        candidates = texts[coded[theme] & ~texts.index.isin(used)]
        for index in candidates.str.len().sort_values(ascending=False).index[:per_theme]:
            used.add(index)
            picked.append((theme, privacy.redact(texts[index])))
    return picked
