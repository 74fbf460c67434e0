"""The README stays short and its layout section matches the tree."""

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def layout_section() -> str:
    return README.split("## Layout", 1)[1].split("\n## ", 1)[0]


def test_readme_is_at_most_120_lines():
    assert len(README.splitlines()) <= 120


# Named in the layout as files a clinic creates, not shipped.
CREATED_BY_THE_CLINIC = {"content/clinic.yml"}


def test_every_path_in_the_layout_exists():
    for path in re.findall(r"`([\w./{},-]+)`", layout_section()):
        if path in CREATED_BY_THE_CLINIC:
            continue
        if "/" not in path and "." not in path:
            continue  # a command or name, not a path
        options = re.match(r"(.*)\{(.*)\}(.*)", path)
        paths = ([options.group(1) + o + options.group(3) for o in options.group(2).split(",")]
                 if options else [path])
        for one in paths:
            assert (ROOT / one.split(" ")[0]).exists(), one


def test_every_top_level_folder_is_in_the_layout():
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.split()
    folders = {path.split("/")[0] for path in tracked if "/" in path and not path.startswith(".")}
    section = layout_section()
    missing = sorted(folder for folder in folders if f"`{folder}/" not in section)
    assert not missing, missing


def test_every_linked_doc_exists():
    for link in re.findall(r"\]\((docs/[^)]+)\)", README):
        assert (ROOT / link).exists(), link
