"""Every relative link in README.md and docs/*.md leads to a file of the repository, and a link to a
heading of a Markdown page (`page.md#heading`) to a heading that page has, as GitHub names it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

_FENCE = re.compile(r"^\s*(```|~~~)")
_INLINE_CODE = re.compile(r"`+[^`]*`+")
_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)  # http:, https:, mailto:


def _prose_lines(text: str) -> list[tuple[int, str]]:
    """The page's lines outside fenced code blocks, numbered from 1 (a `# comment` in a shell block is
    not a heading, and a `[x](y)` in a code sample is not a link)."""
    lines, fenced = [], False
    for number, line in enumerate(text.splitlines(), start=1):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            lines.append((number, line))
    return lines


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, link and code markup dropped, punctuation other
    than '-' and '_' removed, each space a '-'."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)
    text = text.replace("`", "").strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(page: Path) -> set[str]:
    """Every heading's anchor, with GitHub's -1, -2 … for repeated headings."""
    seen: dict[str, int] = {}
    found = set()
    for _, line in _prose_lines(page.read_text(encoding="utf-8")):
        match = _HEADING.match(line)
        if not match:
            continue
        base = slug(match.group(2))
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def links(page: Path) -> list[tuple[int, str]]:
    """(line, target) of every link on the page, outside code."""
    found = []
    for number, line in _prose_lines(page.read_text(encoding="utf-8")):
        for match in _LINK.finditer(_INLINE_CODE.sub("", line)):
            found.append((number, match.group(1)))
    return found


def broken_links(page: Path, root: Path) -> list[str]:
    """Each relative link of `page` that leads nowhere: no such file, a file outside `root`, or a
    heading its Markdown page does not have."""
    problems = []
    for number, target in links(page):
        if _EXTERNAL.match(target):
            continue
        where = f"{page.relative_to(root)}:{number}: {target}"
        path_part, _, anchor = target.partition("#")
        destination = (page.parent / path_part).resolve() if path_part else page
        if not destination.is_relative_to(root):
            problems.append(f"{where}: outside the repository")
        elif not destination.exists():
            problems.append(f"{where}: no such file")
        elif anchor and destination.suffix == ".md" and anchor not in anchors(destination):
            problems.append(f"{where}: {destination.name} has no heading #{anchor}")
    return problems


@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(ROOT)))
def test_every_relative_link_leads_to_a_file_and_heading(page):
    assert broken_links(page, ROOT) == []


def test_docs_index_and_readme_list_every_page():
    index = {target.partition("#")[0] for _, target in links(ROOT / "docs" / "README.md")}
    readme = {target.partition("#")[0] for _, target in links(ROOT / "README.md")}
    for page in sorted((ROOT / "docs").glob("*.md")):
        if page.name == "README.md":
            continue
        assert page.name in index, f"docs/README.md does not list {page.name}"
        assert f"docs/{page.name}" in readme, f"README.md does not link docs/{page.name}"


def test_a_missing_file_or_heading_is_reported(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "there.md").write_text(
        "# Title\n\n## The journal: one per account\n\n## Faults\n\n## Faults\n")
    page = tmp_path / "README.md"
    page.write_text(
        "[ok](docs/there.md) [ok](docs/there.md#the-journal-one-per-account) [ok](docs/there.md#faults-1)\n"
        "[web](https://example.com/x.md) `[code](gone.md)`\n"
        "```sh\n[fenced](gone.md)\n```\n"
        "[gone](docs/gone.md) [no heading](docs/there.md#retries) [up](../elsewhere.md) [self](#nowhere)\n"
        "# Readme\n")
    assert broken_links(page, tmp_path) == [
        "README.md:6: docs/gone.md: no such file",
        "README.md:6: docs/there.md#retries: there.md has no heading #retries",
        "README.md:6: ../elsewhere.md: outside the repository",
        "README.md:6: #nowhere: README.md has no heading #nowhere",
    ]


@pytest.mark.parametrize(("heading", "anchor"), [
    ("IQM: creatives, updates, verification", "iqm-creatives-updates-verification"),
    ("Reading cells: numbers, TRUE/FALSE, postal codes", "reading-cells-numbers-truefalse-postal-codes"),
    ("Verified writes and the exact round trip (SmartyAds)", "verified-writes-and-the-exact-round-trip-smartyads"),
    ("`bulkops push`", "bulkops-push"),
    ("Ctrl-C: stopping a push", "ctrl-c-stopping-a-push"),
])
def test_anchor_names_are_githubs(heading, anchor):
    assert slug(heading) == anchor
