"""The inputs a reusable Terraform module leaves to its caller.

A directory that is a reusable module (required variables, no provider configuration, no
backend, called by nothing in the scan) is no deployment: a variable without a default has no
value until a caller gives one. Such a value is an Unknown whose reason is an `OpenInput`: the
reason says which input (`s3.region` for var.s3.region) it is, and since every reason built
from it keeps it as one of its values ("depends on a condition that is not known: ..."), the
analyses can tell, from any unknown verdict or location, which inputs decide it.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from hdslint.i18n import Joined, Msg, _


@dataclass(frozen=True)
class Input:
    """One input a reusable module leaves to its caller: var.<path>, declared by `variable`."""

    path: str  # region, or s3.region for an attribute of an object variable
    variable: str
    file: str
    line: int
    kind: str  # bool, number, string, list:<element>, any (no type), other
    validations: tuple[tuple[str, int], ...] = ()  # (file, line) of its variable's validation blocks


@dataclass(frozen=True)
class Admitted:
    """The candidate values of an input its validations admit (hdslint.formats.terraform.modules),
    the likeliest to break a fact first; `constrained` when a validation rejected a candidate."""

    values: tuple[Any, ...]
    constrained: bool
    validations: tuple[tuple[str, int], ...] = ()


class OpenInput(Msg):
    """The reason of a value a reusable module's caller gives: var.<path> (path: s3.region)."""

    __slots__ = ("path",)

    def __init__(self, path: str) -> None:
        said = _("var.{path} is an input of the module: its caller gives the value", path=path)
        super().__init__(said.template, said.values)
        self.path = path

    def __reduce__(self) -> tuple[type, tuple[str]]:
        return (OpenInput, (self.path,))


def open_inputs(reason: object) -> list[str]:
    """The inputs (paths) a reason names, in the order met, each once."""
    return list(dict.fromkeys(_walk(reason, 0)))


def _walk(reason: object, depth: int) -> Iterator[str]:
    if depth > 40 or not isinstance(reason, Msg):
        return
    if isinstance(reason, OpenInput):
        yield reason.path
        return
    if isinstance(reason, Joined):
        for part in reason.parts:
            yield from _walk(part, depth + 1)
        return
    for value in reason.values.values():
        yield from _walk(value, depth + 1)
