"""`python -m hyte_nb hyte luonnos`: the HYTE catalogues drafted from a year's exports, and a
service new, renamed or ended during the year declared in the catalogue (or stopped with a
message naming the fix)."""

import contextlib
import io
import os
from datetime import date
from pathlib import Path

import pytest
import yaml

from hyte_nb.__main__ import main as cli
from hyte_nb.core import catalog as core_catalog
from hyte_nb.core.clean import CleaningLog
from hyte_nb.core.read import ExportError
from hyte_nb.hyte import catalog, exports
from hyte_nb.hyte.cleaning import clean_one

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw" / "2024" / "hyte"


@pytest.fixture(scope="module")
def drafted(tmp_path_factory):
    """The three catalogues drafted from the bundled 2024 exports into an empty project folder,
    and what the command printed."""
    root = tmp_path_factory.mktemp("luonnos")
    (root / "reports.yml").write_text("raportit: {}\n", encoding="utf-8")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert cli(["--root", str(root), "hyte", "luonnos", str(RAW)]) == 0
    assert "HYTE_NB_ROOT" not in os.environ  # --root named the project for the command only
    lines = printed.getvalue().splitlines()
    from hyte_nb.hyte import draft

    parsed = {n: yaml.safe_load((root / f"{n}.yml").read_text(encoding="utf-8")) for n in draft.FILES}
    return root, parsed, lines


def _bundled(name):
    return core_catalog._parsed_bundled(catalog.PACKAGE, name)


def _services_by_area_name(spec):
    names = {k: v["nimi"] for k, v in spec["alueet"].items()}
    return {(names[s["alue"]], s["palvelu"]): ("asiakastyo" in s, "tapahtumat" in s,
                                               sorted(o if isinstance(o, str) else o["nimi"] for o in s.get("vanhat", [])))
            for s in spec["palvelut"]}


def test_the_draft_gives_the_shipped_services_back(drafted):
    _, parsed, _ = drafted
    shipped = _bundled("palvelut")
    assert ({a["nimi"] for a in parsed["palvelut"]["alueet"].values()}
            == {a["nimi"] for a in shipped["alueet"].values()})
    assert _services_by_area_name(parsed["palvelut"]) == _services_by_area_name(shipped)


def test_the_draft_gives_the_shipped_measurements_back(drafted):
    _, parsed, _ = drafted
    shipped_items = _bundled("mittarit")
    assert {k: v["asteikko"] for k, v in parsed["mittarit"].items()} == {k: v["asteikko"] for k, v in shipped_items.items()}
    assert {k: v.get("raja") for k, v in parsed["mittarit"].items()} == {k: v.get("raja") for k, v in shipped_items.items()}

    def measured(spec, areas):
        """(area name, service) -> every item its blocks compute, and the end point."""
        out = {}
        for block in spec["mittaukset"]:
            key = (areas[block["alue"]], block["palvelu"])
            items = set(block.get("osuudet", {})) | set(block.get("keskiarvot", {})) | (
                {"hyvinvointi"} if "hyvinvointi" in block else set())
            seen = out.setdefault(key, [set(), block.get("loppukerta", "loppu")])
            seen[0] |= items
        return out

    drafted_areas = {k: v["nimi"] for k, v in parsed["palvelut"]["alueet"].items()}
    shipped_areas = {k: v["nimi"] for k, v in _bundled("palvelut")["alueet"].items()}
    assert measured(parsed["luvut"], drafted_areas) == measured(_bundled("luvut"), shipped_areas)
    groups = {(b["palvelu"], b.get("ryhma")) for b in parsed["luvut"]["mittaukset"]}
    assert {(b["palvelu"], b["ryhma"]) for b in _bundled("luvut")["mittaukset"] if b.get("ryhma")} <= groups


def test_the_draft_gives_the_shipped_feedback_volunteers_and_materials_back(drafted):
    _, parsed, _ = drafted
    shipped, luvut = _bundled("luvut"), parsed["luvut"]
    drafted_areas = {k: v["nimi"] for k, v in parsed["palvelut"]["alueet"].items()}
    shipped_areas = {k: v["nimi"] for k, v in _bundled("palvelut")["alueet"].items()}
    assert ({(drafted_areas[x["alue"]], x["palvelu"], x["kysymys"]) for x in luvut["palaute"]["osuudet"]}
            == {(shipped_areas[x["alue"]], x["palvelu"], x["kysymys"]) for x in shipped["palaute"]["osuudet"]})
    assert luvut["vapaaehtoiset"] == shipped["vapaaehtoiset"]  # the generic ids are the shipped ones
    assert luvut["vapaaehtoiskysely"]["vaittamat"] == shipped["vapaaehtoiskysely"]["vaittamat"]
    assert set(shipped["vapaaehtoiskysely"]["motiivit"]) < set(luvut["vapaaehtoiskysely"]["motiivit"])
    assert set(luvut["muut_materiaalit"]) == {m["materiaali"] for m in shipped["lataukset"]} | set(
        shipped["muut_materiaalit"])


