"""Anchors outside the database: checkpoint files of the audit chain head, and exported signed PDFs.

Whoever owns the database can rewrite a record, re-hash the whole audit chain and pass `audit verify`. An
anchor kept elsewhere (a checkpoint signed by the site authority, a signed PDF carrying the chain head at its
signing) then disagrees with the rewritten chain; `audit verify --anchors DIR` names the first that does.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..domain.errors import ChecklistError
from ..store import Store
from ..store.audit import Actions
from .site import authority_with_secret, trust_roots

MAX_ANCHOR_PDF_BYTES = 64 * 1024 * 1024  # larger than any record PDF by far; never read a file without end


@dataclass(frozen=True, slots=True)
class AnchorReport:
    ok: bool
    anchors_checked: int
    message: str


def write_checkpoint(store: Store, actor: str) -> bytes:
    """The current chain head as a checkpoint file signed by the site authority; the checkpoint is audited."""
    from ..export.checkpoint import Checkpoint, sign_checkpoint

    authority, secret = authority_with_secret(store)
    seq, head = store.audit.head()
    data = sign_checkpoint(Checkpoint(seq=seq, hash=head, at=store.db.now(), by=actor), authority, secret)
    store.audit.append(actor, Actions.AUDIT_CHECKPOINT, None, {"seq": seq, "hash": head})
    return data


def _anchor_problem(store: Store, name: str, seq: int, expected: str) -> str | None:
    stored = store.audit.hash_at(seq)
    if stored is None:
        last, _ = store.audit.head()
        return f"{name}: anchors audit entry {seq}, but the chain ends at entry {last}: the audit log was trimmed."
    if stored != expected:
        return f"{name}: audit entry {seq} does not match this anchor: the audit chain was rewritten or re-hashed."
    return None


def _pdf_problem(store: Store, path: Path, roots: list[bytes]) -> str | None:
    from ..export.binding import read_binding
    from ..export.verification import verify_pdf

    if path.stat().st_size > MAX_ANCHOR_PDF_BYTES:
        return f"{path.name}: larger than any record PDF; not read."
    data = path.read_bytes()
    from .long_term import site_crls, tsa_roots

    try:
        # Trusted as `records verify` trusts: the site's TSA roots (a timestamped PDF) and its revocation list.
        report = verify_pdf(data, roots, tsa_roots_pem=tsa_roots(), site_crls_der=site_crls(store))
        binding = read_binding(data)
    except ChecklistError as exc:
        return f"{path.name}: {exc}"
    if not report.ok:
        return f"{path.name}: its signatures do not hold ({report.problem})."
    if binding is None:
        return f"{path.name}: carries no record binding or audit anchor."
    problem = _anchor_problem(store, path.name, binding.audit_seq, binding.audit_hash)
    if problem:
        return problem
    try:
        row = store.records.get(binding.record_id)
    except ChecklistError:
        return f"{path.name}: record {binding.record_id} is missing from the database."
    if row.content_sha256 != binding.content_sha256:
        return (
            f"{path.name}: record {binding.record_id} in the database no longer has the content this PDF "
            "signed: the record was rewritten."
        )
    return None


def _checkpoint_problem(store: Store, path: Path, roots: list[bytes]) -> str | None:
    from ..export.checkpoint import MAX_CHECKPOINT_BYTES, read_checkpoint

    if path.stat().st_size > MAX_CHECKPOINT_BYTES:
        return f"{path.name}: is larger than any checkpoint file."
    try:
        point = read_checkpoint(path.read_bytes(), roots)
    except ChecklistError as exc:
        return f"{path.name}: {exc}."
    return _anchor_problem(store, path.name, point.seq, point.hash)


def verify_anchors(store: Store, folder: Path) -> AnchorReport:
    """The chain itself, then every *.pdf and *.checkpoint file in `folder` against it (other files, such as an
    exported record's JSON or FHIR Bundle, are not anchors and are left alone)."""
    chain = store.audit.verify()
    if not chain.ok:
        return AnchorReport(False, 0, chain.message)
    if not folder.is_dir():
        return AnchorReport(False, 0, f"{folder} is not a folder of anchors.")
    roots = trust_roots(store)
    checked = 0
    for path in sorted(folder.iterdir()):
        suffix = path.suffix.lower()
        if not path.is_file() or suffix not in (".pdf", ".checkpoint"):
            continue
        problem = _pdf_problem(store, path, roots) if suffix == ".pdf" else _checkpoint_problem(store, path, roots)
        if problem:
            return AnchorReport(False, checked, problem)
        checked += 1
    return AnchorReport(True, checked, f"{chain.message} {checked} anchor(s) in {folder} agree with the chain.")
