"""The workflow `arendegen init` writes runs as written: a case repository made from a built
wheel, its workflow's steps run here in order, reading the workflow file itself.

GitHub's own actions (checkout, setup-python, cache, upload-artifact) are not run; every `run:`
step is, in bash as GitHub runs it, with `sudo` and `apt-get` standing in for the runner's:
`apt-get install` succeeds only when each package it names is installed from Debian here, so a
misspelt package name fails this test too. The install step installs the arendegen that
arendegen.yaml pins into a fresh virtual environment, so the pin must resolve."""

from __future__ import annotations

import os
import re
import subprocess
import textwrap
import venv
from pathlib import Path
from typing import Any

import pytest
import yaml

from test_repo import DOCUMENTS

SHIMS = {
    "sudo": 'exec "$@"\n',
    "apt-get": textwrap.dedent(
        """\
        # apt-get as the workflow uses it: 'update' does nothing, 'install' checks that every
        # package it names is installed here
        [ "$1" = update ] && exit 0
        [ "$1" = install ] || { echo "apt-get: ovänt kommando $1" >&2; exit 100; }
        shift
        while [ $# -gt 0 ]; do
          case "$1" in
            -o) shift 2; continue ;;
            -*) shift; continue ;;
          esac
          dpkg-query -W -f='${Status}\\n' "$1" 2>/dev/null | grep -q "install ok installed" \\
            || { echo "apt-get: paketet $1 finns inte installerat" >&2; exit 100; }
          shift
        done
        """
    ),
}

EVENTS = {
    "push": {
        "github.event_name": "push",
        "github.ref_name": "main",
        "github.sha": "0" * 40,
        "github.token": "",
    },
    "pull_request": {
        "github.event_name": "pull_request",
        "github.ref_name": "1/merge",
        "github.sha": "1" * 40,
        "github.base_ref": "main",
        "github.token": "",
        # a pull request from a fork: its token may only read, so nothing is posted
        "github.repository": "kommunen/arenden",
        "github.event.pull_request.head.repo.full_name": "en-fork/arenden",
    },
}
"""What the workflow's expressions say on each event, here."""


def _environment(python: Path, step_summary: Path, home: Path, event: str) -> dict[str, str]:
    shims = home / "shims"
    shims.mkdir(parents=True, exist_ok=True)
    for name, script in SHIMS.items():
        (shims / name).write_text("#!/usr/bin/env bash\nset -eu\n" + script, encoding="utf-8")
        (shims / name).chmod(0o755)
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "VIRTUAL_ENV"))}
    path = [str(shims), str(python.parent)]
    path += [p for p in keep.get("PATH", "").split(os.pathsep) if ".venv" not in p]
    facts = EVENTS[event]
    return keep | {
        "PATH": os.pathsep.join(path),
        "HOME": str(home),
        "CI": "true",
        "GITHUB_ACTIONS": "true",
        "GITHUB_STEP_SUMMARY": str(step_summary),
        "GITHUB_EVENT_NAME": event,
        "GITHUB_REF": f"refs/pull/{facts['github.ref_name']}"
        if event == "pull_request"
        else f"refs/heads/{facts['github.ref_name']}",
        "GITHUB_REF_NAME": facts["github.ref_name"],
        "GITHUB_SHA": facts["github.sha"],
        "GITHUB_BASE_REF": facts.get("github.base_ref", ""),
        "GITHUB_REPOSITORY": facts.get("github.repository", "kommunen/arenden"),
        "RUNNER_TEMP": str(home),
    }


def _value(name: str, event: str) -> str:
    name = name.strip()
    if name.startswith("'") and name.endswith("'"):
        return name[1:-1]
    assert name in EVENTS[event], f"the test does not know the expression {name!r}"
    return EVENTS[event][name]


def _expression(text: str, event: str) -> str:
    """Fill in `${{ github.x }}`; any other expression fails the test, to be taught here."""
    return re.sub(r"\$\{\{(.*?)\}\}", lambda m: _value(m.group(1), event), text)


def _runs(part: dict[str, Any], event: str) -> bool:
    """A job's or step's `if:`, for the conditions the workflow uses: success(), always(),
    and one comparison of two expressions or literals."""
    condition = str(part.get("if", "success()")).strip().removeprefix("${{").removesuffix("}}")
    condition = condition.strip()
    if condition in {"success()", "always()"}:
        return True
    m = re.fullmatch(r"(.+?)\s*(==|!=)\s*(.+)", condition)
    assert m, f"the test does not know the condition {condition!r}"
    same = _value(m.group(1), event) == _value(m.group(3), event)
    return same == (m.group(2) == "==")


