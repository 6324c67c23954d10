"""The model is retrained exactly when what it is built from changes."""

import shutil
from pathlib import Path

import pytest

from scripts import train_model

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def project(tmp_path):
    for name in ("config.yml", "requirements.txt"):
        shutil.copy(ROOT / name, tmp_path / name)
    for name in ("domain", "data", "bot"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def test_components_named_in_config_and_their_bot_imports_are_inputs(project):
    names = {path.name for path in train_model.component_modules(project)}
    assert {"language_identifier.py", "multilingual_tokenizer.py", "language_detection.py",
            "text_normalization.py"} <= names
    assert "nlu_evaluation.py" not in names  # not part of the model


@pytest.mark.parametrize(
    "path",
    ["data/nlu/ru/nlu.yml", "domain/core.yml", "config.yml", "bot/text_normalization.py", "requirements.txt"],
)
def test_changing_an_input_changes_the_fingerprint(project, path):
    before = train_model.fingerprint(project)
    with (project / path).open("a", encoding="utf-8") as handle:
        handle.write("\n# changed\n")
    assert train_model.fingerprint(project) != before


def test_other_files_do_not_change_the_fingerprint(project):
    before = train_model.fingerprint(project)
    (project / "README.md").write_text("docs")
    (project / "bot" / "nlu_evaluation.py").write_text("# not a model input\n")
    assert train_model.fingerprint(project) == before


def test_model_path_carries_the_fingerprint(project):
    path = train_model.model_path(project)
    assert path.parent == project / "models"
    assert path.name == f"silkroad-{train_model.fingerprint(project)}.tar.gz"
