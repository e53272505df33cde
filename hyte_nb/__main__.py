"""Command line: `python -m hyte_nb sample --year 2024` and `python -m hyte_nb build --year 2024`."""

from __future__ import annotations

import argparse
import sys

from hyte_nb import config


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hyte_nb", description="HYTE-raporttien muistiot")
    commands = parser.add_subparsers(dest="command", required=True)
    sample = commands.add_parser("sample", help="kirjoita esimerkkiaineiston raakaviennit data/raw/<vuosi>/ "
                                                "(HYTE-viennit ja kysely sekä sen vertailuvuosi)")
    sample.add_argument("--year", type=int, default=config.DEFAULT_YEAR)
    sample.add_argument("--out", default=None, help="kansio (oletus data/raw/<vuosi>/hyte)")
    build = commands.add_parser("build", help="puhdista aineisto ja tee raportit reports/<vuosi>/")
    build.add_argument("--year", type=int, default=config.DEFAULT_YEAR)
    pdf = commands.add_parser("pdf", help="tulosta raporttien HTML-sivut PDF:ksi (Chromium)")
    pdf.add_argument("--year", type=int, default=config.DEFAULT_YEAR)
    args = parser.parse_args(argv)
    if args.command == "pdf":
        from hyte_nb import pdf as pdf_mod

        for path in pdf_mod.print_reports(config.REPORTS / str(args.year)):
            print(path)
        return 0
    if args.command == "sample":
        from hyte_nb import sample as sample_mod
        from hyte_nb import sample_survey

        for path in sample_mod.write_sample(args.year, args.out):
            print(path)
        if args.out is None:  # the survey and its comparison year go to data/raw/<year>/kysely/
            for year in (args.year, args.year - 1):
                print(sample_survey.write_survey_sample(year))
        return 0
    from hyte_nb import build as build_mod

    return build_mod.main(args.year)


if __name__ == "__main__":
    sys.exit(main())
