#!/usr/bin/env python3
"""Checks a `git coord report --html` page: it parses as HTML5 without a single parse error
(html5lib, strict), its SVG parses as XML, every in-page link has its target, and it loads
nothing from outside (no script, no external URL). Prints a JSON summary; exits 1 on a fault."""
import json
import re
import sys
import xml.etree.ElementTree as ET

import html5lib

SVG = "{http://www.w3.org/2000/svg}"


def main(path):
    doc = open(path, encoding="utf-8").read()
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    try:
        tree = parser.parse(doc)
    except Exception as e:  # html5lib raises ParseError at the first error in strict mode
        fail(f"not valid HTML5: {e} {parser.errors[:3]}")
    start, end = doc.find("<svg"), doc.find("</svg>")
    if start < 0 or end < 0:
        fail("no <svg> timeline")
    try:
        svg = ET.fromstring(doc[start:end + len("</svg>")])
    except ET.ParseError as e:
        fail(f"the SVG is not well-formed XML: {e}")
    ids = {e.get("id") for e in tree.iter() if e.get("id")}
    links = [e.get("href") for e in tree.iter() if e.get("href")]
    links += [e.get("href") for e in svg.iter(SVG + "a")]
    missing = sorted({h for h in links if h.startswith("#") and h[1:] not in ids})
    if missing:
        fail(f"links without a target: {missing[:5]}")
    if tree.find(".//script") is not None or re.search(r"<script", doc, re.I):
        fail("the page has a script")
    external = [u for u in re.findall(r"""(?:src|href)\s*=\s*["']([^"'#][^"']*)""", doc)] + re.findall(r"url\(|@import", doc)
    if external:
        fail(f"the page loads from outside: {external[:3]}")
    print(json.dumps({
        "ids": sorted(ids),
        "svgLinks": [e.get("href") for e in svg.iter(SVG + "a")],
        "svgTitles": sum(1 for _ in svg.iter(SVG + "title")),
        "svgElements": sum(1 for _ in svg.iter()),
        "title": tree.find(".//title").text,
    }))


def fail(message):
    print(message, file=sys.stderr)
    sys.exit(1)


if __name__ == "__main__":
    main(sys.argv[1])
