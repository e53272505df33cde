from conftest import ROOT
from hyte_nb.hyte.exports import HYTE_EXPORTS
from hyte_nb.kysely import areas, population
from hyte_nb.kysely.questionnaire import survey_export


def test_every_export_and_column_is_documented():
    readme = (ROOT / "data" / "raw" / "README.md").read_text(encoding="utf-8")
    for export in HYTE_EXPORTS:
        assert f"`{export.filename}`" in readme
        for column in export.columns:
            assert f"| {column.raw} |" in readme, column.raw


def test_survey_columns_are_documented():
    readme = (ROOT / "data" / "raw" / "README.md").read_text(encoding="utf-8")
    for column in survey_export(2024).columns:
        assert f"| {column.raw} |" in readme, column.raw
    assert "illustrative, not published data" in readme


def test_staff_register_and_other_areas_are_documented():
    """The staff register and the areas list: every column in the README's table, with the
    allowed values the cleaning checks; the areas' exports have their own section."""
    readme = (ROOT / "data" / "raw" / "README.md").read_text(encoding="utf-8")
    for export, section in ((population.staff_export(), "`kysely/henkilosto.csv`"),
                            (areas.list_export(), "`kysely/alueet/alueet.csv`")):
        assert f"### {section}" in readme
        part = readme.split(f"### {section}", 1)[1].split("\n### ", 1)[0]
        for column in export.columns:
            row = next((line for line in part.splitlines() if line.startswith(f"| {column.raw} |")), None)
            assert row is not None, column.raw
            for choice in column.choices:
                assert choice in row, (column.raw, choice)
    assert "`kysely/alueet/<tunnus>.xlsx`" in readme
    assert "| Henkilöitä | kokonaisluku | 0– |" in readme


def test_the_readme_layout_is_the_package_on_disk():
    """Every module the README's layout table names exists, and every module is named."""
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Where each kind of logic lives", 1)[1].split("###", 1)[0]
    named = set()
    for cell in re.findall(r"^\| (.+?) \|", table, re.M):
        parts = re.findall(r"`([a-z_]+/[a-z_]+\.py)`", cell)
        named |= set(parts)
    on_disk = {str(p.relative_to(ROOT / "hyte_nb")) for p in (ROOT / "hyte_nb").glob("*/*.py")
               if p.name != "__init__.py"}
    assert named == on_disk


def test_the_removal_rules_are_in_the_contract():
    """Every identifier column that can carry the test marker, every test word and every
    removal reason the cleaning logs is written down in the contract's rules."""
    from hyte_nb.core import clean

    readme = (ROOT / "data" / "raw" / "README.md").read_text(encoding="utf-8")
    rules = " ".join(readme.split("## Rows that cleaning removes", 1)[1].split("\n## ", 1)[0].split())
    for export in HYTE_EXPORTS:
        markers = [c.raw for c in export.columns if c.test_marker]
        if export.filename.endswith(".xlsx"):  # Webropol: respondent numbers are numbers, no prefix
            assert not markers
            continue
        assert markers, export.filename  # every CSV export has a column the TESTI- prefix can mark
        part = rules.split(f"`{export.filename}`", 1)[1].split(";", 1)[0]
        for name in markers:
            assert name in part, (export.filename, name)
    for word in sorted(clean.TEST_WORDS):
        assert f"`{word}`" in rules
    for prefix in clean.TEST_PREFIXES:
        assert f"`{prefix.upper()}`" in rules
    for reason in (clean.BLANK_ROW, clean.TEST_ID, clean.TEST_WORD, clean.DUPLICATE.format("N"),
                   clean.OUTSIDE_YEAR.format("V"), population.TOTAL_REASON):
        assert f"`{reason}`" in rules, reason
