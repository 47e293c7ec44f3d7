"""Every command README.md offers for after `make run` works exactly as written.

The commands are read from README.md itself: the code block of "两条命令" and the table (and any code block) of "命令".
`make run`, `make test` and `make bench*` are not run here (the suite is `make test`; the benchmarks take minutes and
are CI's and the developer's). The state "after make run" is made by the recipe of the Makefile's run target, read
from the Makefile, minus the server start: var/local.env written, migrate, load_demo. Everything runs in a copy of
the project (its own var/ and SQLite database) with no DEBUG, SECRET_KEY or DJANGO_SETTINGS_MODULE in the
environment, as in a new user's shell.
"""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parent.parent
NOT_RUN_HERE = ("make run", "make test", "make bench")


def section(text: str, title: str) -> str:
    """The body of a `## title` section of the README."""
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def readme_commands(text: str) -> list[str]:
    """The commands of the two command sections, in order, as written (code block lines and table first cells)."""
    commands = []
    for title in ("两条命令", "命令"):
        body = section(text, title)
        for block in re.findall(r"```sh\n(.*?)```", body, flags=re.S):
            commands += [line for line in block.splitlines() if line.strip()]
        if "| 命令 | 作用 |" in body:
            table = body[body.index("| 命令 | 作用 |") :].split("\n\n", 1)[0].splitlines()[2:]
            for row in table:
                commands += re.findall(r"`([^`]+)`", row.split(" | ", 1)[0])
    return commands


def make_run_recipe(makefile: str) -> list[str]:
    """The shell lines of the Makefile's run target, with $(PY) spelled out, up to (not including) the server start."""
    recipe = makefile.split("\nrun: ", 1)[1].split("\n\n", 1)[0].splitlines()[1:]
    lines = [line.strip().lstrip("@").replace("$(PY)", ".venv/bin/python") for line in recipe]
    return [line for line in lines if "scripts/run.sh" not in line]


@pytest.fixture(scope="module")
def after_make_run(tmp_path_factory):
    """A copy of the project in the state `make run` leaves it, and a new user's environment."""
    project = tmp_path_factory.mktemp("readme") / "eventweek"
    shutil.copytree(
        ROOT,
        project,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "var", "__pycache__", "*.pyc", ".pytest_cache", ".ruff_cache", ".import_linter_cache"
        ),
    )
    (project / ".venv").symlink_to(ROOT / ".venv")
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(project.parent),
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    for line in make_run_recipe((project / "Makefile").read_text(encoding="utf-8")):
        result = subprocess.run(line, shell=True, executable="/bin/bash", cwd=project, env=env, capture_output=True)
        assert result.returncode == 0, (line, result.stdout.decode(), result.stderr.decode())
    return project, env


def test_the_make_run_recipe_writes_the_local_file_migrates_and_loads_the_demo():
    recipe = make_run_recipe((ROOT / "Makefile").read_text(encoding="utf-8"))

    assert recipe == [
        "mkdir -p var",
        ".venv/bin/python -m eventweek.local_env",
        ".venv/bin/python manage.py migrate --noinput",
        ".venv/bin/python manage.py load_demo --if-empty",
    ]


def test_the_readme_offers_exactly_these_commands():
    commands = readme_commands((ROOT / "README.md").read_text(encoding="utf-8"))

    assert [c for c in commands if not c.startswith(NOT_RUN_HERE)] == [
        ".venv/bin/python manage.py load_demo --if-empty",
        ".venv/bin/python manage.py setup_schedules",
        ".venv/bin/python manage.py export_reports 2020-jiangsu --out 报送.xlsx",
        ".venv/bin/python manage.py export_reports drill-jiangsu --out 演练周报送.xlsx",
        ".venv/bin/python manage.py compile_summary 2020-jiangsu 320000 --out 总结.docx",
    ]


def run_as_written(command: str, project: Path, env: dict) -> str:
    result = subprocess.run(command, shell=True, executable="/bin/bash", cwd=project, env=env, capture_output=True)
    assert result.returncode == 0, (command, result.stdout.decode(), result.stderr.decode())
    return result.stdout.decode().strip()


def test_every_readme_command_runs_as_written_after_make_run(after_make_run):
    project, env = after_make_run
    local_env = (project / "var" / "local.env").read_text(encoding="utf-8").splitlines()
    assert local_env[1:2] == ["DEBUG=1"] and local_env[2].startswith("SECRET_KEY=")
    outputs = {}
    for command in readme_commands((project / "README.md").read_text(encoding="utf-8")):
        if not command.startswith(NOT_RUN_HERE):
            outputs[command] = run_as_written(command, project, env)

    assert outputs[".venv/bin/python manage.py load_demo --if-empty"] == "数据库已有数据，跳过演示数据。"
    grid = load_workbook(project / "报送.xlsx", read_only=True)
    assert outputs[".venv/bin/python manage.py export_reports 2020-jiangsu --out 报送.xlsx"] == (
        "已导出 2020年江苏省公共机构节能宣传周 的每日报送到 报送.xlsx"
    )
    assert len(grid.sheetnames) >= 2
    drill = load_workbook(project / "演练周报送.xlsx", read_only=True)
    assert len(drill.sheetnames) == len(grid.sheetnames)
    summary = Document(str(project / "总结.docx"))
    title = "江苏省机关事务管理局关于2020年公共机构节能宣传周活动开展情况的总结"
    assert [p.text for p in summary.paragraphs if p.text][0] == title
    assert outputs[".venv/bin/python manage.py compile_summary 2020-jiangsu 320000 --out 总结.docx"].startswith(
        f"{title}："
    )
