"""Every rendered page, as every role on demo data: nothing the CSP would refuse, and no
absolute URL built from the request's Host (behind a TLS proxy it would say http://)."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from tests.service.page_crawl import HOST, crawl

URL_ATTRIBUTES = {"a": "href", "form": "action", "link": "href", "script": "src", "img": "src"}
_crawled: dict[str, dict] = {}


@pytest.fixture
def rendered(engine, app, db):
    """{(role, url): html}: crawled once per engine, as the crawl takes a while."""
    key = str(engine.url)
    if key not in _crawled:
        _crawled[key] = crawl(app, db)
    return _crawled[key]


def inline_code(html: str) -> list[str]:
    """What a CSP without 'unsafe-inline' would refuse: <style>, inline <script>, style=, on*=."""
    found = []
    soup = BeautifulSoup(html, "html.parser")
    found += ["<style>" for _ in soup.find_all("style")]
    found += ["inline <script>" for s in soup.find_all("script") if not s.get("src")]
    for tag in soup.find_all(True):
        found += [f"<{tag.name} {a}=>" for a in tag.attrs if a == "style" or a.startswith("on")]
    found += re.findall(r"<style\b|\sstyle=|\son\w+=", html, re.IGNORECASE)
    return found


def test_crawl_covers_the_pages(rendered):
    roles = {role for role, _url in rendered}
    assert roles >= {"admin", "coordinator", "caseworker", "mentor", "finance"}
    urls = {url for _role, url in rendered}
    for sample in ("/logbog/", "/refusion/krav/", "/refusion/eksporter/", "/noegletal", "/tid"):
        assert any(u.startswith(sample) for u in urls), sample
    assert any(role == "mentor" and url.startswith("/logbog/") for role, url in rendered)
    assert len(rendered) > 100


def test_no_page_holds_inline_script_or_style(rendered):
    wrong = {key: found for key, html in rendered.items() if (found := inline_code(html))}
    assert not wrong, sorted(wrong.items())[:20]


def test_no_page_links_or_posts_to_an_absolute_url(rendered):
    wrong = set()
    for key, html in rendered.items():
        soup = BeautifulSoup(html, "html.parser")
        for name, attribute in URL_ATTRIBUTES.items():
            for tag in soup.find_all(name):
                value = tag.get(attribute) or ""
                if re.match(r"^\s*(https?:)?//", value, re.I):  # mailto: and tel: are fine
                    wrong.add((key[0], key[1], name, value))
        if HOST in html:  # the request's Host is never echoed into a page
            wrong.add((key[0], key[1], "host", HOST))
    assert not wrong, sorted(wrong)[:20]


def unreachable_scroll_boxes(html: str) -> list[str]:
    """The boxes that scroll a table sideways (.table-scroll, DKFDS's .table--responsive-scroll)
    that a keyboard cannot reach or a screen reader cannot name: each needs tabindex="0",
    role="region" and a name of its own on the page (aria-label or aria-labelledby)."""
    found = []
    names: set[str] = set()
    for box in BeautifulSoup(html, "html.parser").select(
        ".table-scroll, .table--responsive-scroll"
    ):
        name = str(box.get("aria-label") or box.get("aria-labelledby") or "").strip()
        if box.get("tabindex") != "0" or box.get("role") != "region" or not name:
            found.append(str(box).split(">", 1)[0] + ">")
        elif name in names:
            found.append(f"a second box named {name!r}")
        names.add(name)
    return found


def test_the_scroll_box_check_finds_a_box_out_of_reach_or_unnamed():
    good = '<div class="table-scroll" tabindex="0" role="region" aria-label="Job"></div>'
    assert unreachable_scroll_boxes(good) == []
    assert unreachable_scroll_boxes('<div class="table-scroll"><table></table></div>')
    assert unreachable_scroll_boxes(good.replace(' tabindex="0"', ""))
    assert unreachable_scroll_boxes(good.replace(' role="region"', ""))
    assert unreachable_scroll_boxes(good.replace('aria-label="Job"', 'aria-label=" "'))
    assert unreachable_scroll_boxes(good + good) == ["a second box named 'Job'"]
    dkfds = '<div class="table--responsive-scroll" tabindex="0" role="region" aria-labelledby="c">'
    assert unreachable_scroll_boxes(dkfds + "</div>") == []
    assert unreachable_scroll_boxes(dkfds.replace(' role="region"', "") + "</div>")


def test_every_table_scroll_box_is_a_labelled_region_in_the_tab_order(rendered):
    boxes = sum(html.count('class="table-scroll') for html in rendered.values())
    assert boxes > 20  # the check below has pages to look at
    wrong = {
        key: found for key, html in rendered.items() if (found := unreachable_scroll_boxes(html))
    }
    assert not wrong, sorted(wrong.items())[:20]
