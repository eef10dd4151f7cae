"""The administrator's page: add a user with roles, reset a password (the services enforce the rules)."""

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

from ...domain.errors import ChecklistError
from ...services.models import Role, User
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

        layout = QVBoxLayout(self)
        layout.addWidget(add_box)
        layout.addWidget(reset_box)
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
        pass

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
            user = self._svc.auth.create_user(self.username_edit.text().strip(), self.full_name_edit.text(), roles,
                                              self.password_edit.text(), actor=admin.username, temporary=True)
        except ChecklistError as exc:
            self._say(self.add_result, str(exc), False)
            return
        self._say(self.add_result, tr("Added {full_name} ({roles_text}) as “{username}”.").format(
            full_name=user.full_name, roles_text=user.roles_text, username=user.username), True)
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
