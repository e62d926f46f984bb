import pytest

from talentmind.apikeys import bearer_token, generate_key, hash_key


def test_generated_keys_are_unique_and_hashed() -> None:
    a, b = generate_key(), generate_key()
    assert a.secret != b.secret
    assert a.secret.startswith("tm_") and len(a.secret) >= 40
    assert a.digest == hash_key(a.secret) and a.digest != hash_key(b.secret)
    assert a.secret not in a.digest.hex()
    assert a.secret.startswith(a.prefix)


@pytest.mark.parametrize(
    ("header", "token"),
    [
        ("Bearer tm_abc", "tm_abc"),
        ("bearer   tm_abc  ", "tm_abc"),
        ("Basic dXNlcjpwYXNz", None),
        ("Bearer", None),
        ("Bearer a b", None),
        ("", None),
        (None, None),
    ],
)
def test_bearer_token(header: str | None, token: str | None) -> None:
    assert bearer_token(header) == token
