"""Local development secrets are generated once into var/ and reused."""

from __future__ import annotations

import stat
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from config.deployment import DEV_SECRETS_FILE, dev_secrets, load_deployment
from config.env import ConfigError


def test_it_generates_secrets_on_first_run(tmp_path: Path) -> None:
    deployment = load_deployment({}, var_dir=tmp_path)
    assert len(deployment.secret_key) >= 50
    Fernet(deployment.token_encryption_keys[0])
    path = tmp_path / DEV_SECRETS_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_it_reuses_them_on_later_runs(tmp_path: Path) -> None:
    first = load_deployment({}, var_dir=tmp_path)
    second = load_deployment({}, var_dir=tmp_path)
    assert first.secret_key == second.secret_key
    assert first.token_encryption_keys == second.token_encryption_keys


def test_it_prefers_variables_that_are_set(tmp_path: Path) -> None:
    key = Fernet.generate_key().decode()
    deployment = load_deployment({"TOKEN_ENCRYPTION_KEYS": key}, var_dir=tmp_path)
    assert deployment.token_encryption_keys == (key,)


def test_it_gives_concurrent_first_runs_the_same_secrets(tmp_path: Path) -> None:
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: dev_secrets(tmp_path), range(16)))
    assert all(result == results[0] for result in results)
    assert [p.name for p in tmp_path.iterdir()] == [DEV_SECRETS_FILE]


def test_it_never_generates_them_in_production_mode(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"^SECRET_KEY: is required in production mode"):
        load_deployment({"DEBUG": "false"}, var_dir=tmp_path)
    assert not (tmp_path / DEV_SECRETS_FILE).exists()
