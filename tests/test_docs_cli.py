"""docs/cli.md describes the command line as it is: walking click's command tree, every command has
its section (headed `## `bulkops CMD``), and every option and argument of it is named there; every
option in a section's tables is one the command has."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from bulkops.cli import cli

CLI_PAGE = Path(__file__).resolve().parent.parent / "docs" / "cli.md"
_SECTION = re.compile(r"^## `([\w-]+(?: [\w-]+)*)`\s*$", re.MULTILINE)
_OPTION = re.compile(r"(?<![\w-])--?[A-Za-z][\w-]*")


def commands(command: click.Command, path: str = "bulkops") -> Iterator[tuple[str, click.Command]]:
    """Every command under `command`, by its full name, through list_commands/get_command so that a
    group that loads its commands lazily is walked too."""
    yield path, command
    if isinstance(command, click.Group):
        context = click.Context(command, info_name=path)
        for name in command.list_commands(context):
            sub = command.get_command(context, name)
            if sub is not None and not sub.hidden:
                yield from commands(sub, f"{path} {name}")


def sections(text: str) -> dict[str, str]:
    """Each `## `bulkops …`` section's text, up to the next second-level heading."""
    found = {}
    for match in _SECTION.finditer(text):
        rest = text[match.end():]
        end = re.search(r"^## ", rest, re.MULTILINE)
        found[match.group(1)] = rest[: end.start()] if end else rest
    return found


def mentions(section: str, word: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", section) is not None


def table_options(section: str) -> set[str]:
    """The options named in the first column of the section's tables."""
    found = set()
    for line in section.splitlines():
        if line.startswith("|") and not set(line) <= set("|-: "):
            found.update(_OPTION.findall(line.split("|")[1]))
    return found


def missing(command: click.Command, section: str | None) -> list[str]:
    """What of `command` the section does not name: its options (every spelling) and arguments."""
    if section is None:
        return ["its section"]
    gaps = []
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden:
            gaps += [name for name in (*param.opts, *param.secondary_opts) if not mentions(section, name)]
        elif isinstance(param, click.Argument) and not mentions(section, param.human_readable_name):
            gaps.append(param.human_readable_name)
    return gaps


def unknown(command: click.Command, section: str) -> set[str]:
    known = {name for param in command.params for name in (*param.opts, *param.secondary_opts)}
    known |= {"-h", "--help"}
    return table_options(section) - known


DOCUMENTED = sections(CLI_PAGE.read_text(encoding="utf-8"))
COMMANDS = dict(commands(cli))


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_and_option_is_in_docs_cli(name):
    assert missing(COMMANDS[name], DOCUMENTED.get(name)) == [], f"docs/cli.md, `{name}`"


@pytest.mark.parametrize("name", sorted(DOCUMENTED))
def test_docs_cli_names_only_real_commands_and_options(name):
    assert name in COMMANDS, f"docs/cli.md has a section for {name}, which is not a command"
    assert unknown(COMMANDS[name], DOCUMENTED[name]) == set()


@click.group()
def _toy() -> None:
    """A command tree to show the checks fail."""


@_toy.command("push")
@click.argument("files", nargs=-1)
@click.option("--rate-limit", "-r", type=int)
@click.option("--dry/--no-dry")
def _push(files, rate_limit, dry) -> None:
    """Push."""


def test_a_missing_command_option_or_argument_is_reported():
    tree = dict(commands(_toy, "toy"))
    assert sorted(tree) == ["toy", "toy push"]
    push = tree["toy push"]
    page = sections("## `toy`\n\nall\n\n## `toy push`\n\n| `--rate-limit N` | |\n| `--gone` | |\n\n"
                    "## Exit codes\n\n`-r` and `--dry` and FILES\n")
    assert missing(push, page["toy push"]) == ["FILES", "-r", "--dry", "--no-dry"]
    assert unknown(push, page["toy push"]) == {"--gone"}
    assert missing(push, None) == ["its section"]
    full = "| `--rate-limit N`, `-r N` | FILES |\n| `--dry`, `--no-dry` | |\n"
    assert missing(push, full) == [] and unknown(push, full) == set()
