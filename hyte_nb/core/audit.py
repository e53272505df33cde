"""Does the published report add up? Checks that need only the printed figures.

- granularity (in the spirit of the GRIM test): a percentage printed with base n must be
  k/n for some whole k; an NPS with base n must be (promoters - detractors)/n;
- printed parts must sum to their printed totals, and shares must follow from them;
- a percentage-point change must follow from its two percentages;
- a pooled NPS must be reachable from the NPS of its parts;
- the shares of one question's options, printed with the same n, must come from whole
  counts that add up to n.

Each figure gets an implied value: what consistent record-level data would give. Sums
trust their finest-grained parts (a total is implied by its parts), and a percentage
that no whole count can give is implied by the count the issue's rule picks:
k = round_half_away(p * n / 100). The sample generator uses the same rules, so the
pipeline's result for a flagged figure equals its implied value.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from hyte_nb.core import fmt
from hyte_nb.core.fmt import number, round_half_away
from hyte_nb.core.reference import Relation


def count_for(percent: float, n: int) -> int:
    """The whole count the report most likely meant: round half away from zero, within 0..n."""
    return int(min(max(round_half_away(percent * n / 100), 0), n))


def counts_giving(percent: float, n: int, decimals: int = 0, low: int = 0) -> list[int]:
    """Every whole k in low..n with round(k / n * 100) equal to the printed percent."""
    centre = percent * n / 100
    candidates = range(max(low, int(centre) - 2), min(n, int(centre) + 3) + 1)
    return [k for k in candidates if round_half_away(k / n * 100, decimals) == percent]


def granularity_ok(percent: float, n: int, decimals: int = 0) -> bool:
    return bool(counts_giving(percent, n, decimals))


def nps_net_for(score: float, n: int) -> int:
    """Promoters minus detractors for a printed NPS, by the same rounding rule."""
    return int(min(max(round_half_away(score * n / 100), -n), n))


def nps_granularity_ok(score: float, n: int) -> bool:
    return bool(counts_giving(score, n, 0, low=-n))


def solve_change(first: float, second: float, change: float, n: int, decimals=(0, 0, 0)):
    """Counts (a, b) over the same base n that give both printed percentages and the
    printed change round((a - b) / n * 100). Returns (a, b, found); when no pair gives
    all three, the rule's counts with found=False."""
    for a in counts_giving(first, n, decimals[0]):
        for b in counts_giving(second, n, decimals[1]):
            if round_half_away((a - b) / n * 100, decimals[2]) == change:
                return a, b, True
    return count_for(first, n), count_for(second, n), False


def apportion(percents: dict[str, float], n: int, decimals: int = 0) -> tuple[dict[str, int], bool]:
    """Whole counts that add up to n and each round to its printed percent. When no such
    counts exist, the closest ones (the largest category absorbs the difference) and False."""
    counts = {k: count_for(p, n) for k, p in percents.items()}
    diff = n - sum(counts.values())
    step = 1 if diff > 0 else -1
    # Move first the counts whose exact value lies closest to the next whole number.
    order = sorted(percents, key=lambda k: (round(-step * (percents[k] * n / 100 - counts[k]), 6), -counts[k]))
    for key in order:
        if diff == 0:
            break
        if round_half_away(100 * (counts[key] + step) / n, decimals) == percents[key]:
            counts[key] += step
            diff -= step
    possible = diff == 0 and all(round_half_away(100 * c / n, decimals) == percents[k] for k, c in counts.items())
    counts[order[0]] += diff
    return counts, possible


@dataclass
class Finding:
    id: str
    check: str
    printed: float
    implied: float
    message: str


