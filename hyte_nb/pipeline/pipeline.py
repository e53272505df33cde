"""How the reports are built: for every report of reports.yml whose exports the year has,
papermill runs the cleaning notebook and then each page's notebook on the project's kernel,
nbconvert renders each without code into self-contained HTML, and index pages link them.

Runs go in parallel (`--jobs`, default: the CPU count): the cleaning notebooks of different
reports together, then every page whose report's cleaning succeeded. Each parallel lane keeps
one kernel for all its notebooks (and for the next builds of the same process: the tests build
many projects) and clears the kernel's namespace before each notebook, so a notebook pays for
its own work, not for starting Python and importing pandas again. A run is
skipped when nothing it depends on changed since it last succeeded (hyte_nb/pipeline/manifest.py);
`--force` runs everything. Each run prints one progress line.
"""

from __future__ import annotations

import atexit
import fcntl
import logging
import os
import shutil
import sys
import tempfile
import threading
import time
import warnings
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from hyte_nb import reports as registry
from hyte_nb.pipeline import declared, index, manifest
from hyte_nb.pipeline.declared import Report, Run
from hyte_nb.core.paths import KERNEL_NAME, Paths, find_root

TEMPLATES = Path(__file__).resolve().parent / "templates"

# jsonschema (under nbformat, under papermill and nbconvert) imports rfc3987-syntax where it is
# installed (jupyter-events pulls it in), and that compiles some 40 Earley parsers of the IRI
# grammar: 3,5 s of CPU in every process that builds, for an "iri" format check that notebook
# validation never makes (python-jsonschema/jsonschema#1428). The build goes without it.
sys.modules.setdefault("rfc3987_syntax", None)


class BuildError(RuntimeError):
    pass


@cache
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


def _ipc_kernel_manager_class():
    """A kernel manager talking to the kernel over Unix sockets in a private folder, not over
    unencrypted TCP (ipykernel warns about that, rightly)."""
    from jupyter_client.manager import KernelManager

    class IPCKernelManager(KernelManager):
        def __init__(self, folder: str, **kwargs):
            super().__init__(transport="ipc", **kwargs)
            self.ip = str(Path(folder) / "kernel")

        async def _async_interrupt_kernel(self):
            # jupyter_client interrupts a kernel before asking it to shut down; the SIGINT only
            # makes ipykernel log "KeyboardInterrupt caught in kernel" on every run.
            if not self.shutting_down:
                await super()._async_interrupt_kernel()

    return IPCKernelManager


class WarmKernels:
    """Kernels started on first use and kept for the next notebooks, of this build and of later
    builds in the same process: a notebook takes an idle one (or starts one) and gives it back
    when done, so a process keeps at most one kernel per worker thread, and the page of every
    built year runs on one of the year's kernels instead of starting its own. Before each
    notebook the kernel moves to the notebook's project (its notebooks folder, and the build's
    environment as it is now: HYTE_NB_ROOT, a pinned day, suppression switched off), as a kernel
    started for that build would have it. `warm_kernels()` gives the process's pool, shut down
    when the process exits."""

    def __init__(self):
        self.idle: list = []
        self.started: list = []
        self.sockets = tempfile.mkdtemp(prefix="hyte_nb-")
        self.lock = threading.Lock()

    @contextmanager
    def kernel(self, root: Path):
        with self.lock:  # distinct socket folders; the lists are shared
            while self.idle and not self.idle[-1].is_alive():
                self.idle.pop()
            km = self.idle.pop() if self.idle else None
            if km is None:
                km = _ipc_kernel_manager_class()(tempfile.mkdtemp(dir=self.sockets), kernel_name=KERNEL_NAME)
                self.started.append(km)
        # The kernel finds the project folder from HYTE_NB_ROOT, not from its working directory
        # (which may be reached through a link and resolve elsewhere).
        env, cwd = {**os.environ, "HYTE_NB_ROOT": str(root)}, str(root / "notebooks")
        if not km.has_kernel:
            km.start_kernel(cwd=cwd, env=env)
            km.hyte_nb_env = env
        km.hyte_nb_move = _move_code(cwd, km.hyte_nb_env, env)  # run before the notebook (FreshNamespaceClient)
        km.hyte_nb_env = env
        try:
            yield km
        finally:
            with self.lock:
                self.idle.append(km)

    def shutdown(self) -> None:
        for km in self.started:
            if km.is_alive():
                km.shutdown_kernel()
        self.started, self.idle = [], []
        shutil.rmtree(self.sockets, ignore_errors=True)


