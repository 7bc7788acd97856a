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