def test_what_the_exports_cannot_say_is_listed_not_made_up(drafted):
    root, parsed, lines = drafted
    undecided = "\n".join(lines)
    assert "lisää palvelulle asiakkaat: parit" in undecided  # support pairs are not in the exports
    assert not any(s.get("asiakkaat") for s in parsed["palvelut"]["palvelut"])
    assert "(nps_ryhmat)" in undecided and len(parsed["palvelut"]["nps_ryhmat"]) == 4  # one per area, to check
    assert "julkaistut_luvut.csv), käytä sen tunnuksia" in undecided  # the printed report's ids
    assert "'Keikka-apu' (6 riviä) on luonnoksessa palvelun 'Keikkatoiminta' vanha nimi" in undecided
    assert parsed["luvut"]["lataukset"] == [] and parsed["luvut"]["palaute"]["avoimet"] == []
    text = (root / "palvelut.yml").read_text(encoding="utf-8")
    assert "# TARKISTA: palvelut.yml: 'Keikka-apu'" in text  # the file says it too


def test_an_existing_catalogue_is_not_overwritten_and_its_missing_services_are_named(drafted, tmp_path):
    root, _, _ = drafted
    before = (root / "palvelut.yml").read_text(encoding="utf-8")
    from hyte_nb.hyte import draft

    lines = []
    assert draft.run(RAW, root, out=lines.append) == 0
    assert (root / "palvelut.yml").read_text(encoding="utf-8") == before
    assert lines[-1] == "Palveluluettelossa on jokainen vuoden 2024 vientien palvelu."
    spec = yaml.safe_load(before)
    spec["palvelut"] = [s for s in spec["palvelut"] if s["palvelu"] != "Seniorikahvila"]
    (tmp_path / "palvelut.yml").write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    lines = []
    assert draft.run(RAW, tmp_path, out=lines.append) == 1
    assert lines[1] == ("- palvelu 'Seniorikahvila' alueella senioripalvelut puuttuu: uutena lisää rivi - {alue: "
                        "senioripalvelut, palvelu: Seniorikahvila, tapahtumat: sen_seniorikahvila, nps: sen_nps, "
                        "alkaen: 2024}")


# -- a service's changes during the year, declared or not ---------------------------------------------
HEADER = "Käynnin ID;Päivämäärä;Palvelualue;Palvelu;Asiakastunnus;Tavatut henkilöt;Yksinäisyys puheeksi"


def _export(folder: Path, rows: list[tuple[str, str]]) -> Path:
    lines = [f"K{i:05d};{day};Kaupunkityö;{service};AS-{i % 7};1;Ei" for i, (day, service) in enumerate(rows, 1)]
    path = folder / "asiakastapaamiset.csv"
    path.write_bytes(("\ufeff" + "\r\n".join([HEADER, *lines]) + "\r\n").encode("utf-8"))
    return path


def _problems(path: Path) -> list[str]:
    """What the cleaning of this client-meetings export stops with."""
    with pytest.raises(ExportError) as error:
        clean_one(path, exports.CLIENT_MEETINGS, 2025, CleaningLog())
    return error.value.problems


def _project(folder: Path, services: list[dict], monkeypatch) -> None:
    (folder / "reports.yml").write_text("raportit: {}\n", encoding="utf-8")
    spec = {"alueet": {"kaupunki": {"nimi": "Kaupunkityö", "lyhenne": "kau"}}, "palvelut": services,
            "nps_ryhmat": {"kau_nps": "Kaupunkityö"}}
    (folder / "palvelut.yml").write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("HYTE_NB_ROOT", str(folder))


