from __future__ import annotations

from django.urls import path

from . import views, views_calendar, views_minutes, views_topics

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_create, name="create"),
    path("calendar.ics", views.calendar_ics, name="calendar"),
    # personal subscription: the page, resetting the address, the feed (no session)
    path("calendar/", views_calendar.calendar_subscribe, name="calendar_subscribe"),
    path("calendar/reset/", views_calendar.calendar_reset, name="calendar_reset"),
    path(
        "calendar/<str:token>.ics", views_calendar.calendar_feed, name="calendar_feed"
    ),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("<int:pk>/held/", views.meeting_mark_held, name="mark_held"),
    path("<int:pk>/cancel/", views.meeting_cancel, name="cancel"),
    path("<int:pk>/attendance/", views.meeting_attendance, name="attendance"),
    path("<int:pk>/agenda/", views_topics.agenda_add, name="agenda_add"),
    path("<int:pk>/minutes/new/", views_minutes.minutes_create, name="minutes_create"),
    path("topics/", views_topics.topic_list, name="topics"),
    path("topics/new/", views_topics.topic_create, name="topic_create"),
    path("topics/<int:pk>/", views_topics.topic_detail, name="topic"),
    path("topics/<int:pk>/move/", views_topics.topic_move, name="topic_move"),
    path(
        "topics/<int:pk>/unschedule/",
        views_topics.topic_unschedule,
        name="topic_unschedule",
    ),
    path("topics/<int:pk>/decline/", views_topics.topic_decline, name="topic_decline"),
    path(
        "topics/<int:pk>/withdraw/",
        views_topics.topic_withdraw,
        name="topic_withdraw",
    ),
    path("minutes/<int:pk>/", views_minutes.minutes_detail, name="minutes"),
    path("minutes/<int:pk>/edit/", views_minutes.minutes_edit, name="minutes_edit"),
    path(
        "minutes/<int:pk>/submit/", views_minutes.minutes_submit, name="minutes_submit"
    ),
    path(
        "minutes/<int:pk>/approve/",
        views_minutes.minutes_approve,
        name="minutes_approve",
    ),
    path(
        "minutes/<int:pk>/return/", views_minutes.minutes_return, name="minutes_return"
    ),
    path("minutes/<int:pk>/issue/", views_minutes.minutes_issue, name="minutes_issue"),
    path(
        "minutes/<int:pk>/correct/",
        views_minutes.minutes_correct,
        name="minutes_correct",
    ),
    path("minutes/<int:pk>/pdf/", views_minutes.minutes_download, name="minutes_pdf"),
]
