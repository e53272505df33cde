"""`python -m hyte_nb uusi <kansio>`: a new organisation's project folder that builds at once.

It holds what a project folder needs (core/paths.py: the folder with reports.yml): reports.yml
declaring both reports with pages that name no organisation's areas or questions (the area
pages are made once per area of the catalogue, `palvelualueittain`), organisaatio.yml with the
organisation's name, the first year's editorial texts (tekstit/<vuosi>/), the raw-export
contract (data/raw/README.md) and the notebooks, copied from the hyte_nb checkout so that the
organisation may narrate its pages its own way. The catalogues are not copied: until the
organisation drafts its own (`hyte luonnos`, `kysely luonnos`) the bundled ones are in use, and
`python -m hyte_nb sample` followed by `build` makes the sample year's reports in the folder.
"""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

import hyte_nb

TEMPLATE = "templates/uusi"
CHECKOUT = Path(hyte_nb.__file__).resolve().parent.parent  # the clone the package is installed from (pip -e)
FROM_CHECKOUT = ("notebooks", "data/raw/README.md", "data/processed/README.md", "reports/README.md",
                 "tekstit/README.md")


def create(folder: Path, name: str, year: int) -> list[Path]:
    """Write the project folder; refuse a folder that already has files."""
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise FileExistsError(f"Kansio {folder} ei ole tyhjä: uusi projektikansio tehdään tyhjään tai "
                              f"puuttuvaan kansioon, jotta mitään ei kirjoiteta toisen päälle.")
    missing = [p for p in FROM_CHECKOUT if not (CHECKOUT / p).exists()]
    if missing:
        raise FileExistsError(f"hyte_nb:n lähdekansiosta {CHECKOUT} puuttuu {', '.join(missing)}: asenna hyte_nb "
                              f"kloonista (make .venv/.installed), jotta muistiot ja raakavientien kuvaus löytyvät.")
    written = []
    template = resources.files("hyte_nb.pipeline").joinpath(TEMPLATE)
    for file_name in ("reports.yml", "organisaatio.yml"):
        target = folder / file_name
        target.parent.mkdir(parents=True, exist_ok=True)
        text = template.joinpath(file_name).read_text(encoding="utf-8")
        target.write_text(text.replace("{nimi}", name) if file_name == "organisaatio.yml" else text, encoding="utf-8")
        written.append(target)
    for report in ("hyte", "kysely"):
        texts = folder / "tekstit" / str(year) / report
        texts.mkdir(parents=True, exist_ok=True)
        for source in template.joinpath("tekstit", report).iterdir():
            (texts / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
            written.append(texts / source.name)
    from hyte_nb.hyte import catalog, draft  # the catalogue in use until the organisation drafts its own

    written += draft.area_text_stubs(catalog.areas(folder), folder, year)
    for part in FROM_CHECKOUT:
        source, target = CHECKOUT / part, folder / part
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        else:
            shutil.copyfile(source, target)
        written.append(target)
    return written
