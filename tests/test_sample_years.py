"""A sample year other than the calibrated 2024: deterministic for its seed, a year of its
own, dated in that year, clean and with plausible figures. (That the 2024 sample still
reproduces the committed exports byte for byte is tested in test_sample.py.)"""

import pandas as pd
import pytest

from conftest import ROOT
from hyte_nb.core import reference
from hyte_nb.core.audit import Audit
from hyte_nb.core.paths import Paths
from hyte_nb.hyte import catalog
from hyte_nb.hyte.cleaning import clean_year
from hyte_nb.hyte.exports import HYTE_EXPORTS, MEASUREMENTS
from hyte_nb.hyte.figures import compute_all
from hyte_nb.hyte.sample import CALIBRATED_YEAR, strings_in, targets, write_sample

YEAR, SEED = 2025, 7
REFERENCE = Paths.of(CALIBRATED_YEAR, "hyte", ROOT).reference
AREA_PREFIXES = [area["lyhenne"] for area in catalog.areas().values()]


def write(folder, year=YEAR, seed=SEED):
    write_sample(Paths.of(year, "hyte", ROOT, raw=folder), seed)
    return folder


@pytest.fixture(scope="module")
def raw(tmp_path_factory):
    return write(tmp_path_factory.mktemp("raw"))


@pytest.fixture(scope="module")
def cleaned(raw, tmp_path_factory):
    log, tables = clean_year(YEAR, raw, tmp_path_factory.mktemp("processed"))
    return log, tables, compute_all(tables, YEAR)


@pytest.fixture(scope="module")
def figures_2024():
    """What the committed 2024 sample gives: the published figures by the audit's rules."""
    audit = Audit(reference.load(REFERENCE))
    return lambda fid: audit.implied(fid)


def read_csv(path):
    return pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")


def test_same_seed_writes_identical_files_and_another_seed_other_data(raw, tmp_path):
    again = write(tmp_path / "again")
    other = write(tmp_path / "other", seed=SEED + 1)
    for export in HYTE_EXPORTS:
        assert (again / export.filename).read_bytes() == (raw / export.filename).read_bytes(), export.filename
        assert (other / export.filename).read_bytes() != (raw / export.filename).read_bytes(), export.filename


def test_another_year_is_not_a_copy_of_2024(cleaned, figures_2024):
    _, _, figures = cleaned
    value = figures["arvo"]
    assert value["kohtaamiset"] != figures_2024("kohtaamiset") == 58318
    assert round(value["nps"]) != round(figures_2024("nps")) == 87
    key = ["asiakkaat", "tapahtumat", "sen_kohtaamiset", "per_kohtaamiset", "nuo_kohtaamiset", "aik_kohtaamiset",
           "sen_nps", "per_nps", "nuo_nps", "vap_henkilot", "vk_vastaajat", "vk_nps", "nuo_lataukset_fi"]
    assert sum(value[fid] != figures_2024(fid) for fid in key) >= len(key) - 2


def test_each_service_moves_by_a_plausible_amount(cleaned, figures_2024):
    _, _, figures = cleaned
    for svc in catalog.services(YEAR).itertuples():
        for fid in filter(None, (svc.id_asiakkaat, svc.id_kohtaamiset, svc.id_kerrat, svc.id_tapahtumakohtaamiset)):
            ratio = figures.at[fid, "arvo"] / figures_2024(fid)
            assert 0.8 <= ratio <= 1.2, (fid, ratio)  # 5-15 % and the rounding of small counts
    for fid in ("sen_nps", "per_nps", "nuo_nps", "aik_yks_nps", "aik_aggredi_nps", "vk_nps"):
        assert abs(figures.at[fid, "arvo"] - figures_2024(fid)) <= 10, fid


def test_every_date_is_in_the_year_but_the_planted_one(raw):
    planted = {}
    for export in [e for e in HYTE_EXPORTS if e.dated] + [MEASUREMENTS]:
        column = next(c.raw for c in export.columns if c.kind == "date")
        days = read_csv(raw / export.filename)[column]
        days = days[days != ""]  # the planted blank lines
        outside = days[~days.str.endswith(f".{YEAR}")]
        assert set(outside) <= {f"31.12.{YEAR - 1}"}, export.filename
        planted[export.key] = len(outside)
    assert planted == {"asiakastapaamiset": 1, "tapahtumat": 1, "asiakaspalaute": 0, "materiaalilataukset": 1,
                       "hyvinvointimittaukset": 0}


