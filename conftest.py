import pytest


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):
    """Each test writes uploaded files and reports under its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "files"