def _move_code(cwd: str, before: dict, now: dict) -> str:
    """Code that takes a kernel from the environment `before` to `now` and into `cwd`
    (variables the kernel's launcher added stay as they are)."""
    changed = {k: v for k, v in now.items() if before.get(k) != v}
    lines = ["import os as _os", f"_os.chdir({cwd!r})", f"_os.environ.update({changed!r})"]
    lines += [f"_os.environ.pop({k!r}, None)" for k in before if k not in now]
    return "\n".join([*lines, "del _os"])


_pool: WarmKernels | None = None


def warm_kernels() -> WarmKernels:
    """The process's pool of kernels, started on first use and shut down when the process exits."""
    global _pool
    if _pool is None:
        _pool = WarmKernels()
        atexit.register(_pool.shutdown)
    return _pool


@cache
def _register_warm_engine() -> str:
    """A papermill engine that runs a notebook on a kernel it is given, after clearing the
    kernel's namespace, and leaves the kernel running for the next notebook."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines

    class FreshNamespaceClient(PapermillNotebookClient):
        def papermill_execute_cells(self):
            # Variables of the previous notebook go; imported modules stay (that is the saving).
            # Then the kernel moves to this notebook's project (WarmKernels), and what is left
            # (modules, caches) is frozen out of the garbage collector's sight: a full collection
            # walks all of pandas, scipy and matplotlib (0,1 s), and %reset, statsmodels' Holm
            # adjustment and the collector's own oldest-generation passes run many in a build
            # (two sample builds: 79,7 -> 59,8 s CPU).
            move = getattr(self.km, "hyte_nb_move", "")
            code = f"%reset -f\n{move}\nimport gc as _gc\n_gc.freeze()\ndel _gc"
            reply = self.wait_for_reply(self.kc.execute(code, silent=True, store_history=False))
            if reply is not None and reply["content"]["status"] != "ok":
                raise BuildError(f"Kernelin valmistelu epäonnistui: {reply['content'].get('evalue', '')}")
            super().papermill_execute_cells()

    class WarmKernelEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, km=None, **kwargs):
            client = FreshNamespaceClient(nb_man, km=km, kernel_name=kernel_name, log=logging.getLogger("papermill"),
                                          startup_timeout=kwargs.get("start_timeout", 60),
                                          timeout=kwargs.get("execution_timeout"))
            # papermill writes the whole notebook after every cell (for watching a long run); here
            # it is written once, when it is done (Engine.execute_notebook), as it would be anyway.
            nb_man.save = lambda **kwargs: None
            try:
                return client.execute()
            finally:
                del nb_man.save
                if client.kc is not None:
                    client.kc.stop_channels()

    papermill_engines.register("hyte_nb_warm", WarmKernelEngine)
    return "hyte_nb_warm"


@dataclass(frozen=True)
class Task:
    """One notebook run of one report of one year."""

    report: Report
    run: Run
    folder: Paths
    cleaning: bool = False

    @property
    def name(self) -> str:
        return f"{self.folder.year}/{self.report.key}/{self.run.page}"

    @property
    def executed(self) -> Path:
        return self.folder.executed / f"{self.run.page}.ipynb"

    @property
    def html(self) -> Path:
        return self.folder.reports / f"{self.run.page}.html"

    def parameters(self) -> dict:
        """What the build tells a notebook: the year and its folders, and the run's own parameters."""
        common = {"vuosi": self.folder.year, "kasitelty_kansio": str(self.folder.processed)}
        if self.cleaning:
            common["raakadata_kansio"] = str(self.folder.raw)
        else:
            common["viitetiedosto"] = str(self.folder.reference)
        return {**common, **self.run.parameters}

    def outputs(self) -> list[Path]:
        return [self.executed, self.html, *(self.folder.processed / name for name in self.run.writes)]


