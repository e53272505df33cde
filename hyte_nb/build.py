"""How the reports are built: papermill runs each notebook on the project's kernel, then
nbconvert renders it without code into self-contained HTML, with an index linking all."""

from __future__ import annotations

import html
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from hyte_nb import config

TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True)
class Run:
    notebook: str  # file name under notebooks/
    output: str  # base name of the executed notebook and its HTML
    title: str
    parameters: dict = field(default_factory=dict)


def hyte_runs() -> list[Run]:
    runs = [Run("01_yleiskatsaus.ipynb", "01_yleiskatsaus", "Yleiskatsaus"),
            Run("02_vapaaehtoiset.ipynb", "02_vapaaehtoiset", "Vapaaehtoistoiminta")]
    for i, (key, area) in enumerate(config.areas().items(), start=3):
        runs.append(Run("03_palvelualue.ipynb", f"{i:02d}_{key}", area["nimi"], {"alue": key}))
    return runs


def survey_runs() -> list[Run]:
    return [Run("11_kysely_toteutus.ipynb", "11_toteutus", "Toteutus ja vastaajat"),
            Run("12_kysely_hyte_ohjaus.ipynb", "12_hyte_ohjaus", "1. Hyte-ohjaaminen"),
            Run("13_kysely_toimintamalli.ipynb", "13_toimintamalli", "2. Toimintamalli"),
            Run("14_kysely_huomioita.ipynb", "14_huomioita", "3. Huomioita"),
            Run("15_kysely_vertailu.ipynb", "15_vertailu", "Vertailu edelliseen kyselyyn")]


class BuildError(RuntimeError):
    pass


def check_kernel() -> None:
    """papermill must run on this interpreter, never on another Jupyter's python3."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec(config.KERNEL_NAME)
    except NoSuchKernel:
        raise BuildError(f"Jupyter-kerneliä {config.KERNEL_NAME!r} ei ole rekisteröity: aja `make report` "
                         f"tai `python -m ipykernel install --sys-prefix --name {config.KERNEL_NAME}`") from None
    kernel_python = Path(spec.argv[0])
    if kernel_python.resolve() != Path(sys.executable).resolve():
        raise BuildError(f"Kernel {config.KERNEL_NAME!r} käyttää tulkkia {kernel_python}, ei projektin tulkkia "
                         f"{sys.executable}: rekisteröi kernel uudelleen (make report).")


def _ipc_kernel_manager(folder: str):
    """A kernel manager talking to the kernel over Unix sockets in a private folder, not
    over unencrypted TCP (ipykernel warns about that, rightly)."""
    from jupyter_client.manager import AsyncKernelManager

    class IPCKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            super().__init__(transport="ipc", **kwargs)
            self.ip = str(Path(folder) / "kernel")

    return IPCKernelManager


def execute(run: Run, executed_dir: Path, parameters: dict) -> Path:
    import tempfile

    import papermill as pm

    output = executed_dir / f"{run.output}.ipynb"
    with tempfile.TemporaryDirectory(prefix="hyte_nb-") as sockets:
        try:
            pm.execute_notebook(str(config.NOTEBOOKS / run.notebook), str(output),
                                parameters={**run.parameters, **parameters}, kernel_name=config.KERNEL_NAME,
                                cwd=str(config.NOTEBOOKS), progress_bar=False,
                                kernel_manager_class=_ipc_kernel_manager(sockets))
        except pm.PapermillExecutionError as error:
            raise BuildError(f"{run.notebook} ({run.title}) pysähtyi virheeseen:\n{error.ename}: {error.evalue}") from None
    return output


def render(executed: Path, html_path: Path, title: str) -> Path:
    """Executed notebook -> HTML without code cells or prompts, images inline."""
    from nbconvert import HTMLExporter

    notebook = nbformat.read(executed, as_version=4)
    notebook.metadata["title"] = title
    exporter = HTMLExporter(template_name="hyte", extra_template_basedirs=[str(TEMPLATES)],
                            exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    exporter.language_code = "fi"
    body, _ = exporter.from_notebook_node(notebook)
    html_path.write_text(body, encoding="utf-8")
    return html_path


def _execute_and_render(run: Run, executed_dir: Path, report_dir: Path, parameters: dict) -> Path:
    executed = execute(run, executed_dir, parameters)
    return render(executed, report_dir / f"{run.output}.html", run.title)


def write_index(report_dir: Path, title: str, pages: list[tuple[str, str]], intro: str = "") -> Path:
    css = (TEMPLATES / "hyte" / "hyte.css").read_text(encoding="utf-8")
    links = "".join(f'<li><a href="{html.escape(href)}">{html.escape(text)}</a></li>' for href, text in pages)
    page = (f'<!DOCTYPE html>\n<html lang="fi"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1.0"><style>{css}</style></head>'
            f'<body class="jp-Notebook"><main class="jp-RenderedHTMLCommon"><h1>{html.escape(title)}</h1>{intro}'
            f"<ul>{links}</ul></main></body></html>\n")
    path = report_dir / "index.html"
    path.write_text(page, encoding="utf-8")
    return path


def _build_report(cleaning: Run, runs: list[Run], parameters: dict, cleaning_parameters: dict,
                  processed_dir: Path, report_dir: Path, title: str, intro: str, workers: int) -> list[Path]:
    """Cleaning first (a bad export stops the build before any section is rendered), then the
    sections two at a time, then the report's index."""
    check_kernel()
    executed_dir = processed_dir / "muistiot"
    for folder in (processed_dir, executed_dir, report_dir):
        folder.mkdir(parents=True, exist_ok=True)
    pages = [_execute_and_render(cleaning, executed_dir, report_dir, {**parameters, **cleaning_parameters})]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        pages += list(pool.map(_execute_and_render, runs, [executed_dir] * len(runs), [report_dir] * len(runs),
                               [parameters] * len(runs)))
    links = [(p.name, r.title) for p, r in zip(pages[1:], runs)] + [(pages[0].name, "Liite: aineiston puhdistus")]
    write_index(report_dir, title, links, intro)
    return pages


