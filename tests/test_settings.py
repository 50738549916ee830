import pytest
from django.core.exceptions import ImproperlyConfigured

from ecomops.settings import env_flag


@pytest.mark.parametrize("raw,expected", [("true", True), ("1", True), ("False", False), ("0", False), ("", False)])
def test_env_flag_reads_booleans(monkeypatch, raw, expected):
    monkeypatch.setenv("SOME_FLAG", raw)
    assert env_flag("SOME_FLAG", default=False) is expected


def test_env_flag_refuses_typos(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "Flase")
    with pytest.raises(ImproperlyConfigured):
        env_flag("SOME_FLAG", default=False)


def _settings_in_subprocess(env_extra: dict, code: str):
    import subprocess
    import sys

    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "ecomops.settings", **env_extra}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)


def test_batch_commands_run_without_any_configuration(tmp_path):
    result = _settings_in_subprocess(
        {"ECOMOPS_VAR_DIR": str(tmp_path)}, "import django; django.setup(); print('ok')"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_serving_refuses_to_start_without_secret_key(tmp_path):
    result = _settings_in_subprocess(
        {"ECOMOPS_VAR_DIR": str(tmp_path), "ALLOWED_HOSTS": "shop.example.com"}, "import ecomops.wsgi"
    )
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr
