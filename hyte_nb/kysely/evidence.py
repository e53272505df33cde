"""What the survey's story may say of differences, decided by the tests in its appendix: a
difference between professional groups or between the years is called a difference only where
the test finds it statistically significant after Holm's adjustment; otherwise the sentence says
"ei tilastollisesti merkitsevä". The same sentences serve the section pages and the summary."""

from __future__ import annotations

from hyte_nb.core import stats
from hyte_nb.kysely import analysis as survey


def group_sentence(differences: survey.GroupDifferences, year: int) -> str:
    """Did the professional groups answer differently? One sentence from the group tests."""
    tested, nominal, adjusted = differences.tested, differences.nominal, differences.adjusted
    if not tested:
        return f"Ammattiryhmien eroja ei voi testata vuoden {year} aineistosta."
    if adjusted:
        return (f"Ammattiryhmät erosivat tilastollisesti merkitsevästi myös monitestauskorjauksen jälkeen "
                f"{len(adjusted)} kysymyksessä {len(tested)}:sta ({', '.join(adjusted)}).")
    if nominal:
        return (f"Ammattiryhmien välillä ei ollut tilastollisesti merkitseviä eroja: {len(nominal)} kysymyksen "
                f"{len(tested)}:sta ero ({', '.join(nominal)}) ei ole tilastollisesti merkitsevä, kun otetaan "
                f"huomioon, että kysymyksiä testattiin {len(tested)} (Holmin korjaus).")
    return (f"Ammattiryhmien välillä ei ollut tilastollisesti merkitseviä eroja yhdessäkään {len(tested)} "
            f"kysymyksestä.")


def year_sentence(tests: list[stats.TestResult], year: int, previous_year: int) -> str:
    """Did the answers change since the previous survey? One sentence from the tests of change
    (Holm-adjusted together)."""
    tested = [r for r in tests if r.p == r.p]
    if not tested:
        return f"Vuoden {previous_year} kyselyn kanssa vertailtavia vastauksia ei ole, joten muutosta ei voi testata."
    changed = [r.kysymys for r in tested if r.p_holm < stats.ALPHA]
    if not changed:
        return (f"Vastausten jakaumat eivät muuttuneet vuodesta {previous_year}: yksikään {len(tested)} vertaillun "
                f"kysymyksen tai väittämän muutos ei ole tilastollisesti merkitsevä (Holmin korjaus).")
    return (f"Vastausten jakauma muuttui vuodesta {previous_year} vuoteen {year} tilastollisesti merkitsevästi "
            f"{len(changed)} kysymyksessä {len(tested)}:sta ({', '.join(changed)}); muiden muutokset eivät ole "
            f"tilastollisesti merkitseviä.")
