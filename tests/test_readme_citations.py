"""Every message that sends the reader to a README names a section that exists: a citation
is written `README: "<heading>"` (the project's README.md) and its heading must be one of
README.md's; a README file named by path must exist."""

import re

from conftest import ROOT

CITATION = re.compile(r'README(?:\.md)?:\s*(\\?")?([^"\\\n]*)')
FILE = re.compile(r"(?:[\w.-]+/)+README\.md")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.M)


def _headings(path):
    text = re.sub(r"^```.*?^```", "", path.read_text(encoding="utf-8"), flags=re.M | re.S)  # no code blocks
    return {m.group(1) for m in HEADING.finditer(text)}


def _sources():
    return [p for p in sorted((ROOT / "hyte_nb").rglob("*")) if p.suffix in (".py", ".yml", ".j2", ".txt")]


def test_every_readme_section_cited_in_the_package_exists():
    headings = _headings(ROOT / "README.md")
    assert {"Adding an export column", "Running a new year"} <= headings  # the reader works on real headings
    cited = []
    for path in _sources():
        for match in CITATION.finditer(path.read_text(encoding="utf-8")):
            where = f"{path.relative_to(ROOT)}: {match.group(0)!r}"
            assert match.group(1), f"{where}: cite a section as README: \"<heading>\" so that it can be checked"
            assert match.group(2) in headings, f"{where}: README.md has no heading {match.group(2)!r}"
            cited.append(match.group(2))
    assert "Adding an export column" in cited  # the unknown-column error of core/read.py


def test_every_readme_file_named_in_the_package_exists():
    named = {m.group(0) for p in _sources() for m in FILE.finditer(p.read_text(encoding="utf-8"))}
    assert "data/raw/README.md" in named
    for name in named:
        assert (ROOT / name).is_file(), name


def test_the_unknown_column_error_cites_its_section(tmp_path):
    import pytest

    from hyte_nb.core import read
    from hyte_nb.hyte import exports

    export = exports.EVENTS
    headers = [c.raw for c in export.columns] + ["Huom"]
    with pytest.raises(read.ExportError) as error:
        read.check_columns(tmp_path / export.filename, headers, export)
    assert "tuntematon sarake: 'Huom'" in str(error.value)
    assert 'katso README: "Adding an export column"' in str(error.value)
