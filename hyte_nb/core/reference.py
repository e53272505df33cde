"""The published figures: read only to reconcile and to test, never to compute."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd


@dataclass(frozen=True)
class Relation:
    """How a printed figure relates to others: sum, share, change, pooled_nps, distribution
    (the shares of one question's options, printed with the same n, must come from whole
    counts that add up to n), or luettelo (a property of the questionnaire, such as its number
    of questions: the year's catalogue decides it, not the answers)."""

    kind: str
    ids: tuple[str, ...]


def parse_relations(text: str) -> list[Relation]:
    relations = []
    for part in filter(None, (p.strip() for p in str(text or "").split("|"))):
        kind, _, expr = part.partition(":")
        if kind in ("sum", "pooled_nps", "distribution"):
            ids = expr.split("+")
        elif kind == "share":
            ids = expr.split("/")
        elif kind == "change":
            ids = expr.split("-")
        elif kind == "luettelo":
            ids = []
        else:
            raise ValueError(f"unknown relation {kind!r} in {text!r}")
        relations.append(Relation(kind, tuple(i.strip() for i in ids)))
    return relations


def decimals_of(text: str) -> int:
    """How many decimals the report printed: '2.9' -> 1, '58972' -> 0."""
    return len(text.split(".")[1]) if "." in text else 0


def load(path: Path) -> pd.DataFrame:
    """The reference table indexed by id, with value (float), decimals, n (Int64) and relations."""
    ref = pd.read_csv(path, dtype=str, keep_default_na=False).set_index("id")
    if ref.index.duplicated().any():
        raise ValueError(f"{path}: duplicate ids {sorted(ref.index[ref.index.duplicated()])}")
    ref["decimals"] = ref["value"].map(decimals_of)
    ref["value"] = ref["value"].astype(float)
    ref["n"] = pd.to_numeric(ref["n"].replace("", None)).astype("Int64")
    ref["relations"] = ref["relation"].map(parse_relations)
    unknown = {i for rels in ref["relations"] for r in rels for i in r.ids} - set(ref.index)
    if unknown:
        raise ValueError(f"{path}: relations name unknown ids {sorted(unknown)}")
    return ref.drop(columns="relation")


def calibration(folder) -> Path:
    """The published figures a sample generator reproduces (a Paths of the calibrated year): the
    project's own, else the seeds' from the hyte_nb checkout, so that a new organisation's folder
    (`python -m hyte_nb uusi`) writes the sample without reconciling its own reports with them."""
    if folder.reference.exists():
        return folder.reference
    import hyte_nb

    return Path(hyte_nb.__file__).resolve().parent.parent / "data" / "reference" / folder.reference.name

