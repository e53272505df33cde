from conftest import ROOT
from hyte_nb.hyte.exports import HYTE_EXPORTS
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
