"""One audit vocabulary per app: actions are named constants, each value used once."""

import ast
from collections import Counter
from pathlib import Path

import pytest

from ayni.core.vocabulary import event_constants

AYNI = Path(__file__).resolve().parents[2]
EVENT_APPS = {"access", "accounts", "boletas", "core", "documents", "legajo"}


def _is_text(node) -> bool:
    """A string literal, an f-string, or an expression that concatenates one."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return True
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _is_text(node.left) or _is_text(node.right)
    return False


def literal_actions(source: str, filename: str = "<código>") -> list[str]:
    """`record(...)` / `audit.record(...)` calls whose action is written as text."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name != "record":
            continue
        action = node.args[1] if len(node.args) > 1 else None
        for keyword in node.keywords:
            if keyword.arg == "action":
                action = keyword.value
        if action is not None and _is_text(action):
            found.append(f"{filename}:{node.lineno}")
    return found


def test_the_scanner_finds_literal_and_formatted_actions():
    source = (
        'record(user, "legajo.ver", legajo)\n'
        'audit.record(user, f"boleta.{kind}", boleta)\n'
        'audit.record(None, action="acceso." + kind)\n'
        "record(user, events.OWN_VIEWED, legajo)\n"
        "record(user, events.REPORT_ISSUED[kind], document)\n"
    )
    assert literal_actions(source) == ["<código>:1", "<código>:2", "<código>:3"]


def test_no_audit_call_in_the_code_writes_its_action_as_text():
    offenders = []
    for path in sorted(AYNI.rglob("*.py")):
        if "tests" in path.relative_to(AYNI).parts:
            continue
        offenders += literal_actions(path.read_text(encoding="utf-8"), str(path.relative_to(AYNI)))
    assert offenders == [], "Use the constant of the app's events.py: " + ", ".join(offenders)


def test_every_app_that_records_has_its_vocabulary():
    apps_with_events = {label for label, _name, _value in event_constants()}
    assert apps_with_events >= EVENT_APPS


@pytest.mark.parametrize("label", sorted(EVENT_APPS))
def test_event_values_are_namespaced_text(label):
    values = [value for app, _name, value in event_constants() if app == label]
    assert values and all(value == value.strip().lower() and "." in value for value in values)


def test_event_values_are_unique_across_apps():
    counts = Counter(value for _label, _name, value in event_constants())
    repeated = {
        value: [f"{label}.{name}" for label, name, v in event_constants() if v == value]
        for value, count in counts.items()
        if count > 1
    }
    assert repeated == {}
