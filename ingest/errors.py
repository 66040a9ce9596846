"""Named errors. The CLI turns each into one line on stderr."""


class CrosstrainError(Exception):
    """An error the user can act on; its message is shown as is."""


class DatabaseBusyError(CrosstrainError):
    """Another process holds the database for writing."""


class UnknownAthleteError(CrosstrainError):
    """No athlete of that name is in the database."""


class ImportFormatError(CrosstrainError):
    """A file is not in any format crosstrain reads."""


class ConfigError(CrosstrainError):
    """The settings file cannot be read."""


class FileFormatError(Exception):
    """An activity file that can't be read: truncated, corrupt, or with nothing recorded (that file's
    one line; the import goes on with the others)."""


def first_line(exc: BaseException) -> str:
    """The first line of an error's message, or its type's name when it has none: what a one-line
    error shows of a library's multi-line message."""
    text = str(exc)
    return text.splitlines()[0] if text.strip() else type(exc).__name__
