"""The docs a newcomer and an operator read stay true to the code.

- README.md stays short and keeps the two commands CI runs (.ci/run);
- every relative link in README.md, docs/ and bench/README.md leads to a file;
- docs/operations.md names every environment variable the settings and the
  gunicorn configuration read;
- the backup commands in docs/operations.md use the flags the restore drill
  (tests/drills/test_backup_restore.py) runs for real.

Each check has a control that feeds it a broken input and sees it fail.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
OPERATIONS = ROOT / "docs" / "operations.md"
PAGES = [README, ROOT / "bench" / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

TWO_COMMANDS = ("python3 manage.py demo", "python3 manage.py test")


# --- README: short, with its two commands ---------------------------------------------


def test_readme_is_short_and_has_the_two_commands_ci_runs():
    text = README.read_text()
    assert len(text.splitlines()) <= 200, "README.md is for a first read: move detail to docs/"
    block = re.search(r"## Two commands\n.*?```sh\n(.*?)```", text, re.S)
    assert block, "README.md lost its 'Two commands' block"
    commands = [line.split("#")[0].strip() for line in block.group(1).splitlines()]
    assert commands == list(TWO_COMMANDS)
    ci = (ROOT / ".ci" / "run").read_text()
    for command in TWO_COMMANDS:
        assert command in ci, f".ci/run no longer runs the README's {command!r}"


# --- links ----------------------------------------------------------------------------

_LINK = re.compile(r"\]\(([^)\s]+)\)")


def broken_links(pages: list[Path], root: Path = ROOT) -> list[str]:
    """Relative links (anchors aside) whose file does not exist."""
    broken = []
    for page in pages:
        for target in _LINK.findall(page.read_text()):
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue
            path = target.split("#", 1)[0]
            if not (page.parent / path).exists():
                broken.append(f"{page.relative_to(root)}: {target}")
    return broken


def test_every_relative_link_leads_to_a_file():
    problems = broken_links(PAGES)
    assert not problems, "broken links:\n  " + "\n  ".join(problems)


def test_the_link_check_sees_a_broken_link(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("[ok](page.md) [gone](nowhere.md#x) [web](https://example.org) [here](#top)")
    assert broken_links([page], root=tmp_path) == ["page.md: nowhere.md#x"]


# --- environment variables ------------------------------------------------------------

_ENV_KWARG = re.compile(r"^\s+([A-Z][A-Z0-9_]+)=\(", re.M)
_ENV_CALL = re.compile(r"""\benv(?:\.[a-z]+)?\(\s*["']([A-Z][A-Z0-9_]+)["']""")
_OS_ENV = re.compile(r"""(?:os\.environ\.get|_int)\(\s*["']([A-Z][A-Z0-9_]+)["']""")


def environment_variables() -> set[str]:
    """Every variable marketplace/settings*.py and gunicorn_conf.py read."""
    names = set(_ENV_KWARG.findall((ROOT / "marketplace" / "settings_env.py").read_text()))
    for path in (ROOT / "marketplace").glob("settings*.py"):
        names |= set(_ENV_CALL.findall(path.read_text()))
    names |= set(_OS_ENV.findall((ROOT / "marketplace" / "gunicorn_conf.py").read_text()))
    return names


def undocumented(names: set[str], text: str) -> list[str]:
    return sorted(name for name in names if f"`{name}`" not in text)


def test_operations_names_every_environment_variable():
    names = environment_variables()
    assert {"DATABASE_URL", "SECRET_KEY", "MIDTRANS_SERVER_KEY", "WEB_CONCURRENCY"} <= names
    missing = undocumented(names, OPERATIONS.read_text())
    assert not missing, "docs/operations.md, 'Configuration', lacks: " + ", ".join(missing)


def test_the_variable_check_sees_a_missing_one():
    assert undocumented({"DEBUG", "NEW_SETTING"}, "| `DEBUG` | off |") == ["NEW_SETTING"]


# --- backups --------------------------------------------------------------------------


def _flags(tokens) -> set[str]:
    """Flags, with a value that names a file, URL or placeholder reduced to the flag."""
    return {
        t.split("=", 1)[0] if re.search(r"[{/$]", t) else t for t in tokens if t.startswith("--")
    }


def documented_flags(text: str, program: str) -> set[str]:
    section = text.split("## Backups", 1)[1].split("\n## ", 1)[0]
    command = re.search(rf"^{program} (.*?)(?:\n\n|\n```|\n[a-z]+ )", section, re.M | re.S)
    assert command, f"docs/operations.md's Backups section has no {program} command"
    return _flags(command.group(1).replace("\\\n", " ").split())


def test_backup_commands_are_the_ones_the_drill_runs():
    from tests.drills.test_backup_restore import BACKUP, RESTORE

    text = OPERATIONS.read_text()
    assert documented_flags(text, "pg_dump") == _flags(BACKUP)
    assert documented_flags(text, "pg_restore") == _flags(RESTORE)


def test_the_backup_check_sees_a_changed_flag():
    text = '## Backups\n\n```sh\npg_dump --format=plain \\\n  --file=/x.dump "$URL"\n```\n'
    assert documented_flags(text, "pg_dump") == {"--format=plain", "--file"}
    assert documented_flags(text, "pg_dump") != {"--format=custom", "--file"}
