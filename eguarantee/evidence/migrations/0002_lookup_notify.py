"""Triggers that tell every server process when a table the public lookup reads has
changed (lookup_cache.py). PostgreSQL only: SQLite has no notifications, and there every
lookup reads the database."""

from django.db import migrations

FUNCTION = "eguarantee_lookups_changed"
CHANNEL = "eguarantee_lookups"  # lookup_cache.CHANNEL, fixed here as this migration is

# (app, model): every statement that changes one sends the notification.
WATCHED = [
    ("guarantees", "Guarantee"),
    ("guarantees", "GuaranteeDocument"),
    ("accounts", "Organization"),
    ("catalog", "GuaranteeType"),
    ("evidence", "TreeHead"),
    ("evidence", "Cosignature"),
    ("evidence", "Witness"),
]
# The log's leaves are appended with every business event; a lookup reads only documents'
# leaves. New leaves of other kinds change nothing a lookup shows; any change to an existing
# leaf (which the platform never makes) does.
ENTRY_KIND = "guarantee.document"


def _tables(apps):
    watched = [apps.get_model(app, model)._meta.db_table for app, model in WATCHED]
    return watched, apps.get_model("evidence", "Entry")._meta.db_table


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    watched, entries = _tables(apps)
    q = schema_editor.quote_name
    execute = schema_editor.execute
    execute(
        f"CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$"
        f" BEGIN PERFORM pg_notify('{CHANNEL}', TG_TABLE_NAME); RETURN NULL; END $$"
    )
    for table in watched:
        execute(
            f"CREATE TRIGGER {q(table + '_lookups')} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE"
            f" ON {q(table)} FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()"
        )
    execute(
        f"CREATE TRIGGER {q(entries + '_lookups')} AFTER UPDATE OR DELETE OR TRUNCATE"
        f" ON {q(entries)} FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()"
    )
    execute(
        f"CREATE TRIGGER {q(entries + '_lookups_insert')} AFTER INSERT ON {q(entries)}"
        f" FOR EACH ROW WHEN (NEW.kind = '{ENTRY_KIND}') EXECUTE FUNCTION {FUNCTION}()"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    watched, entries = _tables(apps)
    q = schema_editor.quote_name
    for table, suffix in [(t, "_lookups") for t in watched] + [(entries, "_lookups"), (entries, "_lookups_insert")]:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {q(table + suffix)} ON {q(table)}")
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")


class Migration(migrations.Migration):
    dependencies = [
        ("evidence", "0001_initial"),
        ("guarantees", "0003_list_order_index"),
        ("accounts", "0004_organization_basic_account"),
        ("catalog", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop)]
