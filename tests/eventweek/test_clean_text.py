"""Free text is clean at the door: one cleaner for every project form, and a guard that new forms use it."""

import importlib
import pkgutil

from django import forms
from django.urls import resolve

from eventweek.forms import LoginForm, SpecialDayForm
from eventweek.text import CleanTextMixin, clean_text

PROJECT_APPS = ("eventweek", "reporting", "quiz")
# Modules that configure or serve the project rather than define it; importing them again has side effects.
NOT_IMPORTED = ("settings", "wsgi", "asgi", "migrations")


def project_form_classes() -> list[type]:
    """Every Form and ModelForm subclass defined anywhere in the project's apps (and their subpackages)."""
    for app in PROJECT_APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, prefix=f"{app}."):
            if not any(part.startswith(NOT_IMPORTED) for part in module.name.split(".")):
                importlib.import_module(module.name)
    found, pending = set(), [forms.BaseForm]
    while pending:
        for subclass in pending.pop().__subclasses__():
            pending.append(subclass)
            if subclass.__module__.split(".")[0] in PROJECT_APPS and subclass is not CleanTextMixin:
                found.add(subclass)
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def test_every_form_of_the_project_cleans_its_text():
    classes = project_form_classes()
    names = {f"{cls.__module__}.{cls.__qualname__}" for cls in classes}
    # The walk finds forms in every app, summary's subpackage included (else the guard below would pass vacuously).
    assert {
        "eventweek.forms.WeekForm",
        "eventweek.forms.SpecialDayForm",
        "eventweek.forms.ActivityForm",
        "eventweek.forms.LoginForm",
        "reporting.forms.ReportForm",
        "reporting.forms.ItemForm",
        "reporting.forms.HighlightForm",
        "reporting.summary.forms.SummaryForm",
        "quiz.forms.StartForm",
        "quiz.forms.QuizForm",
        "quiz.forms.DrawForm",
    } <= names
    assert [f"{cls.__module__}.{cls.__qualname__}" for cls in classes if not issubclass(cls, CleanTextMixin)] == []


def test_the_login_page_uses_the_project_login_form():
    assert resolve("/accounts/login/").func.view_initkwargs["authentication_form"] is LoginForm


def test_clean_text_turns_every_line_break_into_a_newline_and_drops_the_rest():
    assert clean_text("a\r\nb\rc\x85d\u2028e\u2029f") == "a\nb\nc\nd\ne\nf"
    assert clean_text("\x00节\x01能\x0b\x0c\x1b\x7f\x80\x9f周\t末\n") == "节能周\t末\n"
    assert clean_text("\ufeff标\u200b题\u202e\u2066反\u2069") == "标题反"
    # Joiners make emoji sequences; the left-to-right mark is harmless: both stay.
    assert clean_text("👨\u200d👩\u200e") == "👨\u200d👩\u200e"


def test_a_one_line_field_refuses_a_line_break_naming_the_field():
    form = SpecialDayForm({"date": "2020-06-29", "name": "全国\r\n低碳日", "theme": "绿色\x0b低碳"})
    assert form.errors == {"name": ["“名称”不能包含换行。"]}
    assert form.cleaned_data["theme"] == "绿色低碳"


def test_a_value_of_only_control_characters_is_empty_and_so_required():
    form = SpecialDayForm({"date": "2020-06-29", "name": " \x00\x1b ", "theme": ""})
    assert form.errors == {"name": ["这个字段是必填项。"]}


def test_the_login_page_cleans_the_user_name_and_leaves_the_password_as_typed(client, demo):
    user = demo.user("jiangsu_admin")
    user.set_password("pass\x0bword")
    user.save()

    response = client.post("/accounts/login/", {"username": "jiangsu_admin\x00", "password": "pass\x0bword"})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
