"""No service module grows past 400 lines: a module that big holds several concerns, and the next feature copies it."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_LINES = 400
# The summary draft is service code outside a services/ package (the facts gathered, the prose written from them).
EXTRA_PACKAGES = ("reporting/summary/draft",)


def service_packages() -> set[str]:
    """Every package named services/ in a first-party app (at any depth), plus EXTRA_PACKAGES."""
    found = set(EXTRA_PACKAGES)
    for app in ROOT.iterdir():
        if app.name.startswith(".") or app.name == "tests" or not (app / "__init__.py").is_file():
            continue
        for init in app.rglob("services/__init__.py"):
            found.add(init.parent.relative_to(ROOT).as_posix())
    return found


def test_every_app_services_package_is_found():
    assert {
        "eventweek/services",
        "quiz/services",
        "reporting/services",
        "reporting/summary/services",
        "reporting/summary/draft",
    } <= service_packages()


def test_no_service_module_is_over_400_lines():
    sizes = {}
    for package in sorted(service_packages()):
        for module in sorted((ROOT / package).rglob("*.py")):
            sizes[module.relative_to(ROOT).as_posix()] = len(module.read_text(encoding="utf-8").splitlines())
    assert {path: lines for path, lines in sizes.items() if lines > MAX_LINES} == {}
