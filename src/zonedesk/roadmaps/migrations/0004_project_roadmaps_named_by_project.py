"""Enterprises' development roadmaps made from a project's schedule were titled by the project's
code ("Lộ trình phát triển dự án HL-2019-001"); they are titled by its name now. Only the titles
still exactly as made are changed: a title someone edited stays as it is."""

from django.db import migrations


def name_by_project(apps, schema_editor):
    Roadmap = apps.get_model("roadmaps", "Roadmap")
    for roadmap in Roadmap.objects.filter(project__isnull=False).select_related("project"):
        project = roadmap.project
        changed = []
        if roadmap.title_vi == f"Lộ trình phát triển dự án {project.code}":
            roadmap.title_vi = f"Lộ trình phát triển: {project.name_vi}"[:300]
            changed.append("title_vi")
        if roadmap.title_en == f"Development roadmap of project {project.code}":
            roadmap.title_en = f"Development roadmap: {project.name_en}"[:300] if project.name_en else ""
            changed.append("title_en")
        if changed:
            roadmap.save(update_fields=changed)


class Migration(migrations.Migration):
    dependencies = [("roadmaps", "0003_roadmap_review_one_a_day")]

    operations = [migrations.RunPython(name_by_project, migrations.RunPython.noop)]
