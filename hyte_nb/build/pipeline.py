"""How the reports are built: for every report of reports.yml whose exports the year has,
papermill runs the cleaning notebook and then each page's notebook on the project's kernel,
nbconvert renders each without code into self-contained HTML, and index pages link them."""

from __future__ import annotations

import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from hyte_nb.build import declared, index
from hyte_nb.build.declared import Report, Run
from hyte_nb.core.paths import KERNEL_NAME, Paths, find_root

TEMPLATES = Path(__file__).resolve().parent / "templates"


class BuildError(RuntimeError):
    pass


def check_kernel() -> None:
    """papermill must run on this interpreter, never on another Jupyter's python3."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec(KERNEL_NAME)
    except NoSuchKernel:
        raise BuildError(f"Jupyter-kerneliä {KERNEL_NAME!r} ei ole rekisteröity: aja `make report` "
                         f"tai `python -m ipykernel install --sys-prefix --name {KERNEL_NAME}`") from None
    kernel_python = Path(spec.argv[0])
    if kernel_python.resolve() != Path(sys.executable).resolve():
        raise BuildError(f"Kernel {KERNEL_NAME!r} käyttää tulkkia {kernel_python}, ei projektin tulkkia "
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


def parameters_of(run: Run, folder: Paths, cleaning: bool) -> dict:
    """What the build tells a notebook: the year and its folders, and the run's own parameters."""
    common = {"vuosi": folder.year, "kasitelty_kansio": str(folder.processed)}
    if cleaning:
        common["raakadata_kansio"] = str(folder.raw)
    else:
        common["viitetiedosto"] = str(folder.reference)
    return {**common, **run.parameters}


def execute(run: Run, folder: Paths, cleaning: bool = False) -> Path:
    import papermill as pm

    missing = [name for name in run.needs if not (folder.processed / name).exists()]
    if missing:
        raise BuildError(f"{run.notebook} ({run.title}) tarvitsee tiedostot {', '.join(missing)} kansiosta "
                         f"{folder.processed}; ne tekee puhdistusmuistio")
    output = folder.executed / f"{run.page}.ipynb"
    with tempfile.TemporaryDirectory(prefix="hyte_nb-") as sockets:
        try:
            pm.execute_notebook(str(folder.notebooks / run.notebook), str(output),
                                parameters=parameters_of(run, folder, cleaning), kernel_name=KERNEL_NAME,
                                cwd=str(folder.notebooks), progress_bar=False,
                                kernel_manager_class=_ipc_kernel_manager(sockets))
        except pm.PapermillExecutionError as error:
            raise BuildError(f"{run.notebook} ({run.title}) pysähtyi virheeseen:\n{error.ename}: {error.evalue}") from None
    unwritten = [name for name in run.writes if not (folder.processed / name).exists()]
    if unwritten:
        raise BuildError(f"{run.notebook} ({run.title}) ei kirjoittanut tiedostoja {', '.join(unwritten)}, jotka "
                         f"reports.yml lupaa")
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


def _execute_and_render(run: Run, folder: Paths, cleaning: bool = False) -> Path:
    executed = execute(run, folder, cleaning)
    return render(executed, folder.reports / f"{run.page}.html", run.title)


def build_report(report: Report, folder: Paths, workers: int = 2) -> list[Path]:
    """Cleaning first (a bad export stops the report before any page is rendered), then the
    pages in parallel, then the report's index."""
    check_kernel()
    if not folder.raw.is_dir():
        raise BuildError(f"Raportin {report.key} raakavientejä ei ole: odotettiin kansio {folder.raw}")
    for path in (folder.processed, folder.executed, folder.reports):
        path.mkdir(parents=True, exist_ok=True)
    cleaning = _execute_and_render(report.cleaning, folder, cleaning=True)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        pages = list(pool.map(_execute_and_render, report.pages, [folder] * len(report.pages)))
    index.write_report_index(report, folder, [(p.name, r.title) for p, r in zip(pages, report.pages)],
                             (cleaning.name, report.cleaning.title))
    return [cleaning, *pages]


@dataclass
class YearResult:
    year: int
    pages: list[Path] = field(default_factory=list)
    built: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # report key -> the error


def build_year(year: int, root: Path | None = None, workers: int = 2) -> YearResult:
    """Every declared report whose raw exports the year has; then the year's index (also when
    a report failed: it says which) and the index of all years."""
    root = find_root(root)
    reports = declared.load(root)
    available = {key: r for key, r in reports.items() if Paths.of(year, key, root).raw.is_dir()}
    if not available:
        raise BuildError(f"Vuodelle {year} ei ole raakavientejä: odotettiin jokin kansioista "
                         + ", ".join(str(Paths.of(year, key, root).raw) for key in reports))
    result = YearResult(year)
    for key, report in available.items():
        try:
            result.pages += build_report(report, Paths.of(year, key, root), workers)
            result.built.append(key)
        except BuildError as error:
            result.failed[key] = str(error)
    index.write_year_index(root, year, reports, result.built, result.failed)
    index.write_root_index(root, reports)
    return result


def main(year: int, root: Path | None = None) -> int:
    started = time.perf_counter()
    try:
        result = build_year(year, root)
    except (BuildError, FileNotFoundError, ValueError) as error:
        print(f"Raportin teko keskeytyi.\n{error}", file=sys.stderr)
        return 1
    for key, error in result.failed.items():
        print(f"Raportti {key} epäonnistui.\n{error}\n", file=sys.stderr)
    year_dir = find_root(root) / "reports" / str(year)
    print(f"Valmis: {len(result.pages)} sivua kansiossa {year_dir}, avaa index.html "
          f"({time.perf_counter() - started:.0f} s)" + (f"; epäonnistui: {', '.join(result.failed)}" if result.failed else ""))
    return 1 if result.failed else 0
