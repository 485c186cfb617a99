"""Authentication backend: Django's ModelBackend, loading the person's unit with them.

Every page names the person's unit in its header (``my_unit``), and most unit
pages start from it, so reading it in the same query as the user saves one query
on every request of a unit's account.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from .models import User


class PortalBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            user = User._default_manager.select_related("unit").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
