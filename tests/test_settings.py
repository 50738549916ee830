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
