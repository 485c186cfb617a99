"""The office signs in with two-factor authentication, as production enforces it:
enrols an authenticator at first sign-in, then signs in with a TOTP code."""

from __future__ import annotations

import time
from base64 import b32decode

import pytest
from django_otp.oath import totp

from tests.browser.conftest import RESULTS, login

pytestmark = pytest.mark.browser


def code(key: str, steps_ahead: int = 0) -> str:
    """What the person's phone shows: TOTP of the key shown at enrolment."""
    return f"{totp(b32decode(key), drift=steps_ahead):06d}"


def shot(page, name: str) -> None:
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS / f"2fa-{name}.png"), full_page=True)


def test_office_enrols_then_signs_in_with_a_totp_code(page, strict_portal_url):
    url = strict_portal_url
    login(page, url, "office")
    assert "/security/2fa/enrol/" in page.url
    main = page.locator("main")
    assert "请先完成绑定" in main.inner_text()
    qr = page.locator("img.otp-qr")
    assert qr.evaluate("img => img.naturalWidth") > 0  # the QR code is served
    key = page.locator("#otp-key").inner_text().replace(" ", "")
    shot(page, "enrol")
    page.get_by_label("验证码").fill(code(key))
    page.get_by_role("button", name="完成绑定").click()
    assert "绑定成功" in main.inner_text()
    assert page.locator(".recovery-codes li").count() == 10
    page.get_by_role("link", name="我已保存，进入工作台").click()
    assert "办公室" in main.inner_text()

    # the next sign-in asks for the code after the password
    page.context.clear_cookies()
    login(page, url, "office")
    assert "/security/2fa/verify/" in page.url
    shot(page, "verify")
    page.get_by_label("验证码").fill("000000")
    page.get_by_role("button", name="验证").click()
    assert "验证码不正确" in main.inner_text()
    time.sleep(1.2)  # django-otp's back-off after a wrong code
    page.get_by_label("验证码").fill(code(key, steps_ahead=1))
    page.get_by_role("button", name="验证").click()
    page.wait_for_load_state("networkidle")
    assert "/security/2fa/" not in page.url
    assert "办公室工作人员" in main.inner_text()


def test_audit_admin_reads_the_log(page, strict_portal_url):
    """The audit administrator must enrol too; then reads the sign-ins above."""
    url = strict_portal_url
    login(page, url, "auditadmin")
    assert "/security/2fa/enrol/" in page.url
    key = page.locator("#otp-key").inner_text().replace(" ", "")
    page.get_by_label("验证码").fill(code(key))
    page.get_by_role("button", name="完成绑定").click()
    page.goto(url + "/security/audit/")
    body = page.locator("main").inner_text()
    assert "审计记录" in body
    assert "启用双因素认证" in body
    shot(page, "audit")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "audit-phone")
    # the system administrator's page is not theirs
    response = page.goto(url + "/security/accounts/")
    assert response.status == 403
