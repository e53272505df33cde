"""The HYTE report: its exports, catalogues, cleaning rules, figures, sections and sample."""
