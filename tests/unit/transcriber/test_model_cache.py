from pathlib import Path

import pytest

from talentmind_transcriber.model_cache import BASE_MODEL_BYTES, ModelError, assemble_base_model, resolve_model


def make_parts(tmp_path: Path, a: bytes, b: bytes) -> tuple[Path, Path]:
    p1, p2 = tmp_path / "p1", tmp_path / "p2"
    p1.mkdir()
    p2.mkdir()
    (p1 / "model.bin.part1").write_bytes(a)
    (p2 / "model.bin.part2").write_bytes(b)
    for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
        (p1 / name).write_text(name)
    return p1, p2


def test_parts_are_joined_in_order_once(tmp_path: Path) -> None:
    parts = make_parts(tmp_path, b"A" * 10, b"B" * 5)
    cache = tmp_path / "cache"
    model = assemble_base_model(cache, part_dirs=parts, expected_bytes=15)
    assert (model / "model.bin").read_bytes() == b"A" * 10 + b"B" * 5
    assert (model / "tokenizer.json").read_text() == "tokenizer.json"
    stamp = (model / "model.bin").stat().st_mtime_ns
    assert assemble_base_model(cache, part_dirs=parts, expected_bytes=15) == model
    assert (model / "model.bin").stat().st_mtime_ns == stamp  # reused, not rebuilt
    assert not [p for p in cache.iterdir() if p.name.startswith(".whisper")]  # no staging left behind


def test_wrong_size_is_refused_and_nothing_is_published(tmp_path: Path) -> None:
    parts = make_parts(tmp_path, b"A" * 10, b"B" * 4)
    with pytest.raises(ModelError, match="expected 15"):
        assemble_base_model(tmp_path / "cache", part_dirs=parts, expected_bytes=15)
    assert not (tmp_path / "cache" / "whisper-base").exists()


def test_a_damaged_cached_model_is_rebuilt(tmp_path: Path) -> None:
    parts = make_parts(tmp_path, b"A" * 10, b"B" * 5)
    cache = tmp_path / "cache"
    model = assemble_base_model(cache, part_dirs=parts, expected_bytes=15)
    (model / "model.bin").write_bytes(b"truncated")
    assemble_base_model(cache, part_dirs=parts, expected_bytes=15)
    assert (model / "model.bin").stat().st_size == 15


def test_the_real_wheels_give_the_published_size(tmp_path: Path) -> None:
    model = assemble_base_model(tmp_path)
    assert (model / "model.bin").stat().st_size == BASE_MODEL_BYTES == 145_217_532


def test_a_path_must_hold_a_model(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match=r"no model\.bin"):
        resolve_model(str(tmp_path), tmp_path)
