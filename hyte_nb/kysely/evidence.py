"""What the survey's story may say of differences, decided by the tests in its appendix: a
difference between professional groups or between the years is called a difference only where
the test finds it statistically significant after Holm's adjustment; otherwise the sentence says
"ei tilastollisesti merkitsevä". The same sentences serve the section pages and the summary."""

from __future__ import annotations

from functools import partial

from hyte_nb.core import stats, texts
from hyte_nb.kysely import analysis as survey

_phrase = partial(texts.phrase, "kysely")  # a sentence of the survey's pages (hyte_nb/tekstit/kysely.md)


def group_sentence(differences: survey.GroupDifferences, year: int) -> str:
    """Did the professional groups answer differently? One sentence from the group tests."""
    tested, nominal, adjusted = differences.tested, differences.nominal, differences.adjusted
    if not tested:
        return _phrase("ryhmaerot_ei_voi_testata", vuosi=year)
    if adjusted:
        return _phrase("ryhmaerot_merkitsevia", eroja=len(adjusted), testeja=len(tested), kysymykset=", ".join(adjusted))
    if nominal:
        return _phrase("ryhmaerot_ei_holm", eroja=len(nominal), testeja=len(tested), kysymykset=", ".join(nominal))
    return _phrase("ryhmaerot_ei_eroja", testeja=len(tested))


def year_sentence(tests: list[stats.TestResult], year: int, previous_year: int) -> str:
    """Did the answers change since the previous survey? One sentence from the tests of change
    (Holm-adjusted together)."""
    tested = [r for r in tests if r.p == r.p]
    if not tested:
        return _phrase("vuosimuutos_ei_voi_testata", edellinen=previous_year)
    changed = [r.kysymys for r in tested if r.p_holm < stats.ALPHA]
    if not changed:
        return _phrase("vuosimuutos_ei_muutoksia", edellinen=previous_year, testeja=len(tested))
    return _phrase("vuosimuutos_muuttui", edellinen=previous_year, vuosi=year, muuttuneita=len(changed),
                   testeja=len(tested), kysymykset=", ".join(changed))
