"""A generated organisation's HYTE exports, from a few names: its service areas and services
(with client work, events or both), its measurement items, volunteer tasks and materials. The
files keep the raw-export contract (data/raw/README.md) that every organisation's systems
write; nothing else is shared with the calibrated sample (hyte/sample.py), so an organisation
that is not one of the seeds can be onboarded from them (`hyte luonnos`), e.g. in the tests.
Deterministic for a seed; volumes are plausible, not calibrated to any published report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from hyte_nb.core.exportfiles import write_csv, write_webropol_xlsx
from hyte_nb.core.schema import LIKERT5
from hyte_nb.hyte.exports import HYTE_EXPORTS, SURVEY_MOTIVES, SURVEY_STATEMENTS
from hyte_nb.hyte.sample import _as_text


@dataclass(frozen=True)
class Service:
    name: str
    clients: int = 0  # clients met in client work (0: no client work)
    events: int = 0  # events in the year (0: none)


@dataclass(frozen=True)
class Organisation:
    areas: dict[str, tuple[Service, ...]]  # area name -> its services
    items: dict[str, tuple[int, int]] = field(default_factory=dict)  # measured at start and end: item -> scale
    tasks: tuple[str, ...] = ("tukihenkilötoiminta",)
    materials: tuple[str, ...] = ()
    volunteers: int = 40
    survey_respondents: int = 30


def _days(rng: np.random.Generator, year: int, k: int) -> list[date]:
    return [date(year, 1, 1) + timedelta(days=int(d)) for d in rng.integers(0, 365, k)]


def tables(org: Organisation, year: int, seed: int = 1) -> dict[str, pd.DataFrame]:
    """The year's tidy tables, by export key (column names as the exports declare them)."""
    rng = np.random.default_rng([seed, year])
    meetings, events, feedback, measured = [], [], [], []
    for area, services in org.areas.items():
        for svc in services:
            clients = [f"{svc.name[:2].upper()}-{i:04d}" for i in range(svc.clients)]
            for client in clients:
                for day in _days(rng, year, int(rng.integers(1, 6))):
                    meetings.append({"pvm": day, "alue": area, "palvelu": svc.name, "asiakas": client,
                                     "henkilot": int(rng.integers(1, 3)), "puheeksi": rng.choice(["Kyllä", "Ei"])})
            for day in _days(rng, year, svc.events):
                events.append({"pvm": day, "alue": area, "palvelu": svc.name,
                               "osallistujat": int(rng.integers(3, 40)), "puheeksi": rng.choice(["Kyllä", "Ei"])})
            for day in _days(rng, year, max(6, (svc.clients + svc.events) // 4)):
                feedback.append({"pvm": day, "alue": area, "palvelu": svc.name, "suosittelu": int(rng.integers(5, 11)),
                                 "kuulluksi": int(rng.integers(2, 6)) if svc.clients else None,
                                 "avoin": "Kiitos, sain apua." if rng.random() < 0.2 else None,
                                 "lupa": "Kyllä" if rng.random() < 0.5 else None})
            if svc.clients and org.items and svc is next(s for s in services if s.clients):
                for client in clients:  # the area's first client-work service measures its clients
                    for item, (low, high) in org.items.items():
                        start = int(rng.integers(low, high + 1))
                        end = int(min(high, max(low, start + rng.integers(-1, 3))))
                        for point, value in (("alku", start), ("loppu", end)):
                            measured.append({"asiakas": client, "alue": area, "palvelu": svc.name, "ryhma": None,
                                             "kerta": point, "pvm": _days(rng, year, 1)[0], "mittari": item,
                                             "arvo": value})
    for i, row in enumerate(meetings, 1):
        row["kaynti"] = f"K{i:06d}"
    for i, row in enumerate(events, 1):
        row["tapahtuma"] = f"T{i:05d}"
    for i, row in enumerate(feedback, 1):
        row["vastaus"] = f"P{i:05d}"
    registry = [{"tehtava_id": f"V{i:04d}", "vapaaehtoinen": f"VA-{i:04d}",
                 "syntymavuosi": int(rng.integers(year - 75, year - 18)), "tehtava": org.tasks[i % len(org.tasks)],
                 "aloitus": _days(rng, year - 1, 1)[0]} for i in range(org.volunteers)]
    downloads = [{"pvm": day, "materiaali": material, "kieli": "fi", "lataukset": int(rng.integers(1, 20))}
                 for material in org.materials for day in sorted(set(_days(rng, year, 30)))]
    n = org.survey_respondents
    survey = pd.DataFrame({"vastaaja": range(1, n + 1),
                           "aika": [datetime(year, 9, 2, 9) + timedelta(hours=int(h)) for h in sorted(rng.integers(0, 400, n))]})
    for key in SURVEY_STATEMENTS:
        survey[key] = [LIKERT5[v] for v in rng.integers(1, 5, n)]
    for key in SURVEY_MOTIVES:
        survey[f"motiivi_{key}"] = np.where(rng.random(n) < 0.5, 1, None)
    survey["suosittelu"] = rng.integers(6, 11, n)
    survey["lopettaminen"] = rng.choice(["Kyllä", "En", "En osaa sanoa"], n, p=[0.1, 0.8, 0.1])
    survey["avoin"], survey["lupa"] = None, None

    def frame(rows: list[dict], key: str) -> pd.DataFrame:
        columns = [c.name for c in next(e for e in HYTE_EXPORTS if e.key == key).columns]
        return pd.DataFrame(rows, columns=columns)

    return {"asiakastapaamiset": frame(sorted(meetings, key=lambda r: r["pvm"]), "asiakastapaamiset"),
            "tapahtumat": frame(sorted(events, key=lambda r: r["pvm"]), "tapahtumat"),
            "vapaaehtoisrekisteri": frame(registry, "vapaaehtoisrekisteri"),
            "asiakaspalaute": frame(feedback, "asiakaspalaute"),
            "hyvinvointimittaukset": frame(measured, "hyvinvointimittaukset"),
            "materiaalilataukset": frame(downloads, "materiaalilataukset"),
            "vapaaehtoiskysely": survey}


def write(raw_dir: Path, org: Organisation, year: int, seed: int = 1) -> dict[str, pd.DataFrame]:
    """Every HYTE export of the year into raw_dir, as the source systems write them; returns the
    tables written (for a test to compute what the pages must show)."""
    raw_dir = Path(raw_dir)
    raw_dir.mkdir(parents=True, exist_ok=True)
    written = tables(org, year, seed)
    for export in HYTE_EXPORTS:
        path = raw_dir / export.filename
        if export.filename.endswith(".xlsx"):
            write_webropol_xlsx(written[export.key], export, path, year)
        else:
            write_csv(_as_text(written[export.key], export), path)
    return written
