"""The package's own error types.

Every error Partnernetz raises on purpose is a :class:`PartnernetzError`. Its
message is complete and meant for the user: the CLI prints it and exits, the
app shows it with ``st.error``. Nobody should ever see a traceback.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from partnernetz.registry.report import ValidationReport


class PartnernetzError(Exception):
    """Base class of every error Partnernetz raises on purpose."""


class RegistryFileError(PartnernetzError):
    """The registry file cannot be used at all (missing, unreadable, not text)."""


class RegistryValidationError(PartnernetzError):
    """The registry was read but has errors; ``report`` lists every one of them."""

    def __init__(self, report: ValidationReport) -> None:
        self.report = report
        super().__init__(report.format())


class GazetteerError(PartnernetzError):
    """The gazetteer or population data is missing, broken, or lacks a key."""


class GeocodingError(PartnernetzError):
    """Online geocoding failed, or the geocode cache file is broken."""


class ExportError(PartnernetzError):
    """An export or report could not be written."""


class RegistryWriteError(PartnernetzError):
    """A change cannot be written (unknown partner, file locked, a layout the writer cannot edit)."""

    exit_code = 1


class EditConflictError(PartnernetzError):
    """The entry was changed by someone else since the form was opened.

    ``theirs`` is the entry as it is in the file now, ``yours`` the entry as
    this save would have written it (YAML text each; empty when absent).
    """

    exit_code = 3

    def __init__(self, message: str, *, partner_id: str | None, theirs: str, yours: str) -> None:
        self.partner_id = partner_id
        self.theirs = theirs
        self.yours = yours
        super().__init__(message)


class HistoryError(PartnernetzError):
    """The history beside the registry cannot be read or written."""


class ImportFileError(PartnernetzError):
    """A file to import cannot be used at all (missing, too big, not a table)."""

    exit_code = 2


class ImportRejectedError(PartnernetzError):
    """An import was refused as a whole (``--strict`` with rejected rows)."""

    exit_code = 1


class AccessFileError(PartnernetzError):
    """The access file cannot be used at all (missing, unreadable, not text)."""


class AccessValidationError(PartnernetzError):
    """The access file was read but has errors; ``report`` lists every one of them."""

    def __init__(self, report: ValidationReport) -> None:
        self.report = report
        super().__init__(report.format())


class RecheckError(PartnernetzError):
    """The re-check loop cannot do what was asked (state file, mail settings, sending)."""


class LinkError(PartnernetzError):
    """A confirmation link is wrong, expired, revoked or tampered with.

    ``reason`` is one of ``invalid``, ``expired``, ``revoked``, ``unknown``;
    the message is the short German text the answer page shows.
    """

    def __init__(self, reason: str, message: str) -> None:
        self.reason = reason
        super().__init__(message)


class OperationsError(PartnernetzError):
    """``init``, ``backup`` or ``doctor`` cannot do what was asked (file exists, bad archive …)."""

    exit_code = 2
