"""What an analysis may read of the scan: the resources, the configuration, the scan date and
the verdicts already made. The engine's ScanContext (hdslint.rules.context) is one."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Protocol

from hdslint.config import Config
from hdslint.model import Resource

if TYPE_CHECKING:
    from hdslint.analysis.protection import Verdict


class ScanView(Protocol):
    resources: list[Resource]
    config: Config
    today: dt.date

    def verdict(self, res: Resource, kind: str) -> Verdict | None: ...
