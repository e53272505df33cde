"""Machinery every report shares: paths, catalogues, reading, cleaning, statistics,
Finnish formatting, privacy, charts and display."""
