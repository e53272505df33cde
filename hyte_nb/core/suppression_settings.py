"""The settings of small-count suppression (hyte_nb.core.suppression): the threshold from the
project's organisaatio.yml (`pienet_luvut: {raja: 5}`, at least 3) and the switch of an
internal run (HYTE_NB_EI_JULKAISTAVAKSI=1), with the "EI JULKAISTAVAKSI" banner such a run puts
on every page. Apart from the suppression itself and without pandas, so that writing an index
page, which reads them, costs no import of pandas."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from hyte_nb.core import catalog, fmt
from hyte_nb.core.paths import find_root

DEFAULT_THRESHOLD = 5
MINIMUM_THRESHOLD = 3  # the lowest threshold the guidance uses; organisaatio.yml cannot go below it
ENV_OFF = "HYTE_NB_EI_JULKAISTAVAKSI"
SETTINGS_FILE = "organisaatio.yml"
SETTINGS_KEY = "pienet_luvut"
NOT_FOR_PUBLICATION = "EI JULKAISTAVAKSI"

_OFF_VALUES = {"1", "true", "kyllä", "kylla", "yes", "on"}
_ON_VALUES = {"", "0", "false", "ei", "no", "off"}


@dataclass(frozen=True)
class Settings:
    """The threshold, whether suppression is on, and where the threshold came from."""

    threshold: int = DEFAULT_THRESHOLD
    on: bool = True
    source: str = "oletus"

    @property
    def mark(self) -> str:
        """How a primary-suppressed count is shown: '< 5' (with a no-break space)."""
        return f"<{fmt.NBSP}{self.threshold}"


def _switched_off(raw: str) -> bool:
    value = raw.strip().lower()
    if value in _OFF_VALUES:
        return True
    if value in _ON_VALUES:
        return False
    raise ValueError(f"Ympäristömuuttujan {ENV_OFF} arvo {raw!r} on tuntematon: {ENV_OFF}=1 poistaa pienten "
                     f"lukujen suojauksen sisäistä ajoa varten (sivuille tulee merkintä {NOT_FOR_PUBLICATION}); "
                     f"muuten jätä muuttuja asettamatta.")


def _threshold_from(path: Path) -> int | None:
    with open(path, encoding="utf-8") as handle:
        data = yaml.load(handle, Loader=catalog.YAML_LOADER) or {}
    block = data.get(SETTINGS_KEY)
    if block is None:
        return None
    where = f"{path}: {SETTINGS_KEY}"
    if not isinstance(block, dict) or set(block) != {"raja"}:
        raise ValueError(f"{where}: odotettiin muotoa '{SETTINGS_KEY}: {{raja: {DEFAULT_THRESHOLD}}}', löytyi {block!r}. "
                         f"Suojausta ei voi poistaa tiedostossa; sisäiseen ajoon {ENV_OFF}=1.")
    raja = block["raja"]
    if isinstance(raja, bool) or not isinstance(raja, int) or raja < MINIMUM_THRESHOLD:
        raise ValueError(f"{where}.raja: odotettiin kokonaislukua, vähintään {MINIMUM_THRESHOLD} "
                         f"(Tilastokeskuksen kynnysarvosääntö 3–5), löytyi {raja!r}.")
    return raja


def settings(root: Path | str | None = None) -> Settings:
    """The threshold (organisaatio.yml `pienet_luvut: {raja: N}` of the project folder found by
    `paths.find_root`, else 5) and whether suppression is on (off only with
    HYTE_NB_EI_JULKAISTAVAKSI=1)."""
    on = not _switched_off(os.environ.get(ENV_OFF, ""))
    try:
        path = find_root(root) / SETTINGS_FILE
    except FileNotFoundError:
        return Settings(DEFAULT_THRESHOLD, on, "oletus (projektikansiota ei löytynyt)")
    threshold = _threshold_from(path) if path.exists() else None
    if threshold is None:
        return Settings(DEFAULT_THRESHOLD, on, "oletus")
    return Settings(threshold, on, f"{SETTINGS_FILE}: {SETTINGS_KEY}.raja")


def banner(config: Settings | None = None) -> str:
    """The notice every page of an internal run must carry (Markdown), or '' when suppression is on."""
    config = config or settings()
    if config.on:
        return ""
    return (f"**{NOT_FOR_PUBLICATION}.** Pienten lukujen suojaus on poistettu käytöstä ({ENV_OFF}=1): sivulla "
            f"voi näkyä alle {config.threshold} henkilön lukuja. Sivua ei saa julkaista eikä jakaa.")


def banner_html(config: Settings | None = None) -> str:
    """The same notice as an HTML block (class 'ei-julkaistavaksi'), or '' when suppression is on."""
    config = config or settings()
    if config.on:
        return ""
    return (f'<div class="ei-julkaistavaksi" role="alert"><strong>{NOT_FOR_PUBLICATION}</strong> – '
            f"pienten lukujen suojaus on poistettu käytöstä ({ENV_OFF}=1): sivulla voi näkyä alle "
            f"{config.threshold} henkilön lukuja. Sivua ei saa julkaista eikä jakaa.</div>")
