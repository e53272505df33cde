"""Published vs computed, figure by figure, with the audit's explanation where they differ."""

from __future__ import annotations

import pandas as pd

from hyte_nb.core import fmt
from hyte_nb.core.audit import Audit

MATCH = "täsmää"
EXPLAINED = "selitetty: julkaistu luku ei voi pitää paikkaansa"
MISMATCH = "POIKKEAA"


def reconcile(computed: pd.DataFrame, ref: pd.DataFrame, audit: Audit) -> pd.DataFrame:
    """One row per printed figure: printed, computed (rounded as printed), bases, status."""
    explanations = audit.table().groupby("id")["selitys"].apply(" ".join)
    # Plain dicts read once: a DataFrame row lookup per printed figure was most of the work.
    values, bases = computed["arvo"].to_dict(), computed["n"].to_dict()
    rows = []
    for fid, printed in ref.to_dict("index").items():
        dec = int(printed["decimals"])
        value, n = (values[fid], bases[fid]) if fid in values else (float("nan"), pd.NA)
        rounded = fmt.round_half_away(value, dec) if pd.notna(value) else float("nan")
        n_ok = pd.isna(printed["n"]) or (pd.notna(n) and int(n) == int(printed["n"]))
        if rounded == printed["value"] and n_ok:
            status = MATCH
        elif fid in explanations.index and rounded == audit.implied(fid) and n_ok:
            status = EXPLAINED
        else:
            status = MISMATCH
        rows.append({
            "id": fid, "osio": printed["section"], "luku": printed["label"],
            "julkaistu": fmt.by_unit(printed["value"], printed["unit"], dec),
            "laskettu": fmt.by_unit(rounded, printed["unit"], dec) if pd.notna(rounded) else "puuttuu",
            "n julkaistu": "" if pd.isna(printed["n"]) else fmt.number(printed["n"]),
            "n laskettu": "" if pd.isna(n) else fmt.number(n),
            "tila": status, "selitys": explanations.get(fid, ""),
            "julkaistu_arvo": printed["value"], "laskettu_arvo": rounded,
        })
    return pd.DataFrame(rows).set_index("id")


def summary(table: pd.DataFrame) -> dict[str, int]:
    return {"painettuja lukuja": len(table), "täsmää": int((table["tila"] == MATCH).sum()),
            "selitetty": int((table["tila"] == EXPLAINED).sum()), "poikkeaa": int((table["tila"] == MISMATCH).sum())}
