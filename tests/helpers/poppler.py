"""poppler's pdftotext and pdfsig on PDF bytes: what any reader of the signed file sees."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest


def poppler(tool: str) -> str:
    """Path of a poppler tool: a hard failure in CI when missing, skipped (with the reason) elsewhere."""
    exe = shutil.which(tool)
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail(f"{tool} is missing: CI must install poppler-utils (apt-get install -y poppler-utils)")
        pytest.skip(f"{tool} not installed (apt-get install -y poppler-utils)")
    return exe


def pdftotext(pdf: bytes, folder: Path) -> str:
    path = folder / "text-check.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(
        [poppler("pdftotext"), "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, timeout=60
    )
    return result.stdout.decode("utf-8")


def pdfsig(pdf: bytes, folder: Path) -> str:
    path = folder / "sig-check.pdf"
    path.write_bytes(pdf)
    # pdfsig's exit status does not reflect a broken signature; only its text does.
    result = subprocess.run([poppler("pdfsig"), str(path)], capture_output=True, check=False, timeout=60)
    return result.stdout.decode("utf-8", "replace")
