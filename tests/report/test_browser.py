"""The HTML report in a real browser (headless Chromium): it loads with no console errors and no network
requests, holds every finding, and clicking a resource in the picture shows its findings. A screenshot
at 1,280 px width of each sample is kept in diagrams/ (rewritten with WAVALIDATE_UPDATE_SNAPSHOTS=1).

Skipped, saying why, where Chromium or selenium is missing; CI installs both (scripts/setup.sh).
"""
from __future__ import annotations

import glob
import os
import struct

import pytest

from wavalidate.configured import Settings, check
from wavalidate.htmlreport import build

from ..conftest import UPDATE
from . import browser

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SAMPLES = sorted(os.path.relpath(p, ROOT) for p in glob.glob(os.path.join(ROOT, "samples", "*.yaml")))
WIDTH = 1280

pytestmark = pytest.mark.skipif(bool(browser.missing()), reason=f"no browser: {browser.missing()}")


@pytest.fixture(scope="module")
def chromium():
    with browser.chromium(WIDTH) as driver:
        yield driver


def _page(sample: str, tmp_path) -> tuple[str, list]:
    """The page of a sample, named as the repository names it (run from its top)."""
    here = os.getcwd()
    os.chdir(ROOT)
    try:
        report, _, _ = check([sample], Settings(fail_on="never"))
    finally:
        os.chdir(here)
    path = tmp_path / (os.path.basename(sample) + ".html")
    path.write_text(build(report), encoding="utf-8")
    return path.as_uri(), report.findings


def _click(driver, element) -> None:
    """A real pointer click at the middle of the element's icon (or of the shape), where the user would."""
    from selenium.webdriver.common.actions.action_builder import ActionBuilder
    icons = element.find_elements("css selector", "image")
    target = icons[0] if icons else element
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", target)
    x, y = driver.execute_script("const r = arguments[0].getBoundingClientRect();"
                                 "return [r.left + r.width / 2, r.top + r.height / 2];", target)
    actions = ActionBuilder(driver)
    actions.pointer_action.move_to_location(int(x), int(y))
    actions.pointer_action.click()
    actions.perform()


@pytest.mark.parametrize("sample", SAMPLES, ids=os.path.basename)
def test_the_report_works_in_chromium(chromium, sample, tmp_path):
    url, findings = _page(sample, tmp_path)
    browser.requests(chromium)   # forget the browser's own start-up requests
    chromium.get(url)
    assert browser.console_errors(chromium) == []
    assert [u for u in browser.requests(chromium) if u != url and not u.startswith("data:")] == []
    shown = chromium.execute_script("return Array.from(document.querySelectorAll('.finding[id]'), "
                                    "e => [e.id, e.getAttribute('data-code')]);")
    assert sorted(code for _, code in shown) == sorted(f.code for f in findings)   # every finding, once
    assert len({fid for fid, _ in shown}) == len(findings)

    shapes = chromium.find_elements("css selector", ".picture .node.res")
    assert shapes, "the picture marks no resource"
    flagged = [f for f in findings if f.resource and f.pillar]
    clicked = 0
    for shape in shapes:
        index = shape.get_attribute("data-res").split()[0]
        name = chromium.execute_script(
            "return document.querySelector('#rf-0-' + arguments[0] + ' h3 code').textContent;", index)
        mine = [f for f in flagged if f.resource == name]
        if not mine:
            continue
        _click(chromium, shape)
        panel = chromium.find_element("id", f"rf-0-{index}")
        assert panel.is_displayed(), name
        for finding in mine:
            assert finding.code in panel.text
        clicked += 1
    if flagged and any(f.resource in _names(chromium) for f in flagged):
        assert clicked, "no resource with findings could be clicked"

    chromium.set_window_size(WIDTH, 900)
    height = chromium.execute_script("return document.documentElement.scrollHeight;")
    chromium.set_window_size(WIDTH, min(height, 12000))
    chromium.execute_script("window.scrollTo(0, 0);")
    shot = tmp_path / "shot.png"
    chromium.save_screenshot(str(shot))
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">I", data[16:20])[0] == WIDTH
    kept = os.path.join(ROOT, "diagrams", os.path.splitext(os.path.basename(sample))[0] + ".review.png")
    if UPDATE or not os.path.exists(kept):
        with open(kept, "wb") as handle:
            handle.write(data)
    chromium.set_window_size(WIDTH, 900)


def _names(driver) -> set:
    return set(driver.execute_script("return Array.from(document.querySelectorAll('.res-findings h3 code'), "
                                     "e => e.textContent);"))


def test_the_page_prints_to_pdf(chromium, tmp_path):
    """Printed, the page hides the click panels and keeps the findings (Chrome's own print to PDF)."""
    import base64
    url, findings = _page(SAMPLES[0], tmp_path)
    chromium.get(url)
    pdf = base64.b64decode(chromium.execute_cdp_cmd("Page.printToPDF", {"printBackground": True})["data"])
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    chromium.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert not chromium.find_element("css selector", ".panel").is_displayed()
        assert all(e.is_displayed() for e in chromium.find_elements("css selector", "article.finding"))
    finally:
        chromium.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def test_hostile_names_stay_text_in_the_browser(chromium, tmp_path, monkeypatch):
    """Names and reasons with markup, quotes and control characters run nothing and show as written."""
    from click.testing import CliRunner

    from wavalidate.cli import main

    from ..gate.test_suppress import RULES_FILE
    from .test_html import HOSTILE
    monkeypatch.chdir(tmp_path)
    (tmp_path / "arch.yaml").write_text(HOSTILE)
    CliRunner().invoke(main, ["report", "arch.yaml", "-o", "review.html", "--rules", RULES_FILE,
                              "--select", "SEC998,REL998"], catch_exceptions=False)
    chromium.get((tmp_path / "review.html").as_uri())
    assert browser.console_errors(chromium) == []
    assert chromium.execute_script("return document.querySelectorAll('script').length;") == 1
    assert chromium.execute_script("return document.querySelectorAll('img, b').length;") == 0
    text = chromium.find_element("tag name", "body").text
    assert "<script>alert('db')</script>" in text and "<img src=x onerror=alert(1)>" in text
    assert "\\x1b[31m" in text and "\\u202e" in text


def test_each_files_picture_has_its_own_panel(chromium, tmp_path):
    here = os.getcwd()
    os.chdir(ROOT)
    try:
        report, _, _ = check(SAMPLES[:2], Settings(fail_on="never"))
    finally:
        os.chdir(here)
    page = tmp_path / "two.html"
    page.write_text(build(report), encoding="utf-8")
    chromium.get(page.as_uri())
    second = [s for s in chromium.find_elements("css selector", "#picture-1 .node.res")]
    assert second
    _click(chromium, second[0])
    index = second[0].get_attribute("data-res").split()[0]
    assert chromium.find_element("id", f"rf-1-{index}").is_displayed()
    assert not any(e.is_displayed() for e in chromium.find_elements("css selector", "#panel-0 .res-findings"))
