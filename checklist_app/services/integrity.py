"""Whether a stored record tells the truth: its PDF is its own, its signers are its signers, its status is earned.

Each check returns the first mismatch as a sentence (the database was altered), or None. The PDF's own
signature report is judged separately (export.verification); these checks compare the signed PDF with the
rows beside it, which an attacker with INSERT or UPDATE rights could change without touching a signature.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..domain.lifecycle import Meaning, Role, Status
from ..store import Store
from ..store.audit import Actions
from ..store.record_rows import RecordRow

if TYPE_CHECKING:
    from ..export.binding import RecordBinding
    from ..export.verification import VerificationReport

ALTERED = "the database was altered"


def version_number(store: Store, record_id: str) -> int:
    """1 for an original record, n + 1 for the amendment of version n."""
    chain = store.records.versions(record_id)
    return next(i for i, summary in enumerate(chain, start=1) if summary.id == record_id)


def binding_problem(store: Store, row: RecordRow, binding: RecordBinding | None) -> str | None:
    """The PDF's signed binding against the row: record id, version, content SHA-256, and the audit anchor."""
    if binding is None:
        return (
            f"The stored PDF carries no signed record binding, so it is not shown to be this record's own: {ALTERED}."
        )
    if binding.record_id != row.id:
        return f"The stored PDF is the signed PDF of another record ({binding.record_id}), not of {row.id}: {ALTERED}."
    if binding.content_sha256 != row.content_sha256:
        return (
            f"The stored PDF was signed over content SHA-256 {binding.content_sha256[:12]}…, the record "
            f"holds {str(row.content_sha256)[:12]}…: {ALTERED}."
        )
    version = version_number(store, row.id)
    if binding.version != version:
        return (
            f"The stored PDF was signed as version {binding.version} of this record, the database has it "
            f"as version {version}: {ALTERED}."
        )
    stored = store.audit.hash_at(binding.audit_seq)
    if stored is None:
        return (
            f"The audit log has no entry {binding.audit_seq}, the chain head this PDF recorded at signing: "
            "the audit log was trimmed."
        )
    if stored != binding.audit_hash:
        return (
            f"Audit entry {binding.audit_seq} differs from the chain head this PDF recorded at signing: "
            "the audit log was rewritten."
        )
    return None


def signers_problem(store: Store, row: RecordRow, report: VerificationReport) -> str | None:
    """Every PDF signature, in order, made with a certificate naming the user the row says signed it."""
    rows = row.signatures
    checks = report.signatures
    if len(rows) != len(checks):
        return f"The record lists {len(rows)} signature(s) but its PDF holds {len(checks)}: {ALTERED}."
    for number, (saved, check) in enumerate(zip(rows, checks, strict=True), start=1):
        if check.field_name != saved.meaning:
            return (
                f"Signature {number} in the PDF is “{check.field_name}”, the record says “{saved.meaning}”: {ALTERED}."
            )
        if check.username != saved.username:
            return (
                f"Signature {number} ({saved.meaning}) was made with the certificate of "
                f"{check.username or 'an unknown user'}, but the record says {saved.username} signed: "
                f"{ALTERED}."
            )
        if store.users.find(saved.username) is None:
            return f"Signature {number} ({saved.meaning}) names {saved.username}, who has no account: {ALTERED}."
    return None


def status_problem(store: Store, row: RecordRow, report: VerificationReport) -> str | None:
    """reviewed ⇔ a valid co-signature by a charge nurse (not the preparer); amended ⇔ a newer version exists."""
    cosigned = _valid_cosignature(store, row, report)
    if row.status == Status.REVIEWED.value and not cosigned:
        return f"The record is marked reviewed but has no valid co-signature by a charge nurse: {ALTERED}."
    if row.status == Status.SIGNED.value and cosigned:
        return f"The record is co-signed but marked only signed: {ALTERED}."
    if row.status == Status.AMENDED.value and row.superseded_by_id is None:
        return f"The record is marked amended but no newer version of it exists: {ALTERED}."
    if row.status == Status.AMENDED.value and not any(
        entry.detail.get("new_record_id") == row.superseded_by_id
        for entry in store.audit.actions_of(row.id, Actions.RECORD_AMENDED)
    ):
        # A successor row alone is easy to insert; the amendment is also written in the audit chain, whose
        # rewriting `audit verify --anchors` catches.
        return (
            f"The record is marked amended by {row.superseded_by_id}, but the audit log holds no amendment "
            f"of it: {ALTERED}."
        )
    if row.status in (Status.SIGNED.value, Status.REVIEWED.value) and row.superseded_by_id is not None:
        return (
            f"A newer version ({row.superseded_by_id}) replaces this record, yet it is not marked amended: {ALTERED}."
        )
    return None


def _valid_cosignature(store: Store, row: RecordRow, report: VerificationReport) -> bool:
    """A valid "reviewed" signature whose certificate names a charge nurse other than the preparer. The role is
    the account's as stored now: the signature row's own role text is as easy to forge as the row."""
    preparer = row.signatures[0].username if row.signatures else None
    for saved, check in zip(row.signatures, report.signatures, strict=False):
        if (
            saved.meaning == Meaning.REVIEWED.value
            and check.field_name == Meaning.REVIEWED
            and check.valid
            and saved.role == Role.CHARGE_NURSE.label
            and check.username == saved.username
            and saved.username != preparer
        ):
            account = store.users.find(saved.username)
            if account is not None and Role.CHARGE_NURSE.value in account.roles:
                return True
    return False
