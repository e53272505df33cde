"""No personal data in a deliverable: names, contact details and identity codes out of quotes."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

# Finnish personal identity code: ddmmyy, century sign, individual number, check character.
HETU = re.compile(r"\b\d{6}[-+A-FU-Y]\d{3}[0-9A-Y]\b")
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
# Finnish phone numbers: 040 123 4567, 0401234567, +358 40 123 4567, 09-123 4567, (09) 1234 567.
PHONE = re.compile(r"(?<![\w])(?:\+358[\s-]?|\(?0)\d{1,3}\)?(?:[\s-]?\d){5,9}(?![\w])")

REPLACEMENTS = ((HETU, "[henkilötunnus poistettu]"), (EMAIL, "[sähköposti poistettu]"),
                (PHONE, "[puhelinnumero poistettu]"))


@cache
def name_pattern() -> re.Pattern:
    """A listed first name, and the capitalised word after it (the surname) if there is one."""
    path = Path(__file__).resolve().parent / "etunimet.txt"
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    names = sorted({n for line in lines for n in line.split()}, key=len, reverse=True)
    return re.compile(rf"\b(?:{'|'.join(names)})\b(?:\s+[A-ZÅÄÖ][a-zåäö]+(?:-[A-ZÅÄÖ][a-zåäö]+)?)?")


def redact(text: str) -> str:
    """Replace identity codes, email addresses, phone numbers and names with a marker."""
    for pattern, marker in REPLACEMENTS:
        text = pattern.sub(marker, text)
    return name_pattern().sub("[nimi poistettu]", text)


def contains_personal_data(text: str) -> bool:
    return any(pattern.search(text) for pattern, _ in REPLACEMENTS) or bool(name_pattern().search(text))
