"""The documentation keeps up with the code: every command and option of the CLI is in the
README's usage section, and every actor data file says what it holds and how to extend it.

Commands and options are read from the typer app itself, so a new one fails here until it
is documented.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import typer

from sitrep.actors import _dictionary
from sitrep.cli.app import app

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
ACTOR_DATA = ROOT / "src" / "sitrep" / "actors" / "data"
#: The commands whose every option the README must name.
DOCUMENTED_OPTIONS_OF = ("extract", "events", "show", "export")


def _usage_section() -> str:
    text = README.read_text(encoding="utf-8")
    match = re.search(r"^## Usage$(.*?)(?=^## |\Z)", text, re.MULTILINE | re.DOTALL)
    if match is None:
        pytest.skip("README.md has no '## Usage' section yet")
    return match.group(1)


def _commands() -> dict[str, Any]:
    """Every command line, "sitrep extract" or "sitrep gazetteer import", with its command."""
    found: dict[str, Any] = {}

    def walk(prefix: str, command: Any) -> None:
        subcommands = getattr(command, "commands", {})
        if not subcommands:
            found[prefix] = command
        for name, sub in subcommands.items():
            walk(f"{prefix} {name}", sub)

    walk("sitrep", typer.main.get_command(app))
    return found


def _options() -> list[tuple[str, str]]:
    """(command line, long option) for each option of the commands listed above."""
    commands = _commands()
    return [
        (f"sitrep {name}", option)
        for name in DOCUMENTED_OPTIONS_OF
        for param in commands[f"sitrep {name}"].params
        if param.param_type_name == "option"
        for option in param.opts
        if option.startswith("--")
    ]


def test_the_cli_is_read_from_the_app() -> None:
    commands = _commands()
    assert {"sitrep extract", "sitrep events", "sitrep show", "sitrep export"} <= set(commands)
    assert ("sitrep export", "--include-unlocated") in _options()


@pytest.mark.parametrize("command", _commands())
def test_every_command_is_in_the_readme(command: str) -> None:
    assert command in _usage_section(), f"`{command}` is not shown in README.md's usage"


@pytest.mark.parametrize(
    "command_option", [f"{command} {option}" for command, option in _options()]
)
def test_every_option_is_in_the_readme(command_option: str) -> None:
    option = command_option.rsplit(" ", 1)[1]
    # A word boundary: "--date" must not be found inside "--date-column".
    pattern = re.escape(option) + r"(?![\w-])"
    assert re.search(pattern, _usage_section()), f"{command_option} is not in README.md's usage"


def _header(path: Path) -> list[str]:
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            break
        lines.append(line.lstrip("# ").strip())
    return [line for line in lines if line]


@pytest.mark.parametrize("path", sorted(ACTOR_DATA.glob("*.yaml")), ids=lambda p: p.name)
def test_every_actor_data_file_says_what_it_is_and_how_to_extend_it(path: Path) -> None:
    header = _header(path)
    assert len(" ".join(header).split()) >= 15, f"{path.name} needs a header saying what it holds"
    assert any(line.startswith("To extend") for line in header), (
        f"{path.name}'s header must say how to extend it ('To extend: ...')"
    )


def test_every_actor_data_file_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """A YAML file the loader never opens would be documentation of nothing."""
    read: list[str] = []
    original = _dictionary._read_yaml

    def recording(name: str) -> dict[str, Any]:
        read.append(name)
        return original(name)

    monkeypatch.setattr(_dictionary, "_read_yaml", recording)
    _dictionary.load_dictionary.__wrapped__()
    assert sorted(set(read)) == sorted(path.name for path in ACTOR_DATA.glob("*.yaml"))
