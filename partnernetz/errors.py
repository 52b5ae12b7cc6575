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


class AccessFileError(PartnernetzError):
    """The access file cannot be used at all (missing, unreadable, not text)."""


class AccessValidationError(PartnernetzError):
    """The access file was read but has errors; ``report`` lists every one of them."""

    def __init__(self, report: ValidationReport) -> None:
        self.report = report
        super().__init__(report.format())
