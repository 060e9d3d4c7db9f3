"""The command line: ``python -m compendium --help`` lists every command, each command has its
own ``--help`` with its own options, and a usage error is one line with exit status 2."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

from compendium.book.cli import parser


def compendium(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "compendium", *arguments], capture_output=True, text=True)


def subcommands() -> dict[str, object]:
    """The subcommands as the parser declares them, with their parsers."""
    actions = [a for a in parser()._actions if a.dest == "command"]
    return dict(actions[0].choices)


def test_help_lists_every_command():
    done = compendium("--help")
    assert done.returncode == 0
    listed = [line.split()[0] for line in done.stdout.splitlines() if re.match(r"    \S", line)]
    assert listed == list(subcommands())


@pytest.mark.parametrize("command", list(subcommands()))
def test_each_command_has_its_own_help_with_its_own_options(command):
    done = compendium(command, "--help")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"usage: python -m compendium {command}")
    own = {option for action in subcommands()[command]._actions for option in action.option_strings} - {"-h", "--help"}
    shown = set(re.findall(r"(?<![\w-])--?[a-z][\w-]*", done.stdout.replace("python -m", ""))) - {"-h", "--help"}
    assert shown == own  # its own options, none of another command's


@pytest.mark.parametrize("arguments, message", [
    (["chapter", "results", "--edition", "teacher"], "argument --edition: invalid choice: 'teacher'"),
    (["serve", "--port", "x"], "argument --port: invalid int value: 'x'"),
    (["bogus"], "argument COMMAND: invalid choice: 'bogus'"),
    (["build", "--name", "x"], "unrecognized arguments: --name x"),
])
def test_a_usage_error_is_one_line_with_status_2(arguments, message):
    done = compendium(*arguments)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and message in done.stderr, done.stderr
