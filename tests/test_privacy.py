import pytest

from hyte_nb.core.privacy import contains_personal_data, redact


@pytest.mark.parametrize("text", ["soita 040 123 4567", "numero 0401234567", "+358 40 123 4567", "puh. 09-123 4567",
                                  "maija.virtanen@example.fi", "hetu 131052-308T", "uusi 010101A123N"])
def test_personal_data_is_removed(text):
    assert contains_personal_data(text)
    assert not contains_personal_data(redact(text))


@pytest.mark.parametrize("text", ["Lapsi 10v on tykännyt", "Antalet ggr (15 lagom)", "vuonna 2024 noin 1 500 kertaa",
                                  "Olen jo melkein kolme vuotta saanut apua."])
def test_ordinary_numbers_stay(text):
    assert redact(text) == text
