"""Passwords: validators that speak Chinese, temporary passwords, and the middleware that makes a user holding a
temporary password choose their own before anything else.

Django's zh_Hans catalogue leaves the minimum-length message (a plural) untranslated, so the validators here carry
their own Chinese messages; AUTH_PASSWORD_VALIDATORS names them.
"""

import secrets

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

# Letters and digits that cannot be mistaken for each other when read aloud or copied from a screen.
TEMPORARY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"
TEMPORARY_LENGTH = 12


def temporary_password() -> str:
    """A random password to be shown once and changed at the first sign-in."""
    return "".join(secrets.choice(TEMPORARY_ALPHABET) for _i in range(TEMPORARY_LENGTH))


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """At least min_length characters, said in Chinese."""

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(self.get_error_message(), code="password_too_short")

    def get_error_message(self):
        return _("密码太短，至少需要 %(min_length)d 个字符。") % {"min_length": self.min_length}

    def get_help_text(self):
        return _("密码至少需要 %(min_length)d 个字符。") % {"min_length": self.min_length}


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    """Not one of the 20,000 most common passwords, said in Chinese."""

    def validate(self, password, user=None):
        if password.lower().strip() in self.passwords:
            raise ValidationError(self.get_error_message(), code="password_too_common")

    def get_error_message(self):
        return _("这个密码太常见了，请换一个不容易被猜到的密码。")

    def get_help_text(self):
        return _("不能使用常见密码。")


class NumericPasswordValidator(password_validation.NumericPasswordValidator):
    """Not digits only, said in Chinese."""

    def validate(self, password, user=None):
        if password.isdigit():
            raise ValidationError(self.get_error_message(), code="password_entirely_numeric")

    def get_error_message(self):
        return _("密码不能全是数字。")

    def get_help_text(self):
        return _("密码不能全是数字。")


class PasswordChangeRequiredMiddleware:
    """A signed-in user holding a temporary password is sent to the change-password page until they change it."""

    # Paths that stay open: the change page itself, signing out, and the files a page needs.
    OPEN_PREFIXES = ("/static/", "/accounts/logout/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "must_change_password", False):
            target = reverse("eventweek:manage_password_change")
            if request.path != target and not request.path.startswith(self.OPEN_PREFIXES):
                return redirect(target)
        return self.get_response(request)
