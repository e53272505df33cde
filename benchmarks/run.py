"""The build against its floor, rebuilds, and the cleaning at national scale against DuckDB.

Run with `make benchmark` (add `ARGS=--large` for the 10 M-row cleaning case). Every figure is
the median of several runs in this one invocation; peak memory is the whole process tree's
(the build's kernels included). Prints a table and writes it to benchmarks/results/benchmark.csv.
`make benchmark ARGS=--tests` times the test suite instead (`make test`'s command, target ≤ 60 s),
with the machine's load beside it, and writes benchmarks/results/tests.csv.
Timing goals live here, not in unit tests.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import gc
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat
import psutil

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
YEAR = 2024
RESULTS = HERE / "results"


class PeakMemory:
    """Samples the resident memory of a process and all its children every 50 ms."""

    def __init__(self, pid: int):
        self.process = psutil.Process(pid)
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self):
        while not self._stop.is_set():
            try:
                tree = [self.process, *self.process.children(recursive=True)]
                self.peak = max(self.peak, sum(p.memory_info().rss for p in tree if p.is_running()))
            except psutil.Error:
                pass
            time.sleep(0.05)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def timed_command(command: list[str], cwd: Path) -> tuple[float, int]:
    """Wall seconds and peak memory (bytes) of a command's whole process tree."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    with PeakMemory(process.pid) as memory:
        _, err = process.communicate()
    if process.returncode:
        raise RuntimeError(f"{' '.join(command)} failed:\n{err.decode()[-2000:]}")
    return time.perf_counter() - started, memory.peak


