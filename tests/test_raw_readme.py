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