def build_hyte(year: int = config.DEFAULT_YEAR, raw_dir: Path | None = None, processed_dir: Path | None = None,
               report_dir: Path | None = None, workers: int = 2) -> list[Path]:
    """The HYTE report: clean the raw exports, then run and render every section."""
    processed_dir = Path(processed_dir or config.processed_dir(year))
    return _build_report(Run("00_puhdistus.ipynb", "00_puhdistus", "Aineiston puhdistus"), hyte_runs(),
                         {"vuosi": year, "kasitelty_kansio": str(processed_dir)},
                         {"raakadata_kansio": str(Path(raw_dir or config.raw_dir(year)))},
                         processed_dir, Path(report_dir or config.report_dir(year)),
                         f"Yhdessä yksinäisyys voitetaan – HYTE-raportti {year}",
                         "<p>Raportin osiot. Jokainen sivu avautuu ilman verkkoyhteyttä.</p>", workers)


def build_survey(year: int = config.DEFAULT_YEAR, previous_year: int | None = None,
                 processed_dir: Path | None = None, report_dir: Path | None = None, workers: int = 2) -> list[Path]:
    """The professionals' survey: cleaning (both years), then every section and the comparison."""
    processed_dir = Path(processed_dir or config.processed_dir(year, "kysely"))
    return _build_report(Run("10_kysely_puhdistus.ipynb", "10_puhdistus", "Kyselyaineiston puhdistus"), survey_runs(),
                         {"vuosi": year, "vertailuvuosi": previous_year or year - 1,
                          "kasitelty_kansio": str(processed_dir)}, {},
                         processed_dir, Path(report_dir or config.report_dir(year, "kysely")),
                         f"Kysely sote-ammattilaisille hyte-ohjaamisesta {year}",
                         "<p>Keski-Suomen hyvinvointialueen kyselyn tulokset osioittain. Vertailuvuoden luvut ovat "
                         "havainnollistavia.</p>", workers)


def build_all(year: int) -> list[Path]:
    """Every report whose raw exports the year has, and an index linking them."""
    reports = {"hyte": (build_hyte, f"Yhdessä yksinäisyys voitetaan – HYTE-raportti {year}"),
               "kysely": (build_survey, f"Kysely sote-ammattilaisille hyte-ohjaamisesta {year}")}
    available = {source: report for source, report in reports.items() if config.raw_dir(year, source).exists()}
    if not available:
        raise BuildError(f"Vuodelle {year} ei ole raakavientejä: odotettiin kansio "
                         f"{config.raw_dir(year, 'hyte')} tai {config.raw_dir(year, 'kysely')}")
    pages = [page for build_report, _ in available.values() for page in build_report(year)]
    write_index(config.REPORTS / str(year), f"Hyte-raportit {year}",
                [(f"{source}/index.html", title) for source, (_, title) in available.items()])
    return pages


def main(year: int) -> int:
    started = time.perf_counter()
    try:
        pages = build_all(year)
    except BuildError as error:
        print(f"Raportin teko keskeytyi.\n{error}", file=sys.stderr)
        return 1
    print(f"Valmis: {len(pages)} sivua kansiossa {config.REPORTS / str(year)}, avaa index.html "
          f"({time.perf_counter() - started:.0f} s)")
    return 0
