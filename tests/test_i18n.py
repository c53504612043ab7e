"""Every message template has its French translation, with the same placeholders, and the
French catalog holds nothing the code no longer says."""
from __future__ import annotations

import ast
import string

import yaml
from conftest import ROOT

from hdslint import i18n
from hdslint.model import PERIMETERS
from hdslint.rules import all_rules

PACKAGE = ROOT / "hdslint"


def _templates_in_code() -> dict:
    """{template: 'file:line'} of every _("...") call; a call whose first argument is not a
    string literal is an error (its text could not be translated)."""
    found, bad = {}, []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_":
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                arg = node.args[0] if node.args else None
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found.setdefault(arg.value, where)
                else:
                    bad.append(where)
    assert bad == [], f"_() needs a literal template (fixed texts from data go through i18n.text()): {bad}"
    return found


def _fixed_texts() -> set:
    """Texts translated where they are shown: rule metadata, perimeter names, checkov themes."""
    texts = set(PERIMETERS.values())
    for mod in all_rules():
        texts |= {mod.RULE.title, mod.RULE.remediation, mod.RULE.basis}
    themes = yaml.safe_load((ROOT / "policies" / "checkov" / "mapping.yaml").read_text(encoding="utf-8"))["themes"]
    for theme in themes.values():
        texts |= {theme["basis"], theme["remediation"]}
    return texts


def _fields(text: str) -> set:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_every_template_is_translated_with_the_same_placeholders():
    fr = i18n.catalog("fr")
    templates = _templates_in_code()
    missing = sorted(f"{where}: {t!r}" for t, where in templates.items() if t not in fr)
    assert missing == []
    wrong = sorted(t for t in templates if _fields(t) != _fields(fr[t]))
    assert wrong == []
    untranslated = sorted(t for t in _fixed_texts() if t not in fr)
    assert untranslated == []


def test_the_catalog_holds_nothing_stale():
    fr = i18n.catalog("fr")
    used = set(_templates_in_code()) | _fixed_texts()
    assert sorted(set(fr) - used) == []


def test_catalog_files_are_plain_string_maps():
    for path in sorted((PACKAGE / "i18n" / "fr").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert isinstance(data, dict) and data, path
        assert all(isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in data.items()), path


def test_language_is_scoped():
    with i18n.using("fr"):
        assert i18n.language() == "fr"
    assert i18n.language() == "en"
