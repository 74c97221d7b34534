"""`wavalidate report FILE... -o review.html`: the review to hand round at a design-review meeting.

`build` gathers what the page shows (pictures from `wavalidate.render`, which imports `diagrams` only
when drawing; the requirements each finding rests on), and `page.render` writes it out.
"""
from __future__ import annotations

import functools
from typing import Any, Optional

from ..findings import Report
from .page import FilePicture, Page, esc, render

__all__ = ["build", "esc", "FilePicture", "Page", "render"]


def build(report: Report, review: Optional[Any] = None, pictures: bool = True) -> str:
    """The HTML page of a checked report (and of a diff.Review against a ref, when given)."""
    from ..results import architecture_of
    from .triggers import triggers
    drawn: list[FilePicture] = []
    needs: dict = {}
    for index, file in enumerate(report.files):
        result = report.results.get(file)
        arch = result.architecture if result is not None else None
        if result is None or result.document is None or arch is None:
            drawn.append(FilePicture(file, None, "no picture: the file has input errors"))
            continue
        mine = [f for f in report.findings if f.file == file]
        picture = FilePicture(file, None, "pictures were not asked for")
        if pictures:
            from .picture import svg
            picture.svg, picture.note = svg(arch, mine, picture.resources, index)
        drawn.append(picture)
        fresh = functools.partial(architecture_of, result.document, result.requirements)
        found = triggers(fresh, report.rules, mine)
        needs.update({(file, code, path): values for (code, path), values in found.items()})
    return render(Page(report, drawn, needs, review))
