from django.urls import path

from . import views

app_name = "security"

urlpatterns = [
    path("", views.security_home, name="home"),
    path("accounts/", views.accounts, name="accounts"),
    path("accounts/new/", views.account_create, name="account_create"),
    path("accounts/<int:pk>/", views.account_edit, name="account_edit"),
    path(
        "accounts/<int:pk>/password/",
        views.account_password_reset,
        name="account_password_reset",
    ),
    path("accounts/<int:pk>/2fa/", views.account_otp_reset, name="account_otp_reset"),
    path("policy/", views.policy, name="policy"),
    path("roles/", views.roles, name="roles"),
    path("roles/<int:pk>/revoke/", views.role_revoke, name="role_revoke"),
    path("audit/", views.audit_list, name="audit"),
    path("audit/export/", views.audit_export, name="audit_export"),
    path("audit/verify/", views.audit_verify, name="audit_verify"),
    path("audit/<int:seq>/", views.audit_detail, name="audit_detail"),
    path("2fa/", views.otp_status, name="otp_status"),
    path("2fa/enrol/", views.otp_enrol, name="otp_enrol"),
    path("2fa/enrol/qr.svg", views.otp_qr, name="otp_qr"),
    path("2fa/verify/", views.otp_verify, name="otp_verify"),
    path("2fa/recovery/", views.otp_recovery, name="otp_recovery"),
]
