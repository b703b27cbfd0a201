"""Dependencies point one way: ui → models → data. The data layer never imports Qt."""

import subprocess
import sys
from pathlib import Path

import pytest

DATA_MODULES = sorted(p.stem for p in (Path(__file__).resolve().parent.parent / "desktop" / "data").glob("*.py")
                      if p.stem != "__init__")


@pytest.mark.parametrize("module", DATA_MODULES)
def test_data_layer_does_not_import_qt(module):
    code = (f"import sys, desktop.data.{module}; "
            "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt imported'")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_cli_does_not_import_qt_for_scripts():
    code = ("import sys, desktop.cli; "
            "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt imported'")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_models_do_not_import_widgets():
    models = Path(__file__).resolve().parent.parent / "desktop" / "models"
    for path in models.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "QtWidgets" not in text, f"{path.name} imports QtWidgets"
        assert "sqlite3" not in text, f"{path.name} uses SQL directly"