def _run_jobs(workflow: dict[str, Any], repo: Path, env: dict[str, str], event: str) -> list[str]:
    """Every `run:` step of every job the event starts, in order; the names of those run."""
    ran = []
    for job in workflow["jobs"].values():
        if not _runs(job, event):
            continue
        for step in job["steps"]:
            if "run" not in step or not _runs(step, event):
                continue
            script = _expression(step["run"], event)
            shell = ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script]
            done = subprocess.run(
                shell, cwd=repo, env=env, capture_output=True, text=True, timeout=600
            )
            assert done.returncode == 0, f"{step.get('name')}:\n{done.stdout}\n{done.stderr}"
            ran.append(str(step.get("name", script.split()[0])))
    return ran


def _fresh_python(where: Path) -> Path:
    venv.EnvBuilder(with_pip=True, clear=True).create(where)
    return where / "bin" / "python3"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from test_wheel import _copy_sources, _wheel

    source = _copy_sources(tmp_path_factory.mktemp("source"))
    return _wheel(source, tmp_path_factory.mktemp("wheel"))


def test_the_generated_workflow_runs_as_written(tmp_path: Path, wheel: Path) -> None:
    # an official's machine: arendegen from the wheel, and `arendegen init`
    official = _fresh_python(tmp_path / "official")
    subprocess.run(
        [official, "-m", "pip", "install", "--quiet", str(wheel)], check=True, capture_output=True
    )
    repo = tmp_path / "arenden"
    init = subprocess.run(
        [official.parent / "arendegen", "init", str(repo)], capture_output=True, text=True
    )
    assert init.returncode == 0, init.stderr
    # installed from a file, init pins the version and says CI cannot fetch it until that
    # version is on PyPI; here a folder holding the wheel stands in for PyPI
    assert "CI inte kan" in init.stderr
    assert 'arendegen: "arendegen==' in (repo / "arendegen.yaml").read_text("utf-8")
    # the CI machine: a Python with nothing but pip
    python = _fresh_python(tmp_path / "runner")
    summary = tmp_path / "summary.md"
    env = _environment(python, summary, tmp_path / "home", "push") | {
        "PIP_FIND_LINKS": str(wheel.parent)
    }
    workflow = yaml.safe_load((repo / ".github/workflows/arendegen.yml").read_text("utf-8"))
    ran = _run_jobs(workflow, repo, env, "push")
    assert len(ran) >= 4, ran
    # the pinned arendegen is what ran: the wheel's, in the runner's Python
    installed = subprocess.run(
        [python, "-c", "import arendegen; print(arendegen.__version__, arendegen.__file__)"],
        capture_output=True,
        text=True,
        check=True,
    )
    version, where = installed.stdout.split()
    assert wheel.name.startswith(f"arendegen-{version}-")
    assert Path(where).is_relative_to(python.parent.parent)
    # every example was built, as DOCX and archival PDF, and the summary says so
    built = [p for p in (repo / "output").rglob("*") if p.suffix in {".docx", ".pdf"}]
    assert len([p for p in built if p.suffix == ".docx"]) == DOCUMENTS
    assert len([p for p in built if p.suffix == ".pdf" and "paket" not in p.name]) >= DOCUMENTS
    assert (repo / "output" / ".arendegen-manifest.json").is_file()
    text = summary.read_text("utf-8")
    assert "sammantradesprotokoll" in text or "sammanträdesprotokoll" in text, text

    # a pull request that changes an att-clause: the documents are built again (only that
    # case), and the review job writes what changed in substance to the job's summary; the
    # pull request comes from a fork, so nothing is posted
    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-qm", "start")
    git("update-ref", "refs/remotes/origin/main", "HEAD")
    case = repo / "cases" / "exempel" / "tjansteskrivelse.yaml"
    text = case.read_text("utf-8")
    assert "    - godkänna förslaget.\n" in text
    case.write_text(text.replace("    - godkänna förslaget.", "    - avslå förslaget."), "utf-8")
    git("-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-qam", "avslå")
    review = tmp_path / "review.md"
    env = _environment(python, review, tmp_path / "home", "pull_request") | {
        "PIP_FIND_LINKS": str(wheel.parent)
    }
    ran = _run_jobs(workflow, repo, env, "pull_request")
    assert "Ändringar i sak" in ran and "Kommentera pull requesten" not in ran
    said = review.read_text("utf-8")
    assert "godkänna förslaget" in said and "avslå förslaget" in said, said
    assert "1 fil skriven" in said or "filer skrivna" in said, said