def test_cleaning_accounts_for_every_row_and_removes_the_planted_dirt(cleaned):
    log, tables, figures = cleaned
    summary = log.summary_frame().set_index("taulu")
    assert (summary["rivejä sisään"] == summary["rivejä ulos"] + summary["poistettu"]).all()
    assert set(summary.index) == {e.key for e in HYTE_EXPORTS}
    entries = log.frame()
    reasons = entries["syy"].str.replace(r" rivistä \d+", "", regex=True)
    for table in ("asiakastapaamiset", "tapahtumat"):
        assert {"tyhjä rivi", "testirivi: tunnisteessa testimerkki", "täsmällinen kaksoiskappale",
                "ylimääräiset välilyönnit poistettu", "palvelun nimi yhtenäistetty",
                f"päiväys vuoden {YEAR} ulkopuolella"} <= set(reasons[entries["taulu"] == table]), table
    assert summary.at["tapahtumat", "rivejä ulos"] == figures.at["tapahtumat", "arvo"]
    assert summary.at["vapaaehtoisrekisteri", "rivejä ulos"] == figures.at["vap_tehtavat", "arvo"]
    for key in ("asiakastapaamiset", "tapahtumat", "asiakaspalaute", "materiaalilataukset"):
        assert (tables[key]["pvm"].dt.year == YEAR).all(), key
    assert (tables["vapaaehtoiskysely"]["aika"].dt.year == YEAR).all()
    assert (tables["hyvinvointimittaukset"]["pvm"].dt.year == YEAR).all()


def test_figures_are_complete_and_plausible(cleaned):
    _, tables, figures = cleaned
    value = figures["arvo"]
    assert not value.isna().any(), list(value.index[value.isna()])
    assert value[figures["yksikko"] == "nps"].between(-100, 100).all()
    assert value[figures["yksikko"] == "%"].between(0, 100).all()
    counts = value[figures["yksikko"] == "lkm"]
    assert (counts >= 0).all() and (counts == counts.round()).all()
    for total in ("kohtaamiset", "asiakkaat", "tapahtumat", "asiakaskohtaamiset", "tapahtumakohtaamiset"):
        overall = {"asiakaskohtaamiset": "asiakastapaamisten_kohtaamiset",
                   "tapahtumakohtaamiset": "tapahtumien_kohtaamiset"}.get(total, total)
        assert value[overall] == sum(value[f"{p}_{total}"] for p in AREA_PREFIXES), total
    assert sum(value[f"osuus_{area}"] for area in catalog.areas()) == pytest.approx(100)
    assert value[[f"{p}_kohtaamiset" for p in AREA_PREFIXES]].sum() == value["kohtaamiset"]
    assert 35 <= value["vap_keski_ika"] <= 70
    born = tables["vapaaehtoisrekisteri"]["syntymavuosi"]
    assert born.between(YEAR - 100, YEAR - 18).all()
    assert value["vap_henkilot"] <= value["vap_tehtavat"] <= 2 * value["vap_henkilot"]


def test_targets_of_another_year_are_consistent():
    moved = targets(REFERENCE, YEAR, SEED)
    published = targets(REFERENCE, CALIBRATED_YEAR, SEED)
    assert not moved["value"].equals(published["value"])
    for fid, relations in moved["relations"].items():
        for rel in relations:
            if rel.kind == "change":  # a change follows from its two shares
                first, second = moved.loc[list(rel.ids), "value"]
                assert moved.at[fid, "value"] == pytest.approx(round(first - second, moved.at[fid, "decimals"]))
            if rel.kind == "distribution":  # one question's shares add up to 100
                assert moved.loc[list(rel.ids), "value"].sum() == 100
    # Nobody is measured who was not a client: measured bases grow with their service.
    clients = {(s.alue, s.palvelu): moved.at[s.id_asiakkaat, "value"]
               for s in catalog.services(YEAR).itertuples() if s.id_asiakkaat}
    for block in catalog.load("luvut")["mittaukset"]:
        ids = [fid for fid in strings_in(block) if fid in moved.index]
        bases = [moved.at[fid, "n"] for fid in ids if not pd.isna(moved.at[fid, "n"])]
        bases += [moved.at[fid, "value"] for fid in block.get("asiakkaat", {}).values()]
        assert max(bases) <= clients[(block["alue"], block["palvelu"])], block["palvelu"]
    for block in catalog.load("luvut")["mittaukset"]:
        if "hyvinvointi" in block:
            assert moved.loc[list(block["hyvinvointi"].values()), "value"].sum() <= 100

