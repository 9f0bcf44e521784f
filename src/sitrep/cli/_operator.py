"""Who runs a command, as the records name them: "NAME (cli)" (the account audit, who
ingested a report)."""

from __future__ import annotations

import getpass


def operator_name() -> str:
    try:
        return f"{getpass.getuser()} (cli)"
    except (KeyError, OSError):  # no name for this uid (a bare container)
        return "(cli)"
