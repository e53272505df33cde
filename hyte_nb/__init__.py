"""hyte_nb: shared helpers for the notebooks that rebuild annual hyte reports."""

__version__ = "0.1.0"