class Audit:
    """Runs every check over the reference table (see hyte_nb.reference.load). `catalogue` gives
    the values the questionnaire catalogue decides (figures with a `luettelo` relation); without
    it such a figure is taken as printed."""

    def __init__(self, ref: pd.DataFrame, catalogue: dict[str, float] | None = None):
        self.ref = ref
        # Each printed figure's row as a plain dict, read once: the checks look rows up thousands
        # of times per page, and a DataFrame row lookup costs as much as the check itself.
        self._rows: dict[str, dict] = ref.to_dict("index")
        self.catalogue = catalogue or {}
        self.findings: list[Finding] = []
        self._implied = cache(self._implied_uncached)
        self._distribution_of = {i: (fid, rel) for fid, rels in ref["relations"].items() for rel in rels
                                 if rel.kind == "distribution" for i in rel.ids}
        for fid in ref.index:
            self._check(fid)

    # -- implied values -------------------------------------------------------------
    def implied(self, fid: str) -> float:
        return self._implied(fid)

    def _implied_uncached(self, fid: str) -> float:
        row = self._rows[fid]
        if fid in self._distribution_of:
            return self._distribution(*self._distribution_of[fid])[0][fid]
        for rel in row["relations"]:
            return self._relation_value(fid, rel)
        return self._granular_value(fid)

    def _distribution(self, carrier: str, rel: Relation) -> tuple[dict[str, float], bool]:
        """Implied shares of a question's options, and whether the printed ones are possible."""
        values = self._values(rel.ids)
        n, dec = int(self._rows[carrier]["n"]), max(int(self._rows[i]["decimals"]) for i in rel.ids)
        counts, possible = apportion(values, n, dec)
        return {k: round_half_away(100 * c / n, dec) for k, c in counts.items()}, possible

    def _values(self, ids) -> dict[str, float]:
        """The printed values of these figures, in their order."""
        return {i: self._rows[i]["value"] for i in ids}

    def _granular_value(self, fid: str) -> float:
        row = self._rows[fid]
        value, n, dec = row["value"], row["n"], row["decimals"]
        if pd.isna(n) or n == 0:
            return value
        if row["unit"] == "%" and not granularity_ok(value, n, dec):
            return round_half_away(count_for(value, n) / n * 100, dec)
        if row["unit"] == "nps" and not nps_granularity_ok(value, n):
            return round_half_away(nps_net_for(value, n) / n * 100)
        return value

    def _relation_value(self, fid: str, rel: Relation) -> float:
        row = self._rows[fid]
        dec = row["decimals"]
        if rel.kind == "sum":
            return sum(self.implied(i) for i in rel.ids)
        if rel.kind == "share":
            part, total = (self.implied(i) for i in rel.ids)
            return round_half_away(part / total * 100, dec)
        if rel.kind == "pooled_nps":
            parts = [self._rows[i] for i in rel.ids]
            net = sum(nps_net_for(p["value"], p["n"]) for p in parts)
            return round_half_away(net / sum(p["n"] for p in parts) * 100)
        if rel.kind == "change":
            return self._change_value(fid, rel)
        if rel.kind == "distribution":
            return self.implied(fid)
        if rel.kind == "luettelo":
            return float(self.catalogue.get(fid, row["value"]))
        raise ValueError(rel.kind)

    def _change_value(self, fid: str, rel: Relation) -> float:
        row = self._rows[fid]
        first, second = (self._rows[i] for i in rel.ids)
        n = row["n"]
        if pd.isna(n):
            # No base printed: the change of unrounded shares may differ by one point at most.
            diff = self.implied(rel.ids[0]) - self.implied(rel.ids[1])
            return row["value"] if abs(row["value"] - diff) <= 1 else round_half_away(diff, row["decimals"])
        decimals = (first["decimals"], second["decimals"], row["decimals"])
        a, b, _ = solve_change(first["value"], second["value"], row["value"], n, decimals)
        return round_half_away((a - b) / n * 100, row["decimals"])

    # -- findings -------------------------------------------------------------------
    def _check(self, fid: str) -> None:
        row = self._rows[fid]
        value = row["value"]
        for rel in row["relations"]:
            if rel.kind == "distribution":
                self._check_distribution(fid, rel)
                continue
            got = self._relation_value(fid, rel)
            if got != value:
                self.findings.append(Finding(fid, _CHECK_NAMES[rel.kind], value, got, self._explain(fid, rel, got)))
        if not row["relations"] and fid not in self._distribution_of:
            got = self._granular_value(fid)
            if got != value:
                kind = "NPS:n rakeisuus" if row["unit"] == "nps" else "prosentin rakeisuus (GRIM)"
                msg = (f"{_fmt(row, value)} ei voi syntyä n = {row['n']} vastauksesta: lähin mahdollinen "
                       f"on {_fmt(row, got)}.")
                self.findings.append(Finding(fid, kind, value, got, msg))

    def _check_distribution(self, carrier: str, rel: Relation) -> None:
        implied, possible = self._distribution(carrier, rel)
        if possible:
            return
        values = self._values(rel.ids)
        n = int(self._rows[carrier]["n"])
        nearest = {k: count_for(v, n) for k, v in values.items()}
        printed = " / ".join(_fmt(self._rows[k], v) for k, v in values.items())
        derived = " / ".join(_fmt(self._rows[k], v) for k, v in implied.items())
        message = (f"Jakauma {printed} ei voi syntyä n = {n} vastauksesta: lähimmät lukumäärät "
                   f"({' + '.join(str(c) for c in nearest.values())}) antavat yhteensä {sum(nearest.values())}. "
                   f"Lähin mahdollinen jakauma on {derived}.")
        for k, v in values.items():
            if implied[k] != v:
                self.findings.append(Finding(k, "jakauma ja n", v, implied[k], message))

    def _explain(self, fid: str, rel: Relation, got: float) -> str:
        row = self._rows[fid]
        printed = list(self._values(rel.ids).values())
        if rel.kind == "sum":
            direct = float(np.sum(printed))  # numpy's summation, as the table's own sum had it
            text = f"Painettu {_fmt(row, row['value'])}, mutta osat ({' + '.join(number(v) for v in printed)})"
            if direct == row["value"]:
                return (f"{text} täsmäävät vain painettuina; osien omat osat antavat yhteensä "
                        f"{_fmt(row, got)}.")
            text = f"{text} antavat {number(direct)}"
            if got != direct:
                text += f"; yksityiskohtaisimmista luvuista seuraa {_fmt(row, got)}"
            return text + "."
        if rel.kind == "share":
            part, total = rel.ids
            text = (f"Painettu {_fmt(row, row['value'])}, mutta {number(self.implied(part))} / "
                    f"{number(self.implied(total))} = {_fmt(row, got)}.")
            alt = self._denominator_note(part, total, row)
            return text + alt
        if rel.kind == "pooled_nps":
            ns = [self._rows[i]["n"] for i in rel.ids]
            net = sum(nps_net_for(v, n) for v, n in zip(printed, ns))
            total_n = int(sum(ns))
            return (f"Painettu {_fmt(row, row['value'])}, mutta osien NPS-luvuista ja n:istä (yhteensä "
                    f"n = {total_n}) seuraa {number(net)}/{total_n} = {_fmt(row, got)}.")
        if rel.kind == "luettelo":
            return (f"Painettu {_fmt(row, row['value'])}, mutta vuoden kysymysluettelossa on {_fmt(row, got)}; "
                    f"sivut näyttävät luettelon luvun.")
        if rel.kind == "change":
            first, second = (self._rows[i] for i in rel.ids)
            base = f" (n = {row['n']})" if not pd.isna(row["n"]) else ""
            return (f"Muutos {_fmt(row, row['value'])} ei seuraa luvuista {_fmt(first, first['value'])} ja "
                    f"{_fmt(second, second['value'])}{base}; lähin mahdollinen on {_fmt(row, got)}.")
        return ""

    def _denominator_note(self, part: str, total: str, row) -> str:
        """Shares printed from a wrong total often match the sum of the printed parts."""
        for rel in self._rows[total]["relations"]:
            if rel.kind == "sum" and part in rel.ids:
                denominator = float(np.sum(list(self._values(rel.ids).values())))
                if round_half_away(self._rows[part]["value"] / denominator * 100) == row["value"]:
                    return (f" Painettu osuus vastaa nimittäjää {number(denominator)} "
                            f"(painettujen osien summa).")
        return ""

    def table(self) -> pd.DataFrame:
        """Findings as a table: figure, check, printed, implied, explanation."""
        rows = [
            {"id": f.id, "osio": self._rows[f.id]["section"], "luku": self._rows[f.id]["label"],
             "tarkistus": f.check, "painettu": f.printed, "johdettu": f.implied, "selitys": f.message}
            for f in self.findings
        ]
        return pd.DataFrame(rows, columns=["id", "osio", "luku", "tarkistus", "painettu", "johdettu", "selitys"])

    def flagged(self) -> set[str]:
        return {f.id for f in self.findings}


def catalogue_values(ref: pd.DataFrame, figures: pd.DataFrame) -> dict[str, float]:
    """The computed values of the printed figures that the questionnaire catalogue decides."""
    decided = [fid for fid, rels in ref["relations"].items() if any(r.kind == "luettelo" for r in rels)]
    return {fid: float(figures.loc[fid, "arvo"]) for fid in decided if fid in figures.index}


_CHECK_NAMES = {"sum": "osien summa", "share": "osuus", "change": "muutos", "pooled_nps": "yhdistetty NPS",
                "luettelo": "kysymysluettelo"}


def _fmt(row, value) -> str:
    return fmt.by_unit(value, row["unit"], int(row["decimals"]))
