"""Domain errors carry a Dutch message for the person who caused them."""

from __future__ import annotations


class DomainError(Exception):
    """A rule refused an action; `message` is shown to the user as it is."""

    status = 422
    title = "Dat kan niet"

    def __init__(self, message: str, *, status: int | None = None, title: str | None = None):
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status
        if title is not None:
            self.title = title


class PortfolioClosed(DomainError):
    """A student tried to change a closed (or stopped) portfolio."""

    status = 403
    title = "Portfolio afgesloten"


class Forbidden(DomainError):
    """This person may not do this to this object."""

    status = 403
    title = "Geen toegang"


class VersionConflict(DomainError):
    """Someone saved the item since this person loaded it."""

    status = 409
    title = "Conflict"


class FieldError(DomainError):
    """Bad input for one form field; the form shows `message` next to `field`."""

    def __init__(self, message: str, *, field: str):
        super().__init__(message)
        self.field = field
