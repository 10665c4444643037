"""Repository hygiene: what plans and reviews leave behind is ignored, pre-commit is pinned and part of make lint."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("path", ["dev.plan.json", "plan-prod.json", "plans/plan-dev.json", "scrubbed/plan-dev.json",
                                  "review.md", "review-staging.md", "reports/pulse-gate.sarif", "prod.tfplan",
                                  ".cache/pulse-gate/x.pickle"])
def test_plan_and_review_output_is_ignored(path):
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    done = subprocess.run(["git", "check-ignore", "-q", "--no-index", path], cwd=REPO, check=False)
    assert done.returncode == 0, f"{path} is not ignored by .gitignore"


def test_docs_are_not_ignored():
    done = subprocess.run(["git", "check-ignore", "-q", "--no-index", "docs/plan-review.md"], cwd=REPO, check=False)
    assert done.returncode == 1


def test_pre_commit_is_pinned_and_run_by_make_lint():
    pins = (REPO / "requirements-lint.txt").read_text()
    assert re.search(r"^pre-commit==\d+\.\d+\.\d+$", pins, re.M)
    makefile = (REPO / "Makefile").read_text()
    lint = makefile[makefile.index("\nlint:"):]
    lint = lint[: lint.index("\n\n")]
    assert "pre-commit run --all-files" in lint and "zizmor --offline" in lint
    assert "make lint" in (REPO / ".ci" / "run").read_text()


def test_makefile_asks_for_the_terraform_versions_tf_requires():
    required = re.search(r'required_version\s*=\s*">=\s*([\d.]+)"', (REPO / "versions.tf").read_text()).group(1)
    wanted = re.findall(r"terraform >= ([\d.]+)", (REPO / "Makefile").read_text())
    assert wanted and set(wanted) == {required}


def test_timings_in_ci_doc_name_their_measurement():
    """Every duration docs/ci.md quotes sits in the table that says when and how it was measured."""
    text = (REPO / "docs" / "ci.md").read_text()
    durations = re.findall(r"\b(?:about|under|around)\s+\d+(?:\.\d+)?\s*(?:s|min|ms)\b", text)
    assert not durations, f"unmeasured timings in docs/ci.md: {durations}"
