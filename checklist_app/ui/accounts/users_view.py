"""The administrator's page: add a user with roles, reset a password, revoke a signing key and re-issue the site CRL
(the services enforce the rules; revocation is the same service `users revoke` / `site crl` use)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...domain import limits
from ...domain.errors import ChecklistError
from ...services.long_term import crl_status, issue_crl, revoke_key
from ...services.models import Role, User
from ..shell import msgbox
from ..shell.fields import password_field
from ..shell.i18n import tr
from ..shell.style import set_prop

if TYPE_CHECKING:
    from ...services.app import AppServices
    from ..shell.session import Session


class UsersView(QWidget):
    """Two small forms; each answers with the service's own words under its button."""

    roles = frozenset({Role.ADMIN})

    def __init__(self, svc: AppServices, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("usersView")
        self._svc = svc
        self.session = session

        add_box = QGroupBox(tr("Add a user"), self)
        self.username_edit = QLineEdit(add_box)
        self.username_edit.setObjectName("newUsername")
        self.username_edit.setAccessibleName(tr("New user id"))
        self.full_name_edit = QLineEdit(add_box)
        self.full_name_edit.setObjectName("newFullName")
        self.full_name_edit.setAccessibleName(tr("Full name (printed with every signature)"))
        self.role_boxes: dict[Role, QCheckBox] = {}
        roles = QHBoxLayout()
        for role in Role:
            box = QCheckBox(role.label, add_box)
            box.setObjectName(f"role:{role.value}")
            self.role_boxes[role] = box
            roles.addWidget(box)
        roles.addStretch(1)
        self.password_edit = password_field(add_box, "newPassword", tr("Initial password"))
        self.repeat_edit = password_field(add_box, "newPasswordRepeat", tr("Initial password again"))
        self.add_button = QPushButton(tr("Add user"), add_box)
        self.add_button.setObjectName("addUser")
        self.add_button.setProperty("primary", True)
        self.add_button.setAutoDefault(False)
        self.add_result = QLabel(add_box)
        self.add_result.setObjectName("addUserResult")
        self.add_result.setWordWrap(True)
        add_form = QFormLayout(add_box)
        add_form.addRow(tr("User &id"), self.username_edit)
        add_form.addRow(tr("&Full name"), self.full_name_edit)
        add_form.addRow(tr("Roles"), roles)
        add_form.addRow(tr("&Password"), self.password_edit)
        add_form.addRow(tr("&Again"), self.repeat_edit)
        add_form.addRow(self.add_button, self.add_result)

        reset_box = QGroupBox(tr("Reset a password (a nurse's signing key is replaced too)"), self)
        self.reset_user_edit = QLineEdit(reset_box)
        self.reset_user_edit.setObjectName("resetUsername")
        self.reset_user_edit.setAccessibleName(tr("User id whose password to reset"))
        self.reset_password_edit = password_field(reset_box, "resetPassword", tr("New password"))
        self.reset_button = QPushButton(tr("Reset password"), reset_box)
        self.reset_button.setObjectName("resetPasswordButton")
        self.reset_button.setAutoDefault(False)
        self.reset_result = QLabel(reset_box)
        self.reset_result.setObjectName("resetResult")
        self.reset_result.setWordWrap(True)
        reset_form = QFormLayout(reset_box)
        reset_form.addRow(tr("&User id"), self.reset_user_edit)
        reset_form.addRow(tr("&New password"), self.reset_password_edit)
        reset_form.addRow(self.reset_button, self.reset_result)

        revoke_box = self._revocation_box()

        layout = QVBoxLayout(self)
        layout.addWidget(add_box)
        layout.addWidget(reset_box)
        layout.addWidget(revoke_box)
        layout.addStretch(1)
        self.add_button.clicked.connect(self.add_user)
        self.repeat_edit.returnPressed.connect(self.add_user)
        self.reset_button.clicked.connect(self.reset_password)
        self.reset_password_edit.returnPressed.connect(self.reset_password)

    # -- page: nothing here shows patient data or needs reading again ---------------------------------------------
    def set_user(self, user: User | None) -> None:
        pass

    def clear(self) -> None:
        pass

    def refresh(self) -> None:
        self._show_crl()

    @staticmethod
    def _say(label: QLabel, text: str, ok: bool) -> None:
        label.setText(text)
        set_prop(label, "ok", ok)

    def add_user(self) -> None:
        admin = self.session.user
        if admin is None:
            return
        if self.password_edit.text() != self.repeat_edit.text():
            self._say(self.add_result, tr("The two passwords differ."), False)
            return
        roles = {role for role, box in self.role_boxes.items() if box.isChecked()}
        try:
            # The admin chose this password: the user must choose their own before they can sign.
            user = self._svc.auth.create_user(
                self.username_edit.text().strip(),
                self.full_name_edit.text(),
                roles,
                self.password_edit.text(),
                actor=admin.username,
                temporary=True,
            )
        except ChecklistError as exc:
            self._say(self.add_result, str(exc), False)
            return
        self._say(
            self.add_result,
            tr("Added {full_name} ({roles_text}) as “{username}”.").format(
                full_name=user.full_name, roles_text=user.roles_text, username=user.username
            ),
            True,
        )
        for edit in (self.username_edit, self.full_name_edit, self.password_edit, self.repeat_edit):
            edit.clear()
        for box in self.role_boxes.values():
            box.setChecked(False)

    def reset_password(self) -> None:
        admin = self.session.user
        if admin is None:
            return
        username = self.reset_user_edit.text().strip()
        try:
            self._svc.auth.reset_password(admin, username, self.reset_password_edit.text())
        except ChecklistError as exc:
            self._say(self.reset_result, str(exc), False)
            return
        self.reset_password_edit.clear()
        self._say(self.reset_result, tr("New password set for “{username}”.").format(username=username), True)

    # -- revocation (issue 14): a lost workstation or a shared password ends a signing key ------------------------

    def _revocation_box(self) -> QGroupBox:
        box = QGroupBox(tr("Revoke a signing key (the user signs nothing more until their password is reset)"), self)
        self.revoke_user_edit = QLineEdit(box)
        self.revoke_user_edit.setObjectName("revokeUsername")
        self.revoke_user_edit.setAccessibleName(tr("User id whose signing key to revoke"))
        self.revoke_reason_edit = QLineEdit(box)
        self.revoke_reason_edit.setObjectName("revokeReason")
        self.revoke_reason_edit.setAccessibleName(tr("Reason for the revocation"))
        self.revoke_reason_edit.setPlaceholderText(tr("e.g. workstation lost, password shared"))
        self.revoke_reason_edit.setMaxLength(limits.NOTE_CHARS)
        self.revoke_button = QPushButton(tr("Revoke key"), box)
        self.revoke_button.setObjectName("revokeKey")
        self.revoke_button.setAutoDefault(False)
        self.revoke_result = QLabel(box)
        self.revoke_result.setObjectName("revokeResult")
        self.revoke_result.setWordWrap(True)
        self.crl_label = QLabel(box)
        self.crl_label.setObjectName("crlStatus")
        self.crl_label.setWordWrap(True)
        self.crl_button = QPushButton(tr("Issue a fresh CRL"), box)
        self.crl_button.setObjectName("issueCrl")
        self.crl_button.setAutoDefault(False)
        self.crl_button.setToolTip(
            tr(
                "Re-sign the site's revocation list (needed within a year, and before a "
                "time-stamp authority is turned on)"
            )
        )
        form = QFormLayout(box)
        form.addRow(tr("U&ser id"), self.revoke_user_edit)
        form.addRow(tr("&Reason"), self.revoke_reason_edit)
        form.addRow(self.revoke_button, self.revoke_result)
        form.addRow(self.crl_button, self.crl_label)
        self.revoke_button.clicked.connect(self.revoke_key)
        self.revoke_reason_edit.returnPressed.connect(self.revoke_key)
        self.crl_button.clicked.connect(self.issue_crl)
        self._show_crl()
        return box

    def _show_crl(self) -> None:
        try:
            status = crl_status(self._svc.store)
        except ChecklistError as exc:
            self.crl_label.setText(tr("The revocation list could not be read: {problem}").format(problem=exc))
            return
        if status is None:
            self.crl_label.setText(tr("No revocation list issued yet."))
            return
        number, issued, next_update = status
        self.crl_label.setText(
            tr("Site CRL number {number}, issued {issued}; valid until {until}.").format(
                number=number,
                issued=f"{issued.astimezone():%Y-%m-%d %H:%M}",
                until=f"{next_update.astimezone():%Y-%m-%d}",
            )
        )

    def revoke_key(self) -> None:
        admin = self.session.user
        if admin is None or not admin.has(Role.ADMIN):
            return
        username = self.revoke_user_edit.text().strip()
        reason = self.revoke_reason_edit.text().strip()
        if not username or not reason:
            self._say(self.revoke_result, tr("Enter the user id and the reason."), False)
            return
        question = tr(
            "Revoke the signing key of “{user}”? They cannot sign until an administrator resets their "
            "password; what they signed before stays valid."
        ).format(user=username)
        if not msgbox.confirm(self, tr("Revoke signing key"), question, yes=tr("Revoke"), no=tr("Cancel")):
            return
        try:
            number = revoke_key(self._svc.store, admin.username, username, reason)
        except ChecklistError as exc:
            self._say(self.revoke_result, str(exc), False)
            return
        self.revoke_reason_edit.clear()
        self._say(
            self.revoke_result,
            tr("Revoked the signing key of “{user}” (site CRL number {number}).").format(user=username, number=number),
            True,
        )
        self._show_crl()

    def issue_crl(self) -> None:
        admin = self.session.user
        if admin is None or not admin.has(Role.ADMIN):
            return
        try:
            number = issue_crl(self._svc.store, admin.username)
        except ChecklistError as exc:
            self._say(self.revoke_result, str(exc), False)
            return
        self._say(self.revoke_result, tr("Issued site CRL number {number}.").format(number=number), True)
        self._show_crl()
