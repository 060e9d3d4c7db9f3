"""What every command tells its reader: progress lines, and the one-line failure."""


class BuildError(Exception):
    """A step failed; the message is the one line the reader sees."""


def say(message: str) -> None:
    """Progress output, flushed at once so long steps show as they happen."""
    print(message, flush=True)
