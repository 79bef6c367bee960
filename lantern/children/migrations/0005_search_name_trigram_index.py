"""On PostgreSQL, a trigram index lets a search for part of a name (LIKE '%...%') use an index.
SQLite has no such index type; there the name-order index of migration 0004 serves."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS child_search_name_trgm ON children_child USING gin (search_name gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS child_search_name_trgm")


class Migration(migrations.Migration):
    dependencies = [("children", "0004_name_order_search_index")]

    operations = [migrations.RunPython(create, drop)]
