"""The neutral resource model every reader produces and every check reads."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hdslint.i18n import Msg, Text
from hdslint.model.values import Hop, chain_of


@dataclass
class Region:
    """A location identifier found in a provider's region table."""

    provider: str
    code: str
    countries: tuple[str, ...]
    city: str = ""
    kind: str = "region"
    eea: bool = False
    note: str = ""
    parent: str = ""  # for a zone, the region it belongs to

    def describe(self, country_names: dict[str, str]) -> str:
        names = ", ".join(country_names.get(c, c) for c in self.countries)
        where = f"{self.city}, {names}" if self.city and len(self.countries) == 1 else names
        return f"{self.code} ({where})"


@dataclass
class Place:
    """Where (part of) a resource's data lives, and how hdslint knows."""

    region: Region
    role: str  # primary, replica, backup, failover, secondary, egress
    hops: tuple[Hop, ...]
    file: str
    line: int
    service: str = ""  # the endpoint's service (policies/endpoints.yaml) when a URL or host placed it
    setting: str = ""  # the variable or attribute that named it (env.SENTRY_DSN), when known

    @property
    def chain(self) -> Msg:
        return chain_of(self.hops)


@dataclass
class Undetermined:
    """Why hdslint cannot say where (part of) a resource's data lives."""

    reason: Text
    hops: tuple[Hop, ...]
    file: str
    line: int
    role: str = "primary"

    @property
    def chain(self) -> Msg:
        return chain_of(self.hops)


@dataclass
class Location:
    places: list[Place] = field(default_factory=list)
    undetermined: list[Undetermined] = field(default_factory=list)


@dataclass
class Value:
    """An attribute value with the line it is written on (None when the line is unknown)."""

    value: object
    file: str
    line: int | None


@dataclass
class Resource:
    """One resource instance, whatever the input format.

    `values(path)` returns the Values found at an attribute path such as
    "nodes[*].region" (empty when absent); formats implement it over their own data.
    """

    address: str
    type: str
    name: str
    file: str
    line: int
    end_line: int
    source_format: str  # terraform, terraform-plan, kubernetes, scalingo
    provider: str = ""  # provider local name (aws) or platform
    provider_address: str = ""  # provider.aws.dr
    catalog: str = ""  # provider id in the region tables and certification catalog
    mode: str = "managed"
    module: str = ""
    root: str = ""  # the Terraform root module directory, or the plan file: one deployment
    facts: dict[str, Any] | None = None
    data_role: str = "unknown"  # stores, processes, transits, none, unknown
    values: Callable[[str], list[Value]] = field(default=lambda path: [], repr=False)
    references: Callable[[str], set[str]] = field(default=lambda path: set(), repr=False)
    # the expression an attribute is written as, qualified by where it is evaluated (a module
    # instance): two resources naming a bucket with the same unresolved var.name share one
    expression: Callable[[str], str | None] = field(default=lambda path: None, repr=False)
    manifest: Any = field(default=None, repr=False)  # a Kubernetes object or a manifest, as read

    locator: Callable[[], Location] | None = field(default=None, repr=False)  # computes the location on first use
    _location: Location | None = field(default=None, repr=False)

    @property
    def location(self) -> Location:
        if self._location is None:
            self._location = self.locator() if self.locator is not None else Location()
        return self._location

    @location.setter
    def location(self, value: Location) -> None:
        self._location = value

    @property
    def key(self) -> tuple[str, str]:
        """How a finding names this resource: (its Terraform root, or "" for other formats; its address)."""
        return (self.root if self.source_format == "terraform" else "", self.address)

    @property
    def base_address(self) -> str:
        """The address without instance keys: module.db["a"].aws_x.y[0] -> module.db.aws_x.y"""
        return strip_index(self.address)

    def value(self, path: str, default: Any = None) -> Any:
        found = self.values(path)
        return found[0].value if found else default


def strip_index(address: str) -> str:
    out: list[str] = []
    depth = 0
    for ch in address:
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif depth == 0:
            out.append(ch)
    return "".join(out)
