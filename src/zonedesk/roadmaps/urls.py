from django.urls import path

from zonedesk.roadmaps import views

urlpatterns = [
    path("roadmaps/", views.roadmap_list, name="roadmap_list"),
    path("roadmaps/attention/", views.attention, name="roadmap_attention"),
    path("roadmaps/reviews/", views.enterprise_reviews, name="roadmap_reviews"),
    path("roadmaps/zone/<str:code>/", views.zone_roadmaps, name="zone_roadmaps"),
    path("roadmaps/new/", views.roadmap_new, name="roadmap_new"),
    path("roadmaps/<int:pk>/", views.roadmap_detail, name="roadmap_detail"),
    path("roadmaps/<int:pk>/edit/", views.roadmap_edit, name="roadmap_edit"),
    path("roadmaps/<int:pk>/packages/new/", views.package_new, name="package_new"),
    path("roadmaps/milestones/<int:pk>/plan/", views.milestone_plan, name="milestone_plan"),
    path("roadmaps/<int:pk>/milestones/new/", views.milestone_new, name="milestone_new"),
    path("roadmaps/<int:pk>/review/", views.roadmap_review, name="roadmap_review"),
    path("roadmaps/from-project/<str:code>/", views.roadmap_from_project, name="roadmap_from_project"),
    path("roadmaps/milestones/<int:pk>/progress/", views.milestone_progress, name="milestone_progress"),
    path("roadmaps/packages/<int:pk>/record/", views.package_record, name="package_record"),
    path("roadmaps/packages/<int:pk>/hand-over/", views.package_hand_over, name="package_hand_over"),
]
