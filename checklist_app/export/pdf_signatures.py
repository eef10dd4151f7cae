"""The signature area of the record PDF: printed manifestation of each signer and the reserved stamp boxes."""

from __future__ import annotations

from reportlab.platypus import Flowable, Spacer, Table

from ..domain.lifecycle import Meaning
from .pdf_document import PREPARED_FIELD, REVIEWED_FIELD, RecordDocument, SignatureBlock, SignatureSlot
from .pdf_style import FONT_ITALIC, MUTED, RED, RULE, TALL, colored, esc, p, stamp, styled

STAMP_SIZE = (236.0, 62.0)  # three lines of pyHanko's 9 pt stamp text, long names included


class SignatureBox(Flowable):
    """An empty, dashed rectangle where a pyHanko stamp goes; remembers where it was drawn."""

    def __init__(self, name: str, slots: dict[str, SignatureSlot], placeholder: str = "") -> None:
        super().__init__()
        self.name, self.slots, self.placeholder = name, slots, placeholder
        self.width, self.height = STAMP_SIZE

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        c.saveState()
        c.setStrokeColor(RULE)
        c.setLineWidth(0.8)
        c.setDash(3, 2)
        c.rect(0, 0, self.width, self.height, stroke=1, fill=0)
        if self.placeholder:
            c.setFillColor(MUTED)
            c.setFont(FONT_ITALIC, 8)
            c.drawCentredString(self.width / 2, self.height / 2 - 3, self.placeholder)
        c.restoreState()
        x1, y1 = c.absolutePosition(0, 0)
        x2, y2 = c.absolutePosition(self.width, self.height)
        self.slots[self.name] = SignatureSlot(
            page=c.getPageNumber() - 1, box=(round(x1, 2), round(y1, 2), round(x2, 2), round(y2, 2))
        )


def manifestation(sig: SignatureBlock) -> list[Flowable]:
    out: list[Flowable] = [
        p(esc(sig.meaning_title).upper(), "label"),
        p(f"<b>{esc(sig.full_name)}</b>", "proc"),
        p(f"User id <b>{esc(sig.username)}</b>  ·  Role <b>{esc(sig.role_title)}</b>"),
        p(f"Signed <b>{esc(stamp(sig.signed_at))}</b>"),
        p(f"Meaning <b>{esc(sig.meaning_title)}</b>"),
        Spacer(1, 2),
        p(f"<i>“{esc(sig.attestation)}”</i>", "cell"),
    ]
    if sig.override_reason:
        words = "Cancelled because: " if sig.meaning == Meaning.CANCELLED else "Override of NOT READY: "
        out += [Spacer(1, 2), p(colored(words, RED) + esc(sig.override_reason))]
        if sig.override_authorised_by:
            out.append(p(colored("Authorised by: ", RED) + f"<b>{esc(sig.override_authorised_by)}</b>"))
    return out


def signatures(doc: RecordDocument, width: float, slots: dict[str, SignatureSlot]) -> list[Flowable]:
    """Two columns, preparer then reviewer: the printed manifestation on top, the reserved stamp boxes below.

    The boxes are one unsplittable row after the text, so however long an override reason runs, both
    boxes land side by side on the last page.
    """
    first = doc.signature(Meaning.PREPARED, Meaning.AMENDED, Meaning.CANCELLED)
    reviewer = doc.signature(Meaning.REVIEWED)
    draft = doc.is_draft
    if first is not None:
        left = manifestation(first)
        caption = f"{first.meaning_title} — digital signature"
    else:
        left = [
            p("PREPARED BY (NURSE)", "label"),
            p("Not signed — draft." if draft else "Not signed yet.", "proc"),
            p(
                "The preparer's name, user id, role, time and attestation print here when the record is signed.",
                "small",
            ),
        ]
        caption = "Prepared by (nurse) — digital signature"
    if reviewer is not None:
        right = manifestation(reviewer)
    else:
        right = [
            p("REVIEWED BY (CHARGE NURSE)", "label"),
            p(
                "Co-signed digitally after the preparer. The reviewer's name, user id, time and meaning are "
                "in the signature in the box below; check them in a PDF reader's signature panel or with "
                "<font name='DejaVuSans-Bold'>checklist-app verify</font>.",
                "small",
            ),
        ]
    placeholder = "Not signed (draft)" if draft else ""
    # The right column is exactly one box wide, so the reviewer's box ends flush with the right margin.
    widths = [width - STAMP_SIZE[0], STAMP_SIZE[0]]
    text = Table([[left, right]], colWidths=widths)
    styled(
        text,
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (0, 0), 16),
            ("RIGHTPADDING", (1, 0), (1, 0), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ],
    )

    def stamp_cell(name: str, words: str) -> list[Flowable]:
        return [p(esc(words), "head"), Spacer(1, 3), SignatureBox(name, slots, placeholder)]

    boxes = Table(
        [
            [
                stamp_cell(PREPARED_FIELD, caption),
                stamp_cell(REVIEWED_FIELD, "Reviewed by (charge nurse) — digital signature"),
            ]
        ],
        colWidths=widths,
    )
    styled(
        boxes,
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ],
    )
    _, height = text.wrap(width, 1e6)
    # Side by side as a rule; one after the other when a long override reason would make the row too
    # tall to move to a page of its own (paragraphs break across pages, a table row cannot).
    text_part: list[Flowable] = [text] if height <= TALL else [*left, Spacer(1, 8), *right, Spacer(1, 6)]
    return [p("Signatures", "h2_keep"), *text_part, boxes]
