"""Where the JWT secret comes from: JWT_SECRET; in development only, a random one kept under
var/ (written atomically); anywhere else no start without JWT_SECRET."""
from __future__ import annotations

import os
import stat

import pytest

from services.shared.platform import config


@pytest.fixture
def fresh_var(tmp_path, monkeypatch):
    monkeypatch.setenv("BPS_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("JWT_SECRET", raising=False)
    monkeypatch.delenv("BPS_ENV", raising=False)
    return tmp_path / "var"


def test_the_configured_secret_wins(fresh_var, monkeypatch):
    monkeypatch.setenv("JWT_SECRET", "a-configured-secret")
    monkeypatch.setenv("BPS_ENV", "production")
    assert config.jwt_secret() == "a-configured-secret"
    assert not (fresh_var / "secrets").exists()


def test_development_is_the_default(fresh_var):
    assert config.environment() == "development"


def test_in_development_a_secret_is_made_once_and_kept(fresh_var):
    secret = config.jwt_secret()
    path = fresh_var / "secrets" / "jwt_secret"
    assert len(secret) >= 60 and path.read_text() == secret
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # readable by its owner only
    assert config.jwt_secret() == secret
    assert os.listdir(path.parent) == ["jwt_secret"]  # no temporary file left behind


def test_an_existing_secret_is_never_overwritten(fresh_var):
    path = fresh_var / "secrets" / "jwt_secret"
    path.parent.mkdir(parents=True)
    path.write_text("the-first-secret\n")
    config._create_once(path, "a-second-secret")
    assert config.jwt_secret() == "the-first-secret"
    assert os.listdir(path.parent) == ["jwt_secret"]


def test_an_empty_secret_file_is_refused(fresh_var):
    path = fresh_var / "secrets" / "jwt_secret"
    path.parent.mkdir(parents=True)
    path.write_text("")
    with pytest.raises(config.SettingMissing, match="is empty"):
        config.jwt_secret()


@pytest.mark.parametrize("environment", ["production", "staging", "Production ", "dev"])
def test_outside_development_jwt_secret_is_required(fresh_var, monkeypatch, environment):
    monkeypatch.setenv("BPS_ENV", environment)
    with pytest.raises(config.SettingMissing) as missing:
        config.jwt_secret()
    assert "JWT_SECRET is required" in str(missing.value)
    assert "BPS_ENV" in str(missing.value)
    assert not (fresh_var / "secrets").exists()  # no secret of its own made


def test_development_written_in_capitals_is_development(fresh_var, monkeypatch):
    monkeypatch.setenv("BPS_ENV", "Development")
    assert config.jwt_secret()
