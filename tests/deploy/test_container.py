"""The container set-up: the same start script as ``make serve``, read as a container engine would.

No container engine runs where the suite runs, so these read the Dockerfile and
compose.yaml and check they name what ``scripts/serve`` (tried in ``test_serve``) does.
"""

import re
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
HUB_SERVICES = {"release", "web", "worker", "scheduler"}


def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def serve_parts() -> set[str]:
    script = (ROOT / "scripts" / "serve").read_text()
    return set(re.findall(r"^  (\w+)\)$", script, flags=re.MULTILINE))


def dockerfile() -> list[str]:
    return (ROOT / "Dockerfile").read_text().splitlines()


def test_each_process_of_the_compose_file_is_a_part_of_the_start_script():
    services = compose()["services"]
    assert set(services) >= HUB_SERVICES
    for name in HUB_SERVICES:
        command = services[name]["command"]
        assert command[:2] == ["sh", "scripts/serve"]
        assert command[2] == name
        assert name in serve_parts()


def test_the_web_and_the_release_share_the_static_files_and_everyone_the_uploads():
    services = compose()["services"]
    for name in HUB_SERVICES:
        volumes = services[name]["volumes"]
        assert "media:/app/var/media" in volumes
        assert "static:/app/var/static" in volumes
    assert services["web"]["depends_on"]["release"] == {
        "condition": "service_completed_successfully"
    }


def test_elasticsearch_is_an_option():
    assert compose()["services"]["elasticsearch"]["profiles"] == ["elasticsearch"]


def test_the_image_runs_the_start_script_as_an_unprivileged_user():
    lines = dockerfile()
    (user,) = [line for line in lines if line.startswith("USER ")]
    assert user.split()[1] not in {"root", "0"}
    assert lines[-1] == 'CMD ["sh", "scripts/serve"]'
    assert any("-c requirements.lock" in line for line in lines)


def test_the_start_script_refuses_a_part_it_does_not_have():
    result = subprocess.run(
        ["sh", "scripts/serve", "everything"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "no such part 'everything'" in result.stderr
    assert serve_parts() == {"release", "web", "worker", "scheduler", "all"}
