"""setuptools' build backend, with the wheel made the same bytes wherever it is built.

setuptools copies file modes from the checkout (a group-writable one, under umask 002, gives
another wheel) and dates every file by its modification time unless SOURCE_DATE_EPOCH is set.
After setuptools has built the wheel, every member gets mode 644 (755 when executable) and
the date SOURCE_DATE_EPOCH names, or 1980-01-01 when it names none. RECORD holds the members'
hashes, not their modes or dates, so it stays true."""

from __future__ import annotations

import os
import time
import zipfile
from pathlib import Path
from typing import Any

from setuptools import build_meta as _setuptools
from setuptools.build_meta import *  # noqa: F403  (every other hook is setuptools' own)

_EARLIEST = (1980, 1, 1, 0, 0, 0)
"""The earliest date a zip archive can hold."""


def build_wheel(
    wheel_directory: str,
    config_settings: dict[str, Any] | None = None,
    metadata_directory: str | None = None,
) -> str:
    name: str = _setuptools.build_wheel(wheel_directory, config_settings, metadata_directory)
    _normalise(Path(wheel_directory) / name)
    return name


def _date() -> tuple[int, int, int, int, int, int]:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch.isdigit():
        return _EARLIEST
    return max(_EARLIEST, time.gmtime(int(epoch))[:6])


def _normalise(wheel: Path) -> None:
    date = _date()
    staged = wheel.with_name(wheel.name + ".part")
    with zipfile.ZipFile(wheel) as old, zipfile.ZipFile(staged, "w") as new:
        for member in old.infolist():
            mode = 0o755 if member.external_attr >> 16 & 0o111 else 0o644
            info = zipfile.ZipInfo(member.filename, date_time=date)
            info.external_attr = (0o100000 | mode) << 16
            info.compress_type = member.compress_type
            info.create_system = 3  # Unix, so that the mode is read
            new.writestr(info, old.read(member))
    staged.replace(wheel)
