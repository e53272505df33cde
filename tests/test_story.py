"""The report a board reads in ten minutes, with the evidence one click away: each report's
story PDF (a one-page summary first, then the sections) within its page limit, the evidence in
<report>_liitteet.pdf and on the appendix pages, no test table in the story, every link of the
story resolving (in the HTML to an existing page and id; in the PDF to the appendix page that
holds it), and differences called differences only where the appendix's test supports them.
Real builds (conftest's `built` and `built_survey`), real Chromium, read back with poppler."""

import functools
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, page_text
from hyte_nb.pipeline import declared, pdf
from hyte_nb.core import display, evidence, stats, summary, texts
from hyte_nb.kysely import evidence as survey_evidence
from hyte_nb.kysely import sections as kysely

LIMITS = {"hyte": 24, "kysely": 20}  # A4 pages of the story on the bundled sample
TEST_COLUMNS = {"p", "p (Holm)", "Cramérin V", "Testi"}

needs_pdf = pytest.mark.skipif(pdf.find_chromium() is None or shutil.which("pdfinfo") is None,
                               reason="Chromium and poppler-utils are installed by `make test`")


def run(*args) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text.replace("\u00a0", " "))


def page_count(path: Path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", run("pdfinfo", str(path)), re.M).group(1))


def pdf_pages(path: Path) -> list[str]:
    return run("pdftotext", "-raw", str(path), "-").split("\f")[:-1]


@pytest.fixture(scope="module")
def folders(built, built_survey) -> dict[str, Path]:
    return {"hyte": built[0] / "reports", "kysely": built_survey[0]}


@pytest.fixture(scope="module")
def reports(folders) -> dict[str, pdf.Report]:
    return {key: pdf.describe(folder, ROOT) for key, folder in folders.items()}


@pytest.fixture(scope="module")
def printed(sample_pdfs) -> dict[str, tuple[Path, Path]]:
    """key -> (story PDF, appendix PDF), printed once per run with one browser (conftest.py)."""
    return sample_pdfs


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@functools.cache
def parsed(path: Path) -> BeautifulSoup:
    """A page parsed once for the tests that only read it (the links' checks look pages up
    again and again); never change it: soup() gives a page of one's own."""
    return soup(path)


# -- what is story and what is evidence ------------------------------------------------------------
def test_the_declarations_put_the_summary_first_and_the_evidence_in_the_appendix(reports):
    for key, report in reports.items():
        titles = [t for _, t in report.pages]
        assert titles[0] == "Tiivistelmä", titles
        assert all(not t.startswith("Liite") for t in titles), titles
        appendix = [p.name for p, _ in report.appendix]
        assert appendix[0] == f"{key}_liitteet.html" and appendix[-1] == declared.load(ROOT)[key].cleaning.page + ".html"
    assert [p.stem for p, _ in reports["kysely"].appendix] == ["kysely_liitteet", "15_vertailu", "16_vastausosuus",
                                                               "17_alueet", "10_puhdistus"]


def test_story_pages_hold_no_test_table_and_the_appendix_holds_them(reports):
    for key, report in reports.items():
        for path, _ in report.pages:
            page = soup(path)
            headers = {th.get_text(" ", strip=True) for th in page.find_all("th")}
            assert not headers & TEST_COLUMNS, (path.name, headers & TEST_COLUMNS)
            for folded in page.select("details.kaavion-luvut"):  # a chart's own numbers (its whiskers)
                folded.decompose()
            headers = {th.get_text(" ", strip=True) for th in page.find_all("th")}
            assert "95 %:n luottamusväli, %" not in headers, path.name
        appendix = soup(report.appendix[0][0])
        headers = {th.get_text(" ", strip=True) for th in appendix.find_all("th")}
        assert {"p", "p (Holm)"} <= headers and "95 %:n luottamusväli, %" in headers, (key, headers)
    survey_appendix = soup(reports["kysely"].appendix[0][0])
    tests = survey_appendix.find(id="ryhmatestit").find_next("table")
    assert "Cramérin V" in tests.get_text() and len(tests.select("tbody tr")) >= 10


def test_the_published_reports_inconsistencies_are_one_line_in_the_story(reports):
    overview = soup(reports["hyte"].folder / "01_yleiskatsaus.html")
    assert not [p for p in overview.select("p.alaviite") if "Julkaistussa raportissa" in p.get_text()]
    line = page_text(overview.select_one("p.tasmaytys"))
    assert "Merkityt luvut (¹–¹¹)" in line and "raportin omat luvut eivät täsmää" in line
    assert overview.select_one("p.tasmaytys a")["href"].startswith("00_puhdistus.html#tasmaytys-")
    # and the appendix explains each: the reconciliation says what the published report printed
    cleaning = page_text(soup(reports["hyte"].folder / "00_puhdistus.html"))
    assert "58 972" in cleaning and "58 318" in cleaning


# -- the summary -----------------------------------------------------------------------------------
def test_the_summary_has_five_to_eight_findings_each_with_its_n_and_a_link(reports):
    for key, report in reports.items():
        page = soup(report.pages[0][0])
        findings = page.find("main").find("ol").find_all("li", recursive=False)
        assert 5 <= len(findings) <= 8, (key, len(findings))
        for item in findings:
            words = page_text(item)
            assert re.search(r"\bn = (\d[\d ]*|< 5|\.\.)", words), words
            assert item.find("a", href=True), words
    hyte = re.sub(r"\s+([:,.)])", r"\1", page_text(soup(reports["hyte"].pages[0][0])))
    # the seniors' change is not significant, the young people's is: the words follow the test
    assert re.search(r"Senioreiden keskusteluapu: haitallista yksinäisyyttä kokevien osuus muuttui −10 "
                     r"prosenttiyksikköä, mikä ei ole tilastollisesti merkitsevä muutos", hyte), hyte
    assert "osuus laski 21 prosenttiyksikköä, mikä on tilastollisesti merkitsevä muutos" in hyte
    survey = page_text(soup(reports["kysely"].pages[0][0]))
    assert "Ammattiryhmien välillä ei ollut tilastollisesti merkitseviä eroja" in survey


def _summary_texts(tmp_path, body: str) -> display.Texts:
    folder = tmp_path / "tekstit" / "2024" / "hyte"
    folder.mkdir(parents=True)
    (folder / "tiivistelma.md").write_text(f"<!-- osa: havainnot -->\n{body}\n", encoding="utf-8")
    return display.Texts(None, texts.load(tmp_path, 2024, "hyte", "tiivistelma", set()), {})


def test_a_summary_with_too_few_findings_or_a_finding_without_n_stops_the_build(tmp_path):
    five = "\n".join(f"- Havainto {i} (n = {i}0)." for i in range(1, 6))
    assert len(summary.findings(_summary_texts(tmp_path / "a", five))) == 5
    with pytest.raises(texts.TextError, match="4 havaintoa"):
        summary.findings(_summary_texts(tmp_path / "b", "\n".join(five.splitlines()[:4])))
    with pytest.raises(texts.TextError, match="9 havaintoa"):
        summary.findings(_summary_texts(tmp_path / "c", five + "\n" + "\n".join(five.splitlines()[:4])))
    with pytest.raises(texts.TextError, match="puuttuu vastaajamäärä"):
        summary.findings(_summary_texts(tmp_path / "d", five.replace("(n = 30)", "(kolmekymmentä)")))


# -- links ---------------------------------------------------------------------------------------
def _ids(path: Path) -> set[str]:
    return {unquote(tag["id"]) for tag in parsed(path).find_all(id=True)}


def test_every_link_of_the_story_resolves(reports):
    checked = 0
    for key, report in reports.items():
        for path, _ in report.pages:
            for link in parsed(path).find("main").find_all("a", href=True):
                href = link["href"]
                if href.startswith(("http:", "https:", "mailto:")):
                    continue
                page, _, fragment = href.partition("#")
                target = path.parent / page if page else path
                assert target.exists(), (path.name, href)
                if fragment:
                    assert unquote(fragment) in _ids(target), (path.name, href)
                checked += 1
    assert checked > 40


@needs_pdf
def test_the_story_pdfs_are_within_their_page_limits_with_the_summary_on_one_page(printed, reports):
    for key, (story, appendix) in printed.items():
        assert story.exists() and appendix.exists() and appendix == reports[key].appendix_pdf_path
        assert appendix.name == f"{story.stem}_liitteet.pdf"
        count = page_count(story)
        assert 5 <= count <= LIMITS[key], (key, count)
        assert page_count(appendix) > 10
        pages = pdf_pages(story)
        contents = pages[1]
        summary_page = int(re.search(r"^Tiivistelmä\s*(\d+)\s*$", contents, re.M).group(1))
        next_title = reports[key].pages[1][1]
        next_page = int(re.search(rf"^{re.escape(next_title)}\s*(\d+)\s*$", contents, re.M).group(1))
        assert summary_page == 3 and next_page == 4, (key, summary_page, next_page)  # the summary is one page
        assert pages[2].lstrip().startswith("Tiivistelmä")
        assert len(re.findall(r"\bn = ", pages[2])) >= 5


@needs_pdf
def test_both_pdfs_are_tagged_a4_with_an_outline(printed):
    for story, appendix in printed.values():
        for path in (story, appendix):
            info = run("pdfinfo", str(path))
            assert re.search(r"^Tagged:\s+yes", info, re.M), path
            assert re.search(r"^Page size:\s+595(\.\d+)? x 842(\.\d+)? pts \(A4\)", info, re.M), path
            assert b"/Outlines" in path.read_bytes(), path


@needs_pdf
def test_the_appendix_pdf_holds_the_tests_and_the_story_pdf_none(printed):
    for key, (story, appendix) in printed.items():
        evidence_text = squeeze(run("pdftotext", "-raw", str(appendix), "-"))
        story_text = squeeze(run("pdftotext", "-raw", str(story), "-"))
        assert squeeze("p (Holm)") in evidence_text and squeeze("95 %:n luottamusväli") in evidence_text
        assert squeeze("p (Holm)") not in story_text and "Cramérin" not in story_text
    assert "Fisherintarkkatesti" in squeeze(run("pdftotext", "-raw", str(printed["hyte"][1]), "-"))
    assert "Cramérin" in squeeze(run("pdftotext", "-raw", str(printed["kysely"][1]), "-"))


@needs_pdf
def test_every_reference_of_the_story_pdf_names_the_appendix_page_that_holds_the_evidence(printed, reports):
    for key, (story, appendix) in printed.items():
        report = reports[key]
        names = {p.name: p for p, _ in report.appendix}
        evidence_pages = pdf_pages(appendix)
        story_text = " ".join(pdf_pages(story))
        references = re.findall(r"\(liitteet,\s*s\.\s*(\d+)\)", story_text)
        links = [(path, a["href"]) for path, _ in report.pages for a in parsed(path).find("main").find_all("a", href=True)
                 if a["href"].partition("#")[0] in names]
        assert len(references) == len(links) > 5, (key, len(references), len(links))
        for (path, href), number in zip(links, map(int, references)):
            page, _, fragment = href.partition("#")
            target = parsed(names[page]).find(id=fragment) if fragment else parsed(names[page]).find("h1")
            heading = target.get_text(" ", strip=True).rstrip("¶")
            assert 1 <= number <= len(evidence_pages)
            assert squeeze(heading)[:25] in squeeze(evidence_pages[number - 1]), (path.name, href, number, heading)


# -- differences only where the test supports them ------------------------------------------------
def test_a_change_is_called_a_change_only_where_its_test_supports_it():
    significant = stats.TestResult("x", "Fisherin tarkka testi", 1.0, 0.001, 0.3, 100, p_holm=0.004)
    chance = stats.TestResult("x", "Fisherin tarkka testi", 1.0, 0.01, 0.1, 100, p_holm=0.2)
    assert evidence.significant(significant) and not evidence.significant(chance)
    assert not evidence.significant(None)
    result = evidence.two_shares_test(74.3, 109, 64.2, 109, "yksinäisyys")
    assert result.testi == "Fisherin tarkka testi" and 0.1 < result.p < 0.2


def test_the_hyte_story_words_each_wellbeing_change_as_the_appendix_test_says(reports):
    folder = reports["hyte"].folder
    tests = soup(folder / "hyte_liitteet.html").find(id="muutostestit").find_next("table")
    rows = [[td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in tests.select("tbody tr")]
    header = [th.get_text(" ", strip=True) for th in tests.select("thead th")]
    holm, change = header.index("p (Holm)"), header.index("Muutos, prosenttiyksikköä")
    assert len(rows) >= 10
    verdicts = {"merkitsevä": 0, "ei": 0}
    for row in rows:
        p = 0.0 if row[holm].startswith("<") else float(row[holm].replace(",", "."))
        if p < 0.05:
            assert row[change].startswith(("Väheni", "Nousi")), row
            verdicts["merkitsevä"] += 1
        else:
            assert row[change].endswith("(ei tilastollisesti merkitsevä)"), row
            verdicts["ei"] += 1
    assert verdicts["merkitsevä"] and verdicts["ei"]  # the sample has both kinds
    seniors = page_text(soup(folder / "03_seniorit.html"))
    assert "(ei tilastollisesti merkitsevä)" in seniors and "Väheni 10" not in seniors


def test_the_group_and_year_sentences_follow_the_tests():
    def result(label, p, p_holm):
        return stats.TestResult(label, "khiin neliö", 1.0, p, 0.2, 100, p_holm=p_holm)

    from hyte_nb.kysely import analysis
    none = analysis.GroupDifferences([result("A", 0.3, 0.9), result("B", 0.5, 0.9)])
    nominal = analysis.GroupDifferences([result("A", 0.01, 0.08), result("B", 0.5, 0.9)])
    real = analysis.GroupDifferences([result("A", 0.001, 0.002), result("B", 0.5, 0.9)])
    assert "ei ollut tilastollisesti merkitseviä eroja yhdessäkään 2" in survey_evidence.group_sentence(none, 2024)
    assert "(A) ei ole tilastollisesti merkitsevä" in survey_evidence.group_sentence(nominal, 2024)
    assert "erosivat tilastollisesti merkitsevästi" in survey_evidence.group_sentence(real, 2024)
    assert "yksikään 2 vertaillun" in survey_evidence.year_sentence(none.results, 2024, 2023)
    assert "muuttui" in survey_evidence.year_sentence(real.results, 2024, 2023)


# -- long lists fold into "muut" --------------------------------------------------------------------
def test_a_long_list_of_options_folds_into_muut_with_its_share_and_interval():
    dist = pd.DataFrame({"lkm": [50, 20, 10, 8, 6, 3, 2, 1, 1, 0], "n": 101}, index=[f"K{i}" for i in range(10)])
    dist["osuus"] = dist["lkm"] / 101 * 100
    low, high = stats.wilson(dist["lkm"].to_numpy(), 101)
    dist["ci_ala"], dist["ci_yla"] = low, high
    folded = kysely.fold(dist, 7)
    assert list(folded.index) == [f"K{i}" for i in range(7)] + ["Muut (3 vaihtoehtoa)"]
    assert folded["lkm"].sum() == 101 and folded.loc["Muut (3 vaihtoehtoa)", "lkm"] == 2
    assert folded.loc["Muut (3 vaihtoehtoa)", "osuus"] == pytest.approx(2 / 101 * 100)


def test_the_story_folds_the_municipalities_and_the_services_and_the_appendix_lists_them_all(reports):
    survey = soup(reports["kysely"].folder / "11_toteutus.html")
    alts = " ".join(img["alt"] for img in survey.find_all("img"))
    assert "Muut (" in page_text(survey) or "Muut (" in alts
    seniors = page_text(soup(reports["hyte"].folder / "03_seniorit.html"))
    assert re.search(r"Muut palvelut \(\d+\)", seniors)
    appendix = soup(reports["hyte"].folder / "hyte_liitteet.html")
    services = appendix.find(id="palvelut-seniorit").find_next("table")
    assert len(services.select("tbody tr")) > 7
