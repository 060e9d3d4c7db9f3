"""What every command tells its reader: progress lines, and the one-line failure."""
import os


class BuildError(Exception):
    """A step failed; the message is the one line the reader sees."""


def say(message: str) -> None:
    """Progress output, flushed at once so long steps show as they happen (one write per line, so
    lines from parallel workers never run into each other)."""
    print(message + "\n", end="", flush=True)


def verbose() -> bool:
    """True when the reader asked for tracebacks and full logs (``VERBOSE`` set, and not to 0)."""
    return os.environ.get("VERBOSE", "").strip().lower() not in ("", "0", "false", "no", "off")
