"""Who may open the review (the table itself is :mod:`csu_console.core.roles`)."""

from __future__ import annotations

from csu_console.core.roles import Permission
from csu_console.ui.console.session import Session

#: Who may open the review: the supervisor's and the administrator's roles (the
#: operator reads the main courante of his alerts, not the room's indicators).
REVIEW_PERMISSIONS = (Permission.READ_LOGBOOK, Permission.VERIFY_LOGBOOK)


def may_review(session: Session) -> bool:
    """True when the person logged in may open the review."""
    return all(session.allowed(p) for p in REVIEW_PERMISSIONS)
