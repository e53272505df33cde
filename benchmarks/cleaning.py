"""Cleaning at scale: the project against DuckDB on the same generated client-meeting export.

Generates asiakastapaamiset.csv exports of 1 M rows (and 10 M with --large) by resampling the
2024 rows of data/raw/2024/hyte/asiakastapaamiset.csv with fresh visit ids, with junk planted
at fixed rates (exact duplicates, blank lines, test rows, rows dated outside the year) on top
of the dirt the sample already carries (stray whitespace, service names in other case, old
names). Then measures, each as the median of --runs runs in one invocation, every run in a
child process of its own (time of the work itself, imports excluded; peak RSS of the child):

- project: hyte_nb.hyte.cleaning.clean_one (read, junk rows, whitespace, service names,
  parsing and validation, year filter, cleaning log), then clients and encounters per service
  (what hyte_nb/hyte/figures.py::activity computes for meetings);
- duckdb: the same rules in SQL on the same file (types, blank rows, test rows by the
  contract's markers (a test word as a whole value, a TESTI- prefix on an id), exact duplicates, whitespace trim, service names mapped
  to the catalogue by case and old names, validation, year filter), the rows removed or
  changed (the log), and the same aggregation.

Both must give the same figures; the script checks it. Prints a table with the ratios and
writes it as CSV (default benchmarks/results/cleaning.csv). Run:

    .venv/bin/python benchmarks/cleaning.py [--runs 3] [--large] [--rows 1000000 ...]
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SOURCE = ROOT / "data" / "raw" / "2024" / "hyte" / "asiakastapaamiset.csv"
HEADER = "Käynnin ID;Päivämäärä;Palvelualue;Palvelu;Asiakastunnus;Tavatut henkilöt;Yksinäisyys puheeksi"
YEAR = 2024
LABEL = {"project": "projekti", "duckdb": "duckdb"}
# Junk planted per generated row (on top of the sample's own dirt).
DUPLICATE, BLANK, TEST, OUTSIDE = 1 / 1000, 1 / 10_000, 1 / 10_000, 1 / 10_000


# ---------------------------------------------------------------------------------------------
# The export


def source_rows() -> list[str]:
    """The 2024 rows of the sample export, without their visit id (';'-joined rest)."""
    lines = SOURCE.read_bytes().decode("utf-8-sig").split("\r\n")
    assert lines[0] == HEADER, lines[0]
    rest = []
    for line in lines[1:]:
        cells = line.split(";")
        if len(cells) != 7 or not cells[1].strip().endswith(f".{YEAR}"):
            continue  # blank lines and rows of other years
        rest.append(";".join(cells[1:]))
    return rest


def generate(path: Path, rows: int, seed: int = 2024, chunk: int = 1_000_000) -> None:
    """rows data rows resampled from the 2024 rows with fresh visit ids, junk planted."""
    import numpy as np

    rng = np.random.default_rng(seed)
    rest = source_rows()
    written = 0
    with open(path, "wb") as out:
        out.write(("\ufeff" + HEADER + "\r\n").encode("utf-8"))
        while written < rows:
            n = min(chunk, rows - written)
            picks = rng.integers(0, len(rest), n)
            junk = rng.random(n)
            lines = []
            previous = None
            for i, (pick, u) in enumerate(zip(picks.tolist(), junk.tolist())):
                visit = f"K{written + i + 1:08d}"
                if u < BLANK:
                    line = ";;;;;;"
                elif u < BLANK + TEST:
                    line = f"TESTI-{visit};{rest[pick]}"
                elif u < BLANK + TEST + OUTSIDE:
                    cells = rest[pick].split(";")
                    day_month = cells[0].strip().rsplit(".", 1)[0]
                    cells[0] = ("28.2" if day_month == "29.2" else day_month) + f".{YEAR - 1}"
                    line = f"{visit};" + ";".join(cells)
                elif u < BLANK + TEST + OUTSIDE + DUPLICATE and previous is not None:
                    line = previous  # an exact copy of the row before
                else:
                    line = f"{visit};{rest[pick]}"
                lines.append(line)
                previous = line
            out.write(("\r\n".join(lines) + "\r\n").encode("utf-8"))
            written += n


# ---------------------------------------------------------------------------------------------
# The two measurements, each run in a child process: python benchmarks/cleaning.py --child ...


def run_project(path: Path) -> dict:
    from hyte_nb.core.clean import CleaningLog
    from hyte_nb.hyte.cleaning import clean_one
    from hyte_nb.hyte.exports import CLIENT_MEETINGS

    started, cpu = time.perf_counter(), time.process_time()
    log = CleaningLog()
    meetings = clean_one(path, CLIENT_MEETINGS, YEAR, log)
    per_service = meetings.groupby(["alue", "palvelu"]).agg(asiakkaat=("asiakas", "nunique"),
                                                            kohtaamiset=("henkilot", "sum"))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    figures = {f"{a}/{p}": [int(c), int(k)] for (a, p), c, k in
               zip(per_service.index, per_service["asiakkaat"], per_service["kohtaamiset"])}
    logged = sorted([e["rivi"], e["toimenpide"]] for e in log.entries)
    return {"seconds": seconds, "cpu": cpu, "rows_out": len(meetings), "log": logged, "figures": figures}


def _duckdb_sql(path: Path) -> list[str]:
    """The cleaning rules in SQL, in the project's order: blank rows, test rows, exact duplicates
    (of the rows left), whitespace trimmed, service names mapped to the catalogue, every cell
    typed and validated, rows of other years removed; the log of rows removed or changed."""
    from hyte_nb.core import clean
    from hyte_nb.hyte import catalog, exports
    from hyte_nb.hyte.cleaning import service_lookup

    def text(value: str) -> str:
        return "'" + value.replace("'", "''") + "'"

    areas = ", ".join(f"({text(name)}, {text(key)})" for name, key in catalog.area_keys().items())
    services = ", ".join(f"({text(a)}, {text(name)}, {text(canonical)})"
                         for (a, name), canonical in service_lookup(YEAR).items())
    allowed = ", ".join(f"({text(r.alue)}, {text(r.palvelu)})" for r in catalog.services(YEAR).itertuples())
    cols = ["kaynti", "pvm", "alue", "palvelu", "asiakas", "henkilot", "puheeksi"]
    # the contract's test markers: a test word as a cell's whole value (trimmed, any case), or a
    # TESTI-/TEST- prefix on an identifier column (visit id, client id)
    words = ", ".join(text(w) for w in sorted(clean.TEST_WORDS))
    markers = [c.name for c in exports.CLIENT_MEETINGS.columns if c.test_marker]
    any_test = " OR ".join([f"lower(trim({c})) IN ({words})" for c in cols] +
                           [f"starts_with(lower(trim({c})), {text(p)})" for c in markers for p in clean.TEST_PREFIXES])
    all_blank = " AND ".join(f"coalesce(trim({c}), '') = ''" for c in cols)
    kept = "NOT tyhja AND NOT testi AND rivi = ensimmainen"
    return [
        f"CREATE TEMP TABLE areas AS SELECT * FROM (VALUES {areas}) t(nimi, avain)",
        f"CREATE TEMP TABLE names AS SELECT * FROM (VALUES {services}) t(alue, nimi, palvelu)",
        f"CREATE TEMP TABLE allowed AS SELECT * FROM (VALUES {allowed}) t(alue, palvelu)",
        # the export as text, blank and test rows flagged; rowid follows the file (row = rowid + 2)
        f"""CREATE TEMP TABLE raw AS
            SELECT *, ({all_blank}) AS tyhja, NOT ({all_blank}) AND ({any_test}) AS testi
            FROM read_csv('{path}', delim=';', header=true, all_varchar=true, quote='', escape='', names={cols!r},
                          null_padding=false)""",
        # rows repeated exactly (after blank and test rows), with the first row of each: rows whose
        # hash repeats, then grouped by their cells
        f"""CREATE TEMP TABLE hashes AS SELECT rowid AS r, hash({", ".join(cols)}) AS h FROM raw
            WHERE NOT tyhja AND NOT testi""",
        f"""CREATE TEMP TABLE dups AS
            SELECT r, min(r) OVER (PARTITION BY {", ".join(cols)}) + 2 AS ensimmainen
            FROM (SELECT raw.rowid AS r, {", ".join("raw." + c for c in cols)}
                  FROM raw JOIN hashes ON raw.rowid = hashes.r
                  WHERE hashes.h IN (SELECT h FROM hashes GROUP BY h HAVING count(*) > 1))""",
        """CREATE TEMP TABLE rows AS
            SELECT r.rowid + 2 AS rivi, r.tyhja, r.testi, coalesce(d.ensimmainen, r.rowid + 2) AS ensimmainen,
                   r.palvelu AS palvelu_raaka, r.asiakas AS asiakas_raaka, r.pvm AS pvm_raaka,
                   coalesce(trim(r.kaynti), '') AS kaynti, a.avain AS alue, trim(r.palvelu) AS palvelu_trim,
                   coalesce(n.palvelu, trim(r.palvelu)) AS palvelu, coalesce(trim(r.asiakas), '') AS asiakas,
                   CASE WHEN regexp_full_match(trim(r.pvm), '[0-9]{1,2}[.][0-9]{1,2}[.][0-9]{4}')
                        THEN try_strptime(trim(r.pvm), '%d.%m.%Y')::DATE END AS pvm,
                   CASE WHEN regexp_full_match(trim(r.henkilot), '-?[0-9]+') THEN TRY_CAST(trim(r.henkilot) AS BIGINT)
                        END AS henkilot,
                   CASE lower(trim(r.puheeksi)) WHEN 'kyllä' THEN true WHEN 'ei' THEN false END AS puheeksi
            FROM raw r
            LEFT JOIN dups d ON d.r = r.rowid
            LEFT JOIN areas a ON a.nimi = trim(r.alue)
            LEFT JOIN names n ON n.alue = a.avain AND n.nimi = lower(trim(r.palvelu))""",
        f"""CREATE TEMP TABLE errors AS
            SELECT r.rivi FROM rows r LEFT JOIN allowed s ON s.alue = r.alue AND s.palvelu = r.palvelu
            WHERE NOT r.tyhja AND NOT r.testi AND r.rivi = r.ensimmainen
              AND (r.kaynti = '' OR r.asiakas = '' OR r.alue IS NULL OR r.pvm IS NULL OR r.henkilot IS NULL
                   OR r.henkilot NOT BETWEEN 1 AND 50 OR r.puheeksi IS NULL OR s.palvelu IS NULL)""",
        f"""CREATE TEMP TABLE log AS
            SELECT rivi, 'poistettu' AS toimenpide, 'tyhjä rivi' AS syy, '' AS ennen FROM rows WHERE tyhja
            UNION ALL SELECT rivi, 'poistettu', 'testirivi', '' FROM rows WHERE testi
            UNION ALL SELECT rivi, 'poistettu', 'kaksoiskappale rivistä ' || ensimmainen, '' FROM rows
                      WHERE NOT tyhja AND NOT testi AND rivi <> ensimmainen
            UNION ALL SELECT rivi, 'muutettu', 'välilyönnit', palvelu_raaka FROM rows
                      WHERE {kept} AND palvelu_raaka <> palvelu_trim
            UNION ALL SELECT rivi, 'muutettu', 'välilyönnit', asiakas_raaka FROM rows
                      WHERE {kept} AND asiakas_raaka <> asiakas
            UNION ALL SELECT rivi, 'muutettu', 'palvelun nimi', palvelu_trim FROM rows
                      WHERE {kept} AND palvelu <> palvelu_trim
            UNION ALL SELECT rivi, 'poistettu', 'vuoden ulkopuolella', pvm_raaka FROM rows
                      WHERE {kept} AND year(pvm) <> {YEAR}""",
        f"""CREATE TEMP TABLE clean AS SELECT rivi, kaynti, pvm, alue, palvelu, asiakas, henkilot, puheeksi FROM rows
            WHERE {kept} AND year(pvm) = {YEAR}""",
    ]


def run_duckdb(path: Path) -> dict:
    import duckdb

    sql = _duckdb_sql(path)
    started, cpu = time.perf_counter(), time.process_time()
    con = duckdb.connect()
    for statement in sql:
        con.execute(statement)
    errors = con.execute("SELECT count(*) FROM errors").fetchone()[0]
    if errors:
        raise ValueError(f"{errors} virheellistä riviä")
    log = con.execute("SELECT rivi, toimenpide FROM log").fetchall()
    rows_out = con.execute("SELECT count(*) FROM clean").fetchone()[0]
    per_service = con.execute("""SELECT alue, palvelu, count(DISTINCT asiakas), sum(henkilot) FROM clean
                                 GROUP BY alue, palvelu""").fetchall()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    con.close()
    figures = {f"{a}/{p}": [int(c), int(k)] for a, p, c, k in per_service}
    return {"seconds": seconds, "cpu": cpu, "rows_out": rows_out, "log": sorted([int(r), a] for r, a in log),
            "figures": figures}


def child(engine: str, path: Path) -> None:
    import resource

    result = run_project(path) if engine == "project" else run_duckdb(path)
    result["peak_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # Linux: KiB
    print(json.dumps(result))


def measure(engine: str, path: Path) -> dict:
    """One run in a fresh child process; its time and its own peak RSS."""
    done = subprocess.run([sys.executable, __file__, "--child", engine, str(path)], cwd=ROOT,
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{engine} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (median), default 3")
    parser.add_argument("--large", action="store_true", help="also 10 000 000 rows")
    parser.add_argument("--rows", type=int, nargs="+", help="row counts (default 1 000 000; with --large also 10 M)")
    parser.add_argument("--only", choices=["project", "duckdb"], help="measure only one side")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "cleaning.csv", help="CSV of the table")
    parser.add_argument("--data", type=Path, help="folder for the generated exports (default: a temporary one)")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return
    sizes = args.rows or ([1_000_000, 10_000_000] if args.large else [1_000_000])
    engines = [args.only] if args.only else ["project", "duckdb"]
    table = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.data or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for rows in sizes:
            path = folder / f"asiakastapaamiset_{rows}.csv"
            if not path.exists():
                started = time.perf_counter()
                generate(path, rows)
                print(f"generated {path.name}: {rows:,} rows, {path.stat().st_size / 2**20:.0f} MiB "
                      f"in {time.perf_counter() - started:.1f} s", flush=True)
            results = {engine: [] for engine in engines}
            for i in range(args.runs):  # the engines take turns, so that both meet the same load
                for engine in engines:
                    run = measure(engine, path)
                    results[engine].append(run)
                    print(f"  {rows:>11,} {engine:<8} run {i + 1}: {run['seconds']:8.2f} s (cpu {run['cpu']:7.2f} s) "
                          f"{run['peak_kib'] / 2**20:6.2f} GiB", flush=True)
            if len(engines) == 2:
                p, d = results["project"][0], results["duckdb"][0]
                same = p["figures"] == d["figures"] and p["rows_out"] == d["rows_out"] and p["log"] == d["log"]
                print(f"  same figures, rows out and rows logged: {same} ({p['rows_out']:,} rows out, "
                      f"{len(p['log']):,} log entries)")
                if not same:
                    raise SystemExit("project and DuckDB disagree")
            row = {"rivejä": rows, "ajoja": args.runs}
            for engine, runs in results.items():
                name = LABEL[engine]
                row[f"{name}_s"] = round(statistics.median(r["seconds"] for r in runs), 2)
                row[f"{name}_cpu_s"] = round(statistics.median(r["cpu"] for r in runs), 2)
                row[f"{name}_huippumuisti_gib"] = round(statistics.median(r["peak_kib"] for r in runs) / 2**20, 2)
            if len(engines) == 2:
                row["aikasuhde"] = round(row["projekti_s"] / row["duckdb_s"], 2)
                row["cpu_suhde"] = round(row["projekti_cpu_s"] / row["duckdb_cpu_s"], 2)
                row["muistisuhde"] = round(row["projekti_huippumuisti_gib"] / row["duckdb_huippumuisti_gib"], 2)
            table.append(row)
    columns = list(table[0])
    widths = [max(len(c), 10) for c in columns]
    print("\nmediaanit; projekti = hyte_nb:n puhdistus ja palvelukohtaiset luvut, duckdb = samat säännöt SQL:nä; "
          "suhde = projekti / duckdb")
    print("  ".join(f"{c:>{w}}" for c, w in zip(columns, widths)))
    for row in table:
        print("  ".join(f"{row[c]:>{w}{',' if isinstance(row[c], int) else ''}}" for c, w in zip(columns, widths)))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=columns)
        writer.writeheader()
        writer.writerows(table)
    print(f"\nwritten: {args.out}")


if __name__ == "__main__":
    main()
