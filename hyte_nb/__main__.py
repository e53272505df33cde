"""Command line: `python -m hyte_nb sample --year 2025 --seed 7`, `python -m hyte_nb build
--year 2025` and `python -m hyte_nb pdf --year 2025`, each in the project folder (or --root)."""

from __future__ import annotations

import argparse
import sys

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
    args = parser.parse_args(argv)
    try:
        root = find_root(args.root)
    except FileNotFoundError as error:
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


if __name__ == "__main__":
    sys.exit(main())
