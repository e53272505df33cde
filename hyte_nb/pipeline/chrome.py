"""What the `hyte` template shows around every rendered page, found when nbconvert renders it:
an nbconvert preprocessor that the template registers (templates/hyte/conf.json), kept apart
from hyte_nb.pipeline.index so that the build imports nbconvert only when it renders a page.

When small-count suppression is switched off for an internal run (HYTE_NB_EI_JULKAISTAVAKSI=1,
which the build's kernels inherit), every page carries the banner "EI JULKAISTAVAKSI" at its
top, beside the sample banner."""

from __future__ import annotations

import os
from pathlib import Path

from nbconvert.preprocessors import Preprocessor

from hyte_nb.pipeline import declared
from hyte_nb.pipeline.index import page_links, trends_chrome
from hyte_nb.core import suppression_settings


def _project_root(papermill: dict) -> Path | None:
    """The project folder of an executed notebook: the build runs notebooks from
    <project>/notebooks/ and tells the kernel the project in HYTE_NB_ROOT."""
    candidates = []
    if papermill.get("input_path"):
        candidates.append(Path(papermill["input_path"]).parent.parent)
    if os.environ.get("HYTE_NB_ROOT"):
        candidates.append(Path(os.environ["HYTE_NB_ROOT"]))
    return next((c for c in candidates if (c / declared.REPORTS_FILE).exists()), None)


class PageChrome(Preprocessor):
    """Puts into the notebook's metadata what the `hyte` template shows around the page: the
    report's name and index, the previous and next page, an incomplete year's period, the
    sample banner, the banner of a page whose small counts are not suppressed, and the title."""

    def preprocess(self, nb, resources):
        papermill = nb.metadata.get("papermill") or {}
        root = _project_root(papermill)
        # Not for publication: on every page, whatever else is known about it.
        unsuppressed = suppression_settings.banner_html(suppression_settings.settings(root))
        if unsuppressed:
            nb.metadata["hyte_sivu"] = {"ylaosa": unsuppressed, "alaosa": ""}
        output = papermill.get("output_path")
        params = papermill.get("parameters") or {}
        trends = declared.trends(root) if root is not None else None
        if trends is not None and output and Path(output).stem == trends.page:
            header, footer = trends_chrome(root, trends.title)
            nb.metadata["hyte_sivu"] = {"ylaosa": header + unsuppressed, "alaosa": footer}
            nb.metadata["title"] = f"{trends.title} – {declared.publisher(root)}"
            return nb, resources
        if root is None or not output or "vuosi" not in params:
            return nb, resources
        try:
            links = page_links(root, int(params["vuosi"]), Path(output).stem, params.get("raakadata_kansio"),
                               params.get("kasitelty_kansio"))
        except (FileNotFoundError, ValueError):
            return nb, resources
        if links is not None:
            nb.metadata["hyte_sivu"] = {"ylaosa": links.header() + unsuppressed, "alaosa": links.footer()}
            nb.metadata["title"] = f"{links.title} – {links.report_title}"
        return nb, resources