def execute(task: Task, km) -> Path:
    import papermill as pm

    _register_warm_engine()  # here, not at start: a build that skips everything never imports papermill
    run, folder = task.run, task.folder
    missing = [name for name in run.needs if not (folder.processed / name).exists()]
    if missing:
        raise BuildError(f"{run.notebook} ({run.title}) tarvitsee tiedostot {', '.join(missing)} kansiosta "
                         f"{folder.processed}; ne tekee puhdistusmuistio")
    try:
        pm.execute_notebook(str(folder.notebooks / run.notebook), str(task.executed), parameters=task.parameters(),
                            kernel_name=KERNEL_NAME, engine_name=ENGINE, progress_bar=False, km=km)
    except pm.PapermillExecutionError as error:
        raise BuildError(f"{run.notebook} ({run.title}) pysähtyi virheeseen:\n{error.ename}: {error.evalue}") from None
    unwritten = [name for name in run.writes if not (folder.processed / name).exists()]
    if unwritten:
        raise BuildError(f"{run.notebook} ({run.title}) ei kirjoittanut tiedostoja {', '.join(unwritten)}, jotka "
                         f"reports.yml lupaa")
    return task.executed


def run_notebook(notebook: Path, executed: Path, parameters: dict, root: Path) -> Path:
    """One notebook run by papermill as the build runs it, on one of the process's warm kernels in
    the project `root` (for a test that needs one page made from inputs of its own)."""
    import papermill as pm

    check_kernel()
    with _quiet(), warm_kernels().kernel(root) as km:
        pm.execute_notebook(str(notebook), str(executed), parameters=parameters, kernel_name=KERNEL_NAME,
                            engine_name=_register_warm_engine(), progress_bar=False, km=km)
    return executed


_exporters = threading.local()


