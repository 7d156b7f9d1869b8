"""`make run` serves on the port and address asked for, and the README says how, beside the two commands."""
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def dry_run(*variables: str) -> str:
    # -n prints the commands without running them.
    result = subprocess.run(["make", "-n", "run", *variables], cwd=REPO,
                            capture_output=True, text=True, timeout=60)
    return result.stdout


def test_make_run_passes_port_and_host_to_the_web_process():
    default = dry_run()
    assert "HOST=127.0.0.1 .venv/bin/honcho start --port 8000" in default
    chosen = dry_run("PORT=8080", "HOST=0.0.0.0")
    assert "HOST=0.0.0.0 .venv/bin/honcho start --port 8080" in chosen
    web = next(line for line in (REPO / "Procfile").read_text().splitlines() if line.startswith("web:"))
    assert "${HOST:-127.0.0.1}:$PORT" in web


def test_readme_says_how_to_choose_port_and_host_and_sign_in_next_to_the_two_commands():
    readme = (REPO / "README.md").read_text()
    two_commands = readme.split("## Two commands", 1)[1].split("\n## ", 1)[0]
    assert "make run PORT=8080" in two_commands and "make run HOST=0.0.0.0" in two_commands
    assert "Sign in" in two_commands and "`editor@open-demos.example` | `demo-password`" in two_commands