def project_copy(tmp: Path) -> Path:
    """A project folder of its own: the build writes there, never into the repository's."""
    root = tmp / "projekti"
    root.mkdir()
    for name in ("reports.yml", "organisaatio.yml"):
        shutil.copy(ROOT / name, root / name)
    shutil.copytree(ROOT / "notebooks", root / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    (root / "data").mkdir()
    for name in ("raw", "reference"):
        (root / "data" / name).symlink_to(ROOT / "data" / name)
    return root


def build_command(root: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "hyte_nb", "--root", str(root), "build", "--year", str(YEAR), *extra]


# -- the floor: the same notebooks' code, generated from the notebooks, in one process -----------
def floor_tasks(root: Path) -> list[tuple[Path, dict]]:
    """Every notebook run of the year in build order, with the parameters the build gives it."""
    from hyte_nb.pipeline import declared
    from hyte_nb.pipeline.pipeline import Task
    from hyte_nb.core.paths import Paths

    tasks = []
    for key, report in declared.load(root).items():
        folder = Paths.of(YEAR, key, root)
        tasks.append(Task(report, report.cleaning, folder, cleaning=True))
        tasks += [Task(report, page, folder) for page in report.pages]
    return [(t.folder.notebooks / t.run.notebook, t.parameters()) for t in tasks]


def run_floor(root: Path, only: str | None = None) -> None:
    """Execute the code cells of every notebook (or of one), parameters injected as papermill
    would, in this process; the output goes nowhere."""
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    os.chdir(root / "notebooks")
    for folder in ("data/processed", "reports"):  # the build makes them; the notebooks' checks want their parents
        (root / folder / str(YEAR)).mkdir(parents=True, exist_ok=True)
    for notebook, parameters in floor_tasks(root):
        if only and notebook.name != only:
            continue
        nb = parameterize_notebook(load_notebook_node(str(notebook)), parameters)
        namespace: dict = {"__name__": "__main__"}
        gc.freeze()  # as the build's kernels do before each notebook (pipeline.FreshNamespaceClient)
        with contextlib.redirect_stdout(io.StringIO()):
            for cell in nb.cells:
                if cell.cell_type == "code":
                    exec(compile(cell.source, str(notebook), "exec"), namespace)


def time_tests(runs: int) -> None:
    """The whole suite as `make test` runs it (pytest with pyproject's addopts: every core), timed
    from outside: wall seconds, CPU seconds of the whole process tree, tests passed, and the load
    average before and after (other work on the machine slows the suite down)."""
    import resource

    rows = []
    for run in range(runs):
        before, cpu = os.getloadavg()[0], resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=ROOT,
                              capture_output=True, text=True)
        seconds = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-500:]
        if done.returncode:
            raise RuntimeError(f"pytest failed:\n{done.stdout[-3000:]}{done.stderr[-2000:]}")
        rows.append({"ajo": run + 1, "seinakello_s": round(seconds, 1),
                     "cpu_s": round(after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime, 1),
                     "kuorma_ennen": round(before, 2), "kuorma_jalkeen": round(os.getloadavg()[0], 2),
                     "tulos": summary.strip("= ")})
        print(f"make test: {seconds:6.1f} s seinäkelloa, {rows[-1]['cpu_s']:6.1f} s suoritinaikaa, kuorma "
              f"{rows[-1]['kuorma_ennen']} → {rows[-1]['kuorma_jalkeen']} ({os.cpu_count()} ydintä): "
              f"{rows[-1]['tulos']}", flush=True)
    if runs > 1:
        print(f"mediaani {statistics.median(r['seinakello_s'] for r in rows):.1f} s (tavoite ≤ 60 s)")
    RESULTS.mkdir(exist_ok=True)
    with open(RESULTS / "tests.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"Kirjoitettu {RESULTS / 'tests.csv'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=None, help="runs per measurement (default 3; --tests: 1)")
    parser.add_argument("--large", action="store_true", help="also clean 10 M rows (takes minutes)")
    parser.add_argument("--tests", action="store_true", help="time the test suite (make test) instead")
    args = parser.parse_args()
    if args.tests:
        time_tests(args.runs or 1)
        return
    args.runs = args.runs or 3
    rows: list[dict] = []

    def add(name: str, seconds: list[float], memory: list[int], note: str = "") -> float:
        median = statistics.median(seconds)
        rows.append({"mittaus": name, "mediaani_s": round(median, 2), "ajot": len(seconds),
                     "huippumuisti_mib": round(max(memory) / 2**20) if memory else "", "huom": note})
        print(f"{name:<52} {median:8.2f} s  {rows[-1]['huippumuisti_mib']:>6} MiB  {note}", flush=True)
        return median

    with tempfile.TemporaryDirectory(prefix="hyte_nb-bench-") as tmp:
        root = project_copy(Path(tmp))
        cold = [timed_command(build_command(root, "--force"), root) for _ in range(args.runs)]
        build = add(f"kylmä koonti, molemmat raportit ({len(floor_tasks(root))} muistiota)", *zip(*cold))
        floor = [timed_command([sys.executable, str(Path(__file__).resolve()), "--floor", str(root)], root) for _ in range(args.runs)]
        floor_s = add("lattia: samat muistiot yhdessä prosessissa", *zip(*floor))
        noop = [timed_command(build_command(root), root) for _ in range(args.runs)]
        add("uudelleenkoonti, ei muutoksia", *zip(*noop))
        section = "02_vapaaehtoiset.ipynb"
        touched = []
        for i in range(args.runs):
            path = root / "notebooks" / section
            nb = nbformat.read(path, as_version=4)
            nb.cells[-1].source += "\n" if i % 2 == 0 else ""  # a real content change every run
            nb.metadata["benchmark_run"] = i
            nbformat.write(nb, path)
            touched.append(timed_command(build_command(root), root))
        one = add(f"uudelleenkoonti, yksi osio muuttui ({section})", *zip(*touched))
        own = [timed_command([sys.executable, str(Path(__file__).resolve()), "--floor", str(root), "--only", section], root)
               for _ in range(args.runs)]
        own_s = add(f"lattia: {section} yksin", *zip(*own))
        print(f"\nkoonti / lattia = {build / floor_s:.2f}   yhden osion uudelleenkoonti / osion lattia = "
              f"{one / own_s:.2f}\n")
    rows.append({"mittaus": "suhde koonti/lattia", "mediaani_s": round(build / floor_s, 2), "ajot": "",
                 "huippumuisti_mib": "", "huom": "tavoite ≤ 1,5"})
    rows.append({"mittaus": "suhde osion uudelleenkoonti/osion lattia", "mediaani_s": round(one / own_s, 2),
                 "ajot": "", "huippumuisti_mib": "", "huom": "tavoite ≤ 2"})
    cleaning = HERE / "cleaning.py"
    if cleaning.exists():  # the national-scale cleaning benchmark prints its own table too
        subprocess.run([sys.executable, str(cleaning), "--runs", str(args.runs), *(["--large"] if args.large else [])],
                       check=True)
    RESULTS.mkdir(exist_ok=True)
    with open(RESULTS / "benchmark.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"Kirjoitettu {RESULTS / 'benchmark.csv'}")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--floor":
        run_floor(Path(sys.argv[2]), sys.argv[4] if len(sys.argv) > 4 and sys.argv[3] == "--only" else None)
    else:
        main()
