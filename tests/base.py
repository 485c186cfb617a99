"""Base test case: the founding data and the fixed cast are already in the database."""

from __future__ import annotations

from django.http import HttpResponse
from django.test import TestCase

from tests.cast import Cast


class PortalTestCase(TestCase):
    cast: Cast

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = Cast.load()
        for name, value in vars(cls.cast).items():
            setattr(cls, name, value)

    def login(self, user) -> None:
        self.client.force_login(user)

    def get_as(self, user, url: str, **kwargs) -> HttpResponse:
        self.client.logout()
        if user is not None:
            self.client.force_login(user)
        return self.client.get(url, **kwargs)

    def post_as(
        self, user, url: str, data: dict | None = None, **kwargs
    ) -> HttpResponse:
        self.client.logout()
        if user is not None:
            self.client.force_login(user)
        return self.client.post(url, data or {}, **kwargs)

    def assertLoginRedirect(self, response: HttpResponse) -> None:
        self.assertEqual(response.status_code, 302)
        self.assertIn("/accounts/login/", response["Location"])