def test_a_service_renamed_mid_year_is_counted_under_its_new_name(tmp_path, monkeypatch):
    _project(tmp_path, [{"alue": "kaupunki", "palvelu": "Kävelyryhmä", "asiakastyo": "kau_kavely", "nps": "kau_nps",
                         "vanhat": [{"nimi": "Kävelykerho", "asti": date(2025, 3, 31)}]}], monkeypatch)
    path = _export(tmp_path, [("3.2.2025", "Kävelykerho"), ("30.3.2025", "kävelykerho"), ("2.4.2025", "Kävelyryhmä")])
    log = CleaningLog()
    table = clean_one(path, exports.CLIENT_MEETINGS, 2025, log)
    assert list(table["palvelu"]) == ["Kävelyryhmä"] * 3
    assert [e["ennen"] for e in log.entries if e["toimenpide"] == "muutettu"] == ["Kävelykerho", "kävelykerho"]
    late = _export(tmp_path, [("3.2.2025", "Kävelykerho"), ("2.4.2025", "Kävelykerho")])
    assert _problems(late) == [
        f"{late}, rivi 3, sarake 'Palvelu': arvo 'Kävelykerho' – odotettiin: palvelun 'Kävelyryhmä' uusi nimi: vanhaa "
        f"nimeä 'Kävelykerho' käytetään palveluluettelon ({tmp_path / 'palvelut.yml'}) mukaan vain 31.3.2025 asti, "
        f"tämä rivi on päivätty 2.4.2025. Korjaa vanhan nimen päivä (asti) tai rivin palvelu"]


def test_a_service_new_or_ended_mid_year_has_records_only_while_it_ran(tmp_path, monkeypatch):
    _project(tmp_path, [{"alue": "kaupunki", "palvelu": "Kävelyryhmä", "asiakastyo": "kau_kavely", "nps": "kau_nps",
                         "asti": date(2025, 6, 30)},
                        {"alue": "kaupunki", "palvelu": "Pyöräilyryhmä", "asiakastyo": "kau_pyora", "nps": "kau_nps",
                         "alkaen": date(2025, 7, 1)}], monkeypatch)
    assert [s for s in catalog.services(2026)["palvelu"]] == ["Pyöräilyryhmä"]  # ended in 2025
    assert list(catalog.services(2024)["palvelu"]) == ["Kävelyryhmä"]  # new in 2025
    ok = _export(tmp_path, [("3.2.2025", "Kävelyryhmä"), ("2.8.2025", "Pyöräilyryhmä")])
    assert len(clean_one(ok, exports.CLIENT_MEETINGS, 2025, CleaningLog())) == 2
    bad = _export(tmp_path, [("3.7.2025", "Kävelyryhmä"), ("2.6.2025", "Pyöräilyryhmä")])
    source = tmp_path / "palvelut.yml"
    assert _problems(bad) == [
        f"{bad}, rivi 2, sarake 'Päivämäärä': arvo 3.7.2025 – odotettiin: päivä, jolloin palvelu 'Kävelyryhmä' oli "
        f"käytössä: se päättyi 30.6.2025 palveluluettelon ({source}) mukaan. Korjaa palvelun päivä (alkaen/asti) "
        f"tai rivin palvelu",
        f"{bad}, rivi 3, sarake 'Päivämäärä': arvo 2.6.2025 – odotettiin: päivä, jolloin palvelu 'Pyöräilyryhmä' oli "
        f"käytössä: se alkoi 1.7.2025 palveluluettelon ({source}) mukaan. Korjaa palvelun päivä (alkaen/asti) "
        f"tai rivin palvelu"]


def test_an_undeclared_service_names_the_nearest_and_the_command(tmp_path, monkeypatch):
    _project(tmp_path, [{"alue": "kaupunki", "palvelu": "Kävelyryhmä", "asiakastyo": "kau_kavely", "nps": "kau_nps"}],
             monkeypatch)
    path = _export(tmp_path, [("3.2.2025", "Kävelyryhmä"), ("4.2.2025", "Kävelyryhmät")])
    assert _problems(path) == [
        f"{path}, rivi 3, sarake 'Palvelu': arvo 'Kävelyryhmät' – odotettiin: palvelu vuoden 2025 palveluluettelosta "
        f"alueelle kaupunki ({tmp_path / 'palvelut.yml'}); lähin tunnettu palvelu on 'Kävelyryhmä'. Jos palvelu on "
        f"uusi, nimetty uudelleen tai päättynyt, ilmoita se palveluluettelossa (alkaen, vanhat, asti); komento "
        f"python -m hyte_nb hyte luonnos {tmp_path} luonnostelee sen"]
