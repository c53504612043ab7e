"""The neutral model every stage shares: resources and where their data lives, values with
their resolution chains, problems met while reading, the rule contract and findings.

Nothing here reads a file or the knowledge: the model is what readers produce and rules read.
"""
from __future__ import annotations

from hdslint.model.findings import SEVERITIES, SEVERITY_RANK, Finding
from hdslint.model.perimeters import PERIMETERS
from hdslint.model.problems import InternalError, Problem
from hdslint.model.resources import Location, Place, Region, Resource, Undetermined, Value, strip_index
from hdslint.model.rule import Rule, line_within
from hdslint.model.values import Hop, TStr, Unknown

__all__ = [
    "PERIMETERS",
    "SEVERITIES",
    "SEVERITY_RANK",
    "Finding",
    "Hop",
    "InternalError",
    "Location",
    "Place",
    "Problem",
    "Region",
    "Resource",
    "Rule",
    "TStr",
    "Undetermined",
    "Unknown",
    "Value",
    "line_within",
    "strip_index",
]
