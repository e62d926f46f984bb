import pytest

from talentmind.db.migrate import yoyo_url
from talentmind.settings import Settings


def test_environment_with_prefix_overrides_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TM_GATEWAY_PORT", "9999")
    monkeypatch.setenv("TM_KAFKA_BOOTSTRAP", "kafka:9092")
    s = Settings()
    assert s.gateway_port == 9999 and s.kafka_bootstrap == "kafka:9092"


def test_safe_defaults() -> None:
    s = Settings(_env_file=None)  # type: ignore[call-arg]
    assert s.allow_private_targets is False
    assert s.gateway_host == "127.0.0.1" and s.gateway_port == 8080


def test_every_setting_is_documented() -> None:
    missing = [name for name, f in Settings.model_fields.items() if not f.description]
    assert missing == []


def test_yoyo_url() -> None:
    assert yoyo_url("postgresql://u@h:1/db") == "postgresql+psycopg://u@h:1/db"
    assert yoyo_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    with pytest.raises(ValueError):
        yoyo_url("nonsense")
