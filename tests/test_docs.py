"""The README leads, its Spanish twin keeps in step, and docs/ cannot go stale."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tap_wolkvox import __version__
from tap_wolkvox.catalogue import REPORTS

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
README_ES = ROOT / "README.es.md"
LINK = re.compile(r"\]\(([^)#\s]*)(#[^)\s]*)?\)")


def headings(text: str) -> list[tuple[int, str]]:
    """(level, title) of each Markdown heading outside code blocks."""
    found, fenced = [], False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and (match := re.match(r"(#+) (.*)", line)):
            found.append((len(match[1]), match[2]))
    return found


def code_lines(text: str) -> list[str]:
    """The lines of every fenced code block, without comments (those are translated)."""
    lines, fenced = [], False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif fenced:
            lines.append(re.sub(r"\s+#.*$", "", line).rstrip())
    return lines


def anchor(title: str) -> str:
    """GitHub's anchor for a heading."""
    return "#" + re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-")


def test_the_generated_tables_in_docs_are_current() -> None:
    done = subprocess.run(
        [sys.executable, ROOT / "scripts/docs.py", "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_the_readme_is_short_and_its_contents_list_its_sections() -> None:
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 250
    sections = [title for level, title in headings(text) if level == 2]
    assert sections[0] == "Contents"
    contents = text.split("## Contents\n", 1)[1].split("\n## ", 1)[0]
    assert re.findall(r"\]\((#[^)]+)\)", contents) == [anchor(s) for s in sections[1:]]
    # the two set-up commands come first
    assert code_lines(text)[:2] == ["bash scripts/demo.sh", "bash scripts/test.sh"]
    assert f"Version {__version__};" in text
    assert f"Versión {__version__};" in README_ES.read_text(encoding="utf-8")


def test_the_spanish_readme_has_the_same_sections_and_commands() -> None:
    english, spanish = README.read_text(encoding="utf-8"), README_ES.read_text(encoding="utf-8")
    assert [level for level, _ in headings(spanish)] == [level for level, _ in headings(english)]
    contents = spanish.split("\n## ", 2)[1]
    sections = [title for level, title in headings(spanish) if level == 2][1:]
    assert re.findall(r"\]\((#[^)]+)\)", contents) == [anchor(s) for s in sections]
    assert code_lines(spanish) == code_lines(english)


def test_the_streams_the_readmes_name_exist() -> None:
    streams = {r.stream for r in REPORTS}
    for readme in (README, README_ES):
        section = readme.read_text(encoding="utf-8").split("\n## ")[4]
        table = "\n".join(line for line in section.splitlines() if line.startswith("|"))
        named = set(re.findall(r"`([a-z_0-9]+)` \(", table)) | {"agents", "skills", "campaigns"}
        assert named <= streams, named - streams
        assert len(named) >= 10


def test_every_relative_link_points_at_a_file() -> None:
    pages = [README, README_ES, ROOT / "CHANGELOG.md", *sorted((ROOT / "docs").glob("*.md"))]
    for page in pages:
        for target, _ in LINK.findall(page.read_text(encoding="utf-8")):
            if not target or target.startswith(("http://", "https://")):
                continue
            path = (page.parent / target).resolve()
            assert path.exists(), f"{page.name}: {target}"


def test_the_docs_index_lists_every_page() -> None:
    index = (ROOT / "docs/README.md").read_text(encoding="utf-8")
    pages = {p.name for p in (ROOT / "docs").glob("*.md")} - {"README.md"}
    assert {p for p in pages if f"]({p})" not in index} == set()
