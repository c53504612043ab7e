"""hdslint: HDS (Hébergement de Données de Santé) policy linter for infrastructure code."""

__version__ = "0.1.0"
