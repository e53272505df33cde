"""No personal data in a deliverable: contact details and identity codes out of quotes."""

from __future__ import annotations

import re

# Finnish personal identity code: ddmmyy, century sign, individual number, check character.
HETU = re.compile(r"\b\d{6}[-+A-FU-Y]\d{3}[0-9A-Y]\b")
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
# Finnish phone numbers: 040 123 4567, 0401234567, +358 40 123 4567, 09-123 4567, (09) 1234 567.
PHONE = re.compile(r"(?<![\w])(?:\+358[\s-]?|\(?0)\d{1,3}\)?(?:[\s-]?\d){5,9}(?![\w])")

REPLACEMENTS = ((HETU, "[henkilötunnus poistettu]"), (EMAIL, "[sähköposti poistettu]"),
                (PHONE, "[puhelinnumero poistettu]"))


def redact(text: str) -> str:
    """Replace identity codes, email addresses and phone numbers with a marker."""
    for pattern, marker in REPLACEMENTS:
        text = pattern.sub(marker, text)
    return text


def contains_personal_data(text: str) -> bool:
    return any(pattern.search(text) for pattern, _ in REPLACEMENTS)
