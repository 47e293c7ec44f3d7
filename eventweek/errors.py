"""The errors every service raises, and the one middleware that turns an escaped domain error into a Chinese page.

- `DomainError`: a business rule refused the operation; its message is shown to the user (views usually catch it and
  show it on the form).
- `NotFound`: the row is missing *or* the user may not see it. Both answer the same Chinese 404, so an outsider
  cannot tell a sibling province's row from one that does not exist.
- `Forbidden`: the user may see the row but not do this; a Chinese 403 that says why.

`NotFound` and `Forbidden` subclass Django's `Http404` and `PermissionDenied`, so Django's own handlers render
`404.html` and `403.html` for them wherever they are raised, in a view or in a service it calls.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse


class DomainError(Exception):
    """A business rule refused the operation; the message is shown to the user."""


class NotFound(Http404):
    """Missing or not visible to this user: one answer for both."""


class Forbidden(PermissionDenied):
    """Visible to this user, but this action is not theirs; the message says why."""


class DomainErrorMiddleware:
    """A `DomainError` that no view caught becomes the Chinese 400 page with its message, not a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DomainError):
            response = TemplateResponse(request, "400.html", {"message": str(exception)}, status=400)
            return response.render()
        return None
