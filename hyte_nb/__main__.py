"""Command line: `python -m hyte_nb sample --year 2025 --seed 7`, `python -m hyte_nb build
--year 2025`, `python -m hyte_nb pdf --year 2025` and `python -m hyte_nb kysely luonnos <vienti.xlsx>`,
each in the project folder (or --root); `python -m hyte_nb hyte luonnos data/raw/2025/hyte` drafts
the HYTE catalogues from the exports; `python -m hyte_nb uusi <kansio>` starts a new
organisation's project folder."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from hyte_nb.core.paths import DEFAULT_YEAR, find_root


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hyte_nb", description="HYTE-raporttien muistiot")
    parser.add_argument("--root", default=None, help="projektikansio (oletus: kansio, jossa reports.yml on, "
                                                     "työkansiosta ylöspäin)")
    commands = parser.add_subparsers(dest="command", required=True)
    sample = commands.add_parser("sample", help="kirjoita esimerkkiaineiston raakaviennit data/raw/<vuosi>/ "
                                                "(HYTE-viennit, kysely ja tarvittaessa sen vertailuvuosi)")
    sample.add_argument("--year", type=int, default=DEFAULT_YEAR)
    sample.add_argument("--seed", type=int, default=None, help="satunnaislukujen siemen (oletus: kiinteä)")
    build = commands.add_parser("build", help="puhdista aineisto ja tee raportit reports/<vuosi>/")
    build.add_argument("--year", type=int, default=DEFAULT_YEAR)
    build.add_argument("--jobs", type=int, default=None, help="muistioita rinnakkain (oletus: suorittimien määrä)")
    build.add_argument("--force", action="store_true", help="aja kaikki muistiot, myös muuttumattomat")
    pdf = commands.add_parser("pdf", help="tulosta raporttien HTML-sivut PDF:ksi (Chromium)")
    pdf.add_argument("--year", type=int, default=DEFAULT_YEAR)
    hyte = commands.add_parser("hyte", help="HYTE-raportin luettelot").add_subparsers(dest="hyte_command", required=True)
    draft = hyte.add_parser("luonnos", help="luonnostele palvelu-, mittari- ja lukuluettelo vuoden vienneistä "
                                            "projektikansioon (palvelut.yml, mittarit.yml, luvut.yml)")
    draft.add_argument("kansio", help="vuoden HYTE-viennit, esim. data/raw/2025/hyte")
    draft.add_argument("--vuosi", type=int, default=None, help="vientien vuosi (oletus: kansion nimestä)")
    draft.add_argument("--korvaa", action="store_true", help="korvaa projektikansion olemassa olevat luettelot")
    new = commands.add_parser("uusi", help="uuden organisaation projektikansio (reports.yml, organisaatio.yml, "
                                           "tekstit/, data/raw/, muistiot)")
    new.add_argument("kansio")
    new.add_argument("--nimi", default="Organisaatio", help="organisaation nimi raporttien otsikoissa")
    new.add_argument("--vuosi", type=int, default=DEFAULT_YEAR, help="ensimmäinen raporttivuosi (tekstit/<vuosi>/)")
    survey = commands.add_parser("kysely", help="kyselyn luettelon (kysely.yml) työkalut")
    survey_commands = survey.add_subparsers(dest="survey_command", required=True)
    luonnos = survey_commands.add_parser("luonnos", help="luonnostele kyselyluettelo kysely.yml Webropol-vienneistä "
                                                         "(yksi tai useampi vuosi)")
    luonnos.add_argument("viennit", nargs="+", help="Webropol-viennit (.xlsx), yksi vuotta kohden")
    luonnos.add_argument("--ulos", default=None, help="kirjoitettava tiedosto (oletus: <projektikansio>/kysely.yml)")
    luonnos.add_argument("--korvaa", action="store_true", help="korvaa olemassa oleva tiedosto")
    luonnos.add_argument("--tyhjasta", action="store_true", help="luonnostele pelkistä vienneistä, vaikka "
                                                                 "käytössä oleva kysely.yml kuvaisi saman kyselyn")
    args = parser.parse_args(argv)
    if args.command == "uusi":  # the folder is not a project yet
        from hyte_nb.pipeline import scaffold

        try:
            written = scaffold.create(Path(args.kansio), args.nimi, args.vuosi)
        except FileExistsError as error:
            print(error, file=sys.stderr)
            return 1
        for path in written:
            print(path)
        return 0
    try:
        root = find_root(args.root)
    except FileNotFoundError as error:
        print(error, file=sys.stderr)
        return 1
    # While the command runs, this process's catalogues and texts are the named project's too,
    # not the working folder's; afterwards (a test calling main) the environment is as it was.
    before = os.environ.get("HYTE_NB_ROOT")
    os.environ["HYTE_NB_ROOT"] = str(root)
    try:
        return _run(args, root)
    finally:
        if before is None:
            os.environ.pop("HYTE_NB_ROOT", None)
        else:
            os.environ["HYTE_NB_ROOT"] = before


def _run(args: argparse.Namespace, root: Path) -> int:
    if args.command == "hyte":
        from hyte_nb.core.read import ExportError
        from hyte_nb.hyte import draft as hyte_draft

        try:
            return hyte_draft.run(Path(args.kansio), root, args.vuosi, args.korvaa)
        except (ExportError, FileNotFoundError) as error:
            print(error, file=sys.stderr)
            return 1
    if args.command == "pdf":
        from hyte_nb.pipeline import pdf as pdf_mod

        for path in pdf_mod.print_reports(root / "reports" / str(args.year)):
            print(path)
        trends = pdf_mod.print_trends(root)  # the page of every built year: its own PDF
        if trends is not None:
            print(trends)
        return 0
    if args.command == "kysely":
        return _draft_survey(root, args)
    if args.command == "sample":
        from hyte_nb.pipeline import samples

        try:
            written = samples.write_year(root, args.year, args.seed)
        except ValueError as error:  # a year after today's, or HYTE_NB_TANAAN not a day
            print(error, file=sys.stderr)
            return 1
        for path in written:
            print(path)
        return 0
    from hyte_nb.pipeline import pipeline

    return pipeline.main(args.year, root, args.jobs, args.force)


def _draft_survey(root, args) -> int:
    """Draft kysely.yml from the exports; print what the analyst must decide."""
    from pathlib import Path

    from hyte_nb.core.read import ExportError
    from hyte_nb.kysely import amend, draft

    target = Path(args.ulos) if args.ulos else root / "kysely.yml"
    if target.exists() and not args.korvaa:  # before reading anything
        print(draft.exists_message(target), file=sys.stderr)
        return 1
    base, base_name = (None, "") if args.tyhjasta else amend.in_use(root)
    try:
        result = amend.proposal([Path(p) for p in args.viennit], base, base_name)
    except (ExportError, FileNotFoundError, ValueError) as error:
        print(error, file=sys.stderr)
        return 1
    draft.write(result, target, replace=args.korvaa)
    questions = result.catalogue["kysymykset"]
    if result.base:
        print(f"Kirjoitettu {target}: {result.base} ja vuoden {result.years[-1]} viennin muutokset, "
              f"{len(questions)} kysymystä.")
    else:
        print(f"Kirjoitettu {target}: {len(questions)} kysymystä, vuodet {', '.join(map(str, result.years))}.")
    print("Viennistä ei voitu päätellä näitä (TARKISTA-kommentit tiedostossa); tarkista ne lomakkeelta ja vahvista:")
    for line in draft.undecided_lines(result):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
