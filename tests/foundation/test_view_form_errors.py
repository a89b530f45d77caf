"""A view saves a form with `accounts.form_helpers.save_form` (or `save_then_redirect`), which
puts a service's ValidationError next to the fields it names. A view that writes its own
`try: ... except ValidationError` and then hands the error to the form (`apply_errors`,
`form.add_error`) repeats that step, and the copies drift apart (CONTRIBUTING.md, "Views").

Told apart by the shape of the code, not by a list: a handler that reports the refusal
another way (a message for a bulk action, a delete or a move; an error page; the error
dict of a question set that is not a Django form) is not the form pattern and is allowed."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOT_PRODUCT = {".venv", "tests", "migrations", "node_modules", "var"}
# Calls that put an exception's messages on a form.
ONTO_A_FORM = {"apply_errors", "add_error"}


def _view_modules() -> list[Path]:
    return sorted(
        path
        for path in ROOT.rglob("*.py")
        if not NOT_PRODUCT & set(path.relative_to(ROOT).parts)
        and ("views" in path.parent.parts or path.name == "views.py")
    )


def _catches_validation_error(handler: ast.ExceptHandler) -> bool:
    caught = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(
        (isinstance(name, ast.Name) and name.id == "ValidationError")
        or (isinstance(name, ast.Attribute) and name.attr == "ValidationError")
        for name in caught
    )


def _called_names(nodes: list[ast.stmt]) -> set[str]:
    names = set()
    for node in ast.walk(ast.Module(body=nodes, type_ignores=[])):
        if isinstance(node, ast.Call):
            func = node.func
            names.add(func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", ""))
    return names


def hand_written_form_saves(source: str) -> list[int]:
    """The lines of each `try` whose `except ValidationError` puts the error on a form."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Try) and any(
            _catches_validation_error(handler) and ONTO_A_FORM & _called_names(handler.body)
            for handler in node.handlers
        ):
            lines.append(node.lineno)
    return sorted(lines)


def test_no_view_writes_its_own_try_except_around_a_forms_service():
    modules = _view_modules()
    assert len(modules) > 20  # the walk finds the apps' views
    offenders = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in modules
        for line in hand_written_form_saves(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], "use save_form / save_then_redirect instead"


def test_the_guard_finds_the_form_pattern_and_lets_messages_through():
    form_pattern = """
def view(request):
    if form.is_valid():
        try:
            thing = services.thing_create(**form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)

def other(request):
    try:
        services.thing_move(thing=thing)
    except (PermissionDenied, exceptions.ValidationError) as exc:
        form.add_error(None, exc)
"""
    assert hand_written_form_saves(form_pattern) == [4, 10]
    as_a_message = """
def bulk(request):
    try:
        services.things_archive(things=chosen)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
"""
    assert hand_written_form_saves(as_a_message) == []
