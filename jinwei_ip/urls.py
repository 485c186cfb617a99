from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from members.forms import LoginForm
from security.views import PolicyPasswordChangeView

from . import views

admin.site.site_header = _("金台区知识产权工作协调领导小组 · 管理")
admin.site.site_title = _("领导小组门户管理")
admin.site.index_title = _("办公室管理")

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        PolicyPasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("", include("members.urls")),
    path("security/", include("security.urls")),
    path("duties/", include("duties.urls")),
    path("meetings/", include("meetings.urls")),
    path("tasks/notifications/", include("notices.urls")),
    path("tasks/", include("tasks.urls")),
    path("campaigns/", include("campaigns.urls")),
    path("dashboard/", include("oversight.urls")),
    path("annual/", include("annual.urls")),
    path("jobs/", include("jobs.urls")),
    path("admin/", admin.site.urls),
]