def _exporter():
    """One HTML exporter per thread, kept: its templates are compiled once, not for every page."""
    from nbconvert import HTMLExporter

    if getattr(_exporters, "html", None) is None:
        _exporters.html = HTMLExporter(template_name="hyte", extra_template_basedirs=[str(TEMPLATES)],
                                       exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
        _exporters.html.language_code = "fi"
    return _exporters.html


def render(executed: Path, html_path: Path, title: str) -> Path:
    """Executed notebook -> HTML without code cells or prompts, images inline."""
    import nbformat

    notebook = nbformat.read(executed, as_version=4)
    notebook.metadata["title"] = title
    body, _ = _exporter().from_notebook_node(notebook)
    html_path.write_text(body, encoding="utf-8")
    return html_path


def _run_task(task: Task, kernels: WarmKernels) -> float:
    """In a worker thread: execute the notebook on an idle kernel, then render it;
    returns the seconds taken."""
    started = time.perf_counter()
    with kernels.kernel(task.folder.root) as km:
        executed = execute(task, km)
    render(executed, task.html, task.run.title)
    return time.perf_counter() - started


ENGINE = "hyte_nb_warm"


class _quiet:
    """Warnings and papermill's log lines off while the build runs: the progress line and the
    error message say what matters."""

    def __enter__(self):
        logging.getLogger("papermill").setLevel(logging.WARNING)
        self.warnings = warnings.catch_warnings()
        self.warnings.__enter__()
        warnings.simplefilter("ignore")

    def __exit__(self, *exc):
        self.warnings.__exit__(*exc)


@dataclass
class Outcome:
    task: Task
    status: str  # valmis | ohitettu | epäonnistui | ei ajettu
    seconds: float = 0.0
    error: str = ""


@dataclass
class Build:
    """Runs tasks on a pool, skipping those the manifest shows unchanged, one line each."""

    jobs: int = os.cpu_count() or 1
    force: bool = False
    quiet: bool = False
    outcomes: list[Outcome] = field(default_factory=list)

    def report(self, outcome: Outcome) -> None:
        self.outcomes.append(outcome)
        if not self.quiet:
            seconds = f"{outcome.seconds:5.1f} s" if outcome.status != "ohitettu" else "       "
            print(f"  {outcome.task.name:<34} {seconds}  {outcome.status}", flush=True)

    def run(self, reports: list[tuple[Report, Paths]],
            kernels: WarmKernels | None = None) -> dict[tuple[int, str], list[Outcome]]:
        """Clean every report, then render the pages of those whose cleaning succeeded, on the
        given kernels or on the process's (warm_kernels())."""
        package = manifest.package_hash()
        books = {folder.reports: manifest.Manifest.load(folder.reports) for _, folder in reports}
        for _, folder in reports:
            for path in (folder.processed, folder.executed, folder.reports):
                path.mkdir(parents=True, exist_ok=True)
        results: dict[tuple[int, str], list[Outcome]] = {(f.year, r.key): [] for r, f in reports}
        running: dict[Future, tuple[Task, float, str]] = {}  # future -> task, submitted at, fingerprint
        kernels = kernels or warm_kernels()
        with ThreadPoolExecutor(max_workers=max(1, self.jobs)) as pool, _quiet():

            def start(task: Task) -> None:
                key = manifest.fingerprint(task.folder.notebooks / task.run.notebook, task.parameters(),
                                           manifest.inputs_of(task), package, manifest.day_of(task))
                book = books[task.folder.reports]
                if not self.force and book.unchanged(task.run.page, key, task.outputs()):
                    finish(Outcome(task, "ohitettu"))
                    return
                book.forget(task.run.page)  # until it succeeds again, nothing is claimed for it
                check_kernel()  # before the first notebook that really runs (cached after that)
                running[pool.submit(_run_task, task, kernels)] = (task, time.perf_counter(), key)

            def finish(outcome: Outcome) -> None:
                self.report(outcome)
                results[(outcome.task.folder.year, outcome.task.report.key)].append(outcome)
                if outcome.task.cleaning:
                    for page in outcome.task.report.pages:
                        task = Task(outcome.task.report, page, outcome.task.folder)
                        if outcome.status in ("valmis", "ohitettu"):
                            start(task)
                        else:
                            finish(Outcome(task, "ei ajettu"))

            for report, folder in reports:
                start(Task(report, report.cleaning, folder, cleaning=True))
            while running:
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    task, submitted, key = running.pop(future)
                    try:
                        seconds = future.result()
                    except Exception as error:  # a notebook's failure is reported, the others go on
                        finish(Outcome(task, "epäonnistui", time.perf_counter() - submitted, str(error)))
                        continue
                    books[task.folder.reports].record(task.run.page, key, task.outputs())
                    finish(Outcome(task, "valmis", seconds))
        return results


def _first_error(outcomes: list[Outcome]) -> str:
    return next((o.error for o in outcomes if o.status == "epäonnistui"), "")


def build_report(report: Report, folder: Paths, jobs: int | None = None, force: bool = False) -> list[Path]:
    """One report of one year (the tests' entry point): its pages, or a BuildError naming the
    notebook that failed and why."""
    return build_reports([(report, folder)], jobs, force)[report.key]


def build_reports(reports: list[tuple[Report, Paths]], jobs: int | None = None,
                  force: bool = False) -> dict[str, list[Path]]:
    """Several reports in one run, each into the folders its Paths gives (the cleaning notebooks
    side by side, then every page): each report's pages, or a BuildError for the first that failed."""
    for report, folder in reports:
        if not folder.raw.is_dir():
            raise BuildError(f"Raportin {report.key} raakavientejä ei ole: odotettiin kansio {folder.raw}")
    build = Build(jobs or os.cpu_count() or 1, force, quiet=True)
    results = build.run(reports)
    pages = {}
    for report, folder in reports:
        outcomes = results[(folder.year, report.key)]
        if error := _first_error(outcomes):
            raise BuildError(error)
        index.write_report_index(report, folder, [(f"{r.page}.html", r.title) for r in report.pages],
                                 (f"{report.cleaning.page}.html", report.cleaning.title))
        pages[report.key] = [o.task.html for o in outcomes]
    return pages


@dataclass
class YearResult:
    year: int
    outcomes: list[Outcome] = field(default_factory=list)
    built: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # report key -> the error
    trends: TrendsOutcome | None = None  # the page of every built year (reports/kehitys.html)


def build_year(year: int, root: Path | None = None, jobs: int | None = None, force: bool = False,
               quiet: bool = False) -> YearResult:
    """Every declared report whose raw exports the year has, built into a staging folder. Each
    report is published on its own: its pages replace reports/<year>/<report>/ only when that
    report succeeded, so a failed or interrupted report leaves its previous pages as they were
    while the others' new pages are published. The year's index names a failed report and its
    error; the index of all years lists every year built."""
    root = find_root(root)
    reports = registry.declared(root)
    available = [key for key in reports if Paths.of(year, key, root).raw.is_dir()]
    if not available:
        raise BuildError(f"Vuodelle {year} ei ole raakavientejä: odotettiin jokin kansioista "
                         + ", ".join(str(Paths.of(year, key, root).raw) for key in reports))
    final = root / "reports" / str(year)
    with _year_lock(final):
        return _build_year_locked(year, root, reports, available, final, jobs, force, quiet)


@contextmanager
def _year_lock(final: Path):
    """One build of a year at a time: a second one stops with a message instead of sharing the
    staging folder. The lock goes with the process, so a killed build leaves none behind."""
    final.parent.mkdir(parents=True, exist_ok=True)
    with open(final.parent / f".{final.name}.lukko", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildError(f"Vuoden {final.name} raportteja tehdään jo toisessa ajossa; odota, että se päättyy.") from None
        yield


def _build_year_locked(year: int, root: Path, reports: dict[str, Report], available: list[str], final: Path,
                       jobs: int | None, force: bool, quiet: bool) -> YearResult:
    staging = _staging(final)
    folders = {key: Paths.of(year, key, root, reports=staging / key) for key in available}
    build = Build(jobs or os.cpu_count() or 1, force, quiet)
    # the year's notebooks, then the page of every built year on one of the same kernels
    return _publish_year(year, root, reports, available, final, staging, folders, build, warm_kernels())


def _publish_year(year: int, root: Path, reports: dict[str, Report], available: list[str], final: Path,
                  staging: Path, folders: dict[str, Paths], build: Build, kernels: WarmKernels) -> YearResult:
    result = YearResult(year)
    for (_, key), outcomes in build.run([(reports[key], folders[key]) for key in available], kernels).items():
        result.outcomes += outcomes
        if error := _first_error(outcomes):
            result.failed[key] = error
            continue
        report = reports[key]
        index.write_report_index(report, folders[key], [(f"{r.page}.html", r.title) for r in report.pages],
                                 (f"{report.cleaning.page}.html", report.cleaning.title))
        result.built.append(key)
    final.mkdir(parents=True, exist_ok=True)
    for key in result.built:  # each succeeded report on its own; a failed one keeps its previous pages
        _replace(final / key, staging / key)
    shutil.rmtree(staging)
    shown = [key for key in reports if (final / key / "index.html").exists()]
    index.write_year_index(final, year, reports, shown, result.failed)
    result.trends = build_trends(root, build.force, build.quiet, kernels)
    index.write_root_index(root, reports)
    return result


# -- the page of every built year --------------------------------------------------------------------
@dataclass
class TrendsOutcome:
    status: str  # valmis | ohitettu | epäonnistui
    page: Path
    seconds: float = 0.0
    error: str = ""


def build_trends(root: Path, force: bool = False, quiet: bool = False,
                 kernels: WarmKernels | None = None) -> TrendsOutcome | None:
    """reports/kehitys.html (reports.yml: kehitys) from every built year's figures: run after
    each year's build, since a new or rebuilt year changes it. Skipped, like a year's notebooks,
    when nothing it is made from changed (the figures tables, the years built, the project's
    YAML files, the package); None where the project declares no such page or no year is built."""
    from hyte_nb.kehitys import years as built  # light: no pandas for a rebuild that skips

    spec = declared.trends(root)
    if spec is None or not any(built.built_years(root, key) for key in spec.reports):
        return None
    folder = root / "reports"
    notebook = root / "notebooks" / spec.notebook
    executed = root / "data" / "processed" / spec.page / f"{spec.page}.ipynb"
    html_path = folder / f"{spec.page}.html"
    outputs = [executed, html_path, *(folder / f"{built.TIDY_NAME}{ext}" for ext in (".csv", ".parquet"))]
    parameters = {"projektikansio": str(root)}
    # Builds of different years may run at once (each year has its own lock): one writes this page at a time.
    with open(folder / f".{spec.page}.lukko", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        key = manifest.fingerprint(notebook, parameters, built.inputs(root), manifest.package_hash())
        book = manifest.Manifest.load(folder)
        if not force and book.unchanged(spec.page, key, outputs):
            outcome = TrendsOutcome("ohitettu", html_path)
        else:
            book.forget(spec.page)
            outcome = _run_trends(root, spec, notebook, executed, html_path, parameters, kernels)
            if outcome.status == "valmis":
                book.record(spec.page, key, outputs)
    if not quiet:
        seconds = f"{outcome.seconds:5.1f} s" if outcome.status != "ohitettu" else "       "
        print(f"  {spec.page:<34} {seconds}  {outcome.status}", flush=True)
    return outcome


def _run_trends(root: Path, spec: declared.Trends, notebook: Path, executed: Path, html_path: Path,
                parameters: dict, kernels: WarmKernels | None = None) -> TrendsOutcome:
    import papermill as pm

    started = time.perf_counter()
    check_kernel()
    _register_warm_engine()
    executed.parent.mkdir(parents=True, exist_ok=True)
    kernels = kernels or warm_kernels()
    try:
        with _quiet():
            with kernels.kernel(root) as km:
                pm.execute_notebook(str(notebook), str(executed), parameters=parameters, kernel_name=KERNEL_NAME,
                                    engine_name=ENGINE, progress_bar=False, km=km)
            render(executed, html_path, spec.title)
    except pm.PapermillExecutionError as error:
        return TrendsOutcome("epäonnistui", html_path, time.perf_counter() - started,
                             f"{spec.notebook} ({spec.title}) pysähtyi virheeseen:\n{error.ename}: {error.evalue}")
    return TrendsOutcome("valmis", html_path, time.perf_counter() - started)


def _staging(final: Path) -> Path:
    """reports/.<year>.uusi/: a copy of the year's pages (so unchanged runs can be skipped) that
    the build writes into. A staging folder left by an interrupted build is thrown away, and a
    report's pages left aside by a build interrupted between the two renames of `_replace` are
    put back."""
    staging = final.parent / f".{final.name}.uusi"
    for old in final.glob(".*.vanha") if final.is_dir() else ():
        report = final / old.name[1:-len(".vanha")]
        if not report.exists():
            old.rename(report)
        else:
            shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(staging, ignore_errors=True)
    if final.exists():
        shutil.copytree(final, staging)
    else:
        staging.mkdir(parents=True)
    return staging


def _replace(final: Path, staging: Path) -> None:
    """Put a report's staging folder in the place of reports/<year>/<report>/ (two renames, then
    cleanup)."""
    old = final.parent / f".{final.name}.vanha"
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        final.rename(old)
    staging.rename(final)
    shutil.rmtree(old, ignore_errors=True)


def main(year: int, root: Path | None = None, jobs: int | None = None, force: bool = False) -> int:
    started = time.perf_counter()
    try:
        result = build_year(year, root, jobs, force)
    except (BuildError, FileNotFoundError, ValueError) as error:
        print(f"Raportin teko keskeytyi.\n{error}", file=sys.stderr)
        return 1
    for key, error in result.failed.items():
        print(f"\nRaportti {key} epäonnistui.\n{error}", file=sys.stderr)
    trends_failed = result.trends is not None and result.trends.status == "epäonnistui"
    if trends_failed:
        print(f"\nKehityssivu epäonnistui.\n{result.trends.error}", file=sys.stderr)
    counts = {status: sum(o.status == status for o in result.outcomes)
              for status in ("valmis", "ohitettu", "epäonnistui", "ei ajettu")}
    year_dir = find_root(root) / "reports" / str(year)
    print(f"{len(result.outcomes)} muistiota: " + ", ".join(f"{n} {s}" for s, n in counts.items() if n)
          + f" ({time.perf_counter() - started:.1f} s). Avaa {year_dir / 'index.html'}")
    return 1 if result.failed or trends_failed else 0
