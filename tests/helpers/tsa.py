"""A real RFC 3161 time-stamp authority (and its CRL) on 127.0.0.1: certomancer's Animator, started by the tests.

Everything is synthetic: the keys are made here, the certificates by certomancer from a config written here.
"""

from __future__ import annotations

import os
import selectors
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ARCH = "tsa"
START_TIMEOUT_S = 30

_CONFIG = """\
external-url-prefix: "http://127.0.0.1:{port}"
keysets:
  tsa:
    path-prefix: {keys}
    keys:
      root: {{path: root.key.pem}}
      tsa: {{path: tsa.key.pem}}
pki-architectures:
  tsa:
    keyset: tsa
    entity-defaults: {{country-name: US, organization-name: Synthetic Time Authority}}
    entities:
      root: {{common-name: Synthetic TSA Root}}
      tsa: {{common-name: Synthetic Time Stamping Unit}}
    certs:
      root:
        subject: root
        issuer: root
        validity: {{valid-from: "2000-01-01T00:00:00+0000", valid-to: "2500-01-01T00:00:00+0000"}}
        extensions:
          - {{id: basic_constraints, critical: true, value: {{ca: true}}}}
          - id: key_usage
            critical: true
            smart-value: {{schema: key-usage, params: [digital_signature, key_cert_sign, crl_sign]}}
      tsa:
        issuer: root
        validity: {{valid-from: "2000-01-01T00:00:00+0000", valid-to: "2100-01-01T00:00:00+0000"}}
        extensions:
          - id: key_usage
            critical: true
            smart-value: {{schema: key-usage, params: [digital_signature]}}
          - {{id: extended_key_usage, critical: true, value: [time_stamping]}}
          - id: crl_distribution_points
            smart-value: {{schema: crl-dist-url, params: {{crl-repo-names: [root]}}}}
    services:
      cert-repo:
        root: {{for-issuer: root, publish-issued-certs: yes}}
      crl-repo:
        root: {{for-issuer: root, signing-key: root, simulated-update-schedule: "P90D"}}
      time-stamping:
        tsa: {{signing-key: tsa, signing-cert: tsa}}
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class TimeStampAuthority:
    folder: Path
    port: int
    process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}/{ARCH}"

    @property
    def url(self) -> str:
        return f"{self.base}/tsa/tsa"

    @property
    def root_pem_file(self) -> Path:
        return self.folder / "tsa-root.pem"

    @property
    def tsa_cert_pem_file(self) -> Path:
        return self.folder / "tsa-cert.pem"

    def start(self) -> None:
        """Run `certomancer animate --aiohttp` and return once it says it is serving."""
        exe = shutil.which("certomancer", path=str(Path(sys.executable).parent)) or shutil.which("certomancer")
        if exe is None:
            pytest.fail("certomancer is not installed (pip install -e '.[test]')")
        self.process = subprocess.Popen(
            [
                exe,
                "--config",
                str(self.folder / "certomancer.yml"),
                "animate",
                "--aiohttp",
                "--no-web-ui",
                "--port",
                str(self.port),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            cwd=self.folder,
        )
        assert self.process.stdout is not None
        deadline = time.monotonic() + START_TIMEOUT_S
        seen = b""
        with selectors.DefaultSelector() as sel:
            sel.register(self.process.stdout, selectors.EVENT_READ)
            while b"Running on" not in seen:
                left = deadline - time.monotonic()
                if left <= 0 or self.process.poll() is not None:
                    self.stop()
                    pytest.fail(f"the test TSA did not start: {seen.decode(errors='replace')[-500:]}")
                if sel.select(timeout=left):
                    chunk = os.read(self.process.stdout.fileno(), 4096)
                    seen += chunk
        # Drain its log from now on so the pipe never fills and blocks the server.
        stream = self.process.stdout
        self._drain = threading.Thread(target=lambda: all(iter(lambda: stream.read(4096), b"")), daemon=True)
        self._drain.start()

    def stop(self) -> None:
        if self.process is not None:
            if self.process.poll() is None:
                self.process.terminate()
            self.process.wait(timeout=30)
        if getattr(self, "_drain", None) is not None:
            self._drain.join(timeout=30)
            self._drain = None
        if self.process is not None and self.process.stdout is not None:
            self.process.stdout.close()
        self.process = None

    def fetch_certificates(self) -> None:
        """The TSA root and unit certificates, as the Animator serves them (written as PEM files)."""
        for url, path in (
            (f"{self.base}/certs/root/ca.crt", self.root_pem_file),
            (f"{self.base}/certs/root/issued/tsa.crt", self.tsa_cert_pem_file),
        ):
            with urllib.request.urlopen(url, timeout=10) as response:
                der = response.read()
            path.write_bytes(x509.load_der_x509_certificate(der).public_bytes(serialization.Encoding.PEM))


def make_tsa(folder: Path) -> TimeStampAuthority:
    """Keys and config for a TSA in `folder`, started and with its certificates fetched."""
    keys = folder / "keys"
    keys.mkdir(parents=True, exist_ok=True)
    for name in ("root", "tsa"):
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        (keys / f"{name}.key.pem").write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
    port = _free_port()
    (folder / "certomancer.yml").write_text(_CONFIG.format(port=port, keys=keys), encoding="utf-8")
    tsa = TimeStampAuthority(folder=folder, port=port)
    tsa.start()
    tsa.fetch_certificates()
    return tsa
