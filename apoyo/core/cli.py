"""Helpers shared by the batch commands of CONTRACT.md."""

import sys


class CommandFailed(SystemExit):
    """Raised by a command whose input as a whole is unusable: one Spanish line on stderr, exit 1."""

    def __init__(self, message):
        super().__init__(1)
        self.message = message


def fail(message):
    sys.stderr.write(f"Error: {message}\n")
    raise CommandFailed(message)
