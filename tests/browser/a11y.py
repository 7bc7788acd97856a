"""What the accessibility tests and `make screenshots` share: the sizes, the pages of each
role, axe-core (vendored in tests/browser/vendor/) and the layout checks run in the page.

- `role_urls(server)`: every GET page route of the app with real ids (tests/service/
  page_crawl.py), the same list for each demo role; a role's 403 answers are skipped by the
  caller after the first, which is checked like any page.
- `run_axe(page)`: axe-core's violations on the page as it stands, with its default rules.
- `wide_tables(page)`: the visible tables that scroll (or stick out) sideways.
- `bad_checkboxes(page)`: the visible checkboxes and radios with no box of their own in the
  viewport beside their label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import ViewportSize
from sqlmodel import Session

from tests.browser.conftest import LiveServer
from tests.service.page_crawl import concrete_urls, page_routes

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
DESK: ViewportSize = {"width": 1280, "height": 800}
PHONE: ViewportSize = {"width": 390, "height": 844}
SIZES: dict[str, ViewportSize] = {"1280": DESK, "390": PHONE}
# Pages for anyone, logged in or not.
ANONYMOUS_URLS = ["/log-ind", "/findes-ikke"]


@dataclass(frozen=True)
class Finding:
    """One problem on one page at one size: what (rule or check), how bad, where."""

    url: str
    size: str
    rule: str
    impact: str
    target: str
    help: str = ""

    def __str__(self) -> str:
        return f"{self.url} @{self.size}: {self.rule} ({self.impact}) {self.target} {self.help}"


def role_urls(server: LiveServer) -> list[str]:
    """Every page route with real ids (and the crawl's query variants), on the live demo.

    A route is visited with its first id only (another mentor or absence renders the same
    template), but with a referral of each status (each renders its own sections). The
    crawl queues one workbook export, so that its progress page has an id.
    """
    with Session(server.engine) as session:
        urls = concrete_urls(server.app, session)
        session.commit()
    patterns = [
        (re.compile("^" + re.sub(r"\\\{\w+\\\}", "[0-9]+", re.escape(path)) + "$"), path)
        for path, params in page_routes(server.app).items()
        if params and "referral_id" not in params
    ]
    chosen, routes = [], set()
    for url in urls:
        route = next((path for regex, path in patterns if regex.match(url)), url)
        if route not in routes:
            routes.add(route)
            chosen.append(url)
    return chosen


def load_axe(page) -> None:
    """Put axe-core into the page. Run as the page's own evaluation (Playwright's, which a
    Content-Security-Policy without 'unsafe-eval' does not refuse), not as an inline
    <script>, which the app's `script-src 'self'` refuses."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))


def run_axe(page, url: str, size: str) -> list[Finding]:
    """axe-core's violations on the page, one Finding per element."""
    load_axe(page)
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [
        Finding(
            url,
            size,
            violation["id"],
            violation.get("impact") or "",
            " ".join(str(t) for t in node["target"]),
            violation["help"],
        )
        for violation in result
        for node in violation["nodes"]
    ]


def _describe_js() -> str:
    return """
    const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
        + (typeof el.className === 'string' && el.className.trim()
           ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
        + (el.name ? '[name=' + el.name + ']' : '');
    const shown = (el) => el.checkVisibility({checkOpacity: false, checkVisibilityCSS: true});
    """


# A table too wide: it, or the box that scrolls it, is wider than it shows, or it sticks
# out of the viewport.
WIDE_TABLES = (
    "() => {"
    + _describe_js()
    + """
  const found = [];
  for (const table of document.querySelectorAll('table')) {
    if (!shown(table)) continue;
    const boxes = [table];
    for (let p = table.parentElement; p && p !== document.body; p = p.parentElement) {
      const x = getComputedStyle(p).overflowX;
      if (x === 'auto' || x === 'scroll' || x === 'hidden') boxes.push(p);
    }
    const wide = boxes.find((box) => box.scrollWidth > box.clientWidth + 1);
    if (wide) {
      found.push([describe(table), describe(wide) + ' scrolls: ' + wide.scrollWidth
                  + 'px in ' + wide.clientWidth + 'px']);
      continue;
    }
    const right = table.getBoundingClientRect().right;
    if (right > document.documentElement.clientWidth + 1) {
      found.push([describe(table), 'ends at ' + Math.round(right) + 'px, beyond the page']);
    }
  }
  return found;
}"""
)

# A checkbox or radio that is shown (not in a closed or hidden part of the page) needs a
# box of its own in the viewport (non-zero, not off the page's sides or above it), beside
# its label. Its box is the input itself when drawn (opacity above 0); else the box the
# label draws with ::before (DKFDS: the input is invisible, at the same place, under it).
BAD_CHECKBOXES = (
    "() => {"
    + _describe_js()
    + """
  const found = [];
  const width = document.documentElement.clientWidth;
  const inputs = document.querySelectorAll('input[type=checkbox], input[type=radio]');
  for (const input of inputs) {
    if (!shown(input)) continue;
    const name = describe(input);
    const r = input.getBoundingClientRect();
    const top = r.top + window.scrollY;
    if (r.width < 1 || r.height < 1) { found.push([name, 'has no size']); continue; }
    if (r.left < 0 || r.right > width + 1 || top < 0) {
      found.push([name, 'lies outside the viewport at x=' + Math.round(r.left)
                  + ', y=' + Math.round(top)]);
      continue;
    }
    const label = input.labels && input.labels[0];
    const drawn = parseFloat(getComputedStyle(input).opacity) > 0;
    if (!drawn) {
      const before = label ? getComputedStyle(label, '::before') : null;
      const box = before && before.content !== 'none' && before.content !== 'normal'
        && parseFloat(before.width) > 0 && parseFloat(before.height) > 0
        && before.borderStyle !== 'none';
      if (!box) { found.push([name, 'is invisible and its label draws no box']); continue; }
    }
    if (!label) {
      if (!input.getAttribute('aria-label') && !input.getAttribute('aria-labelledby')) {
        found.push([name, 'has no label']);
      }
      continue;
    }
    const l = label.getBoundingClientRect();
    const gap = Math.max(l.left - r.right, r.left - l.right, l.top - r.bottom, r.top - l.bottom);
    if (gap > 24) {
      found.push([name, 'is ' + Math.round(gap) + 'px away from its label']);
    }
  }
  return found;
}"""
)


def wide_tables(page, url: str, size: str) -> list[Finding]:
    return [
        Finding(url, size, "table-scrolls-sideways", "serious", target, detail)
        for target, detail in page.evaluate(WIDE_TABLES)
    ]


def bad_checkboxes(page, url: str, size: str) -> list[Finding]:
    return [
        Finding(url, size, "checkbox-box", "serious", target, detail)
        for target, detail in page.evaluate(BAD_CHECKBOXES)
    ]


def report(findings: list[Finding]) -> str:
    """The findings by page, for an assertion message."""
    lines = [f"{len(findings)} finding(s):"]
    lines += sorted({str(f) for f in findings})
    return "\n".join(lines)
