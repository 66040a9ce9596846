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
