"""A review conference is held after its plan starts (DfE rule 8841). The rule spans two tables,
so a CHECK constraint cannot hold it: triggers on both databases refuse a review dated on or
before its plan's start, and a plan start moved onto or after one of its reviews."""

from django.db import migrations

SQLITE = [
    """
    CREATE TRIGGER plans_review_after_plan_start_insert
    BEFORE INSERT ON plans_planreview
    WHEN NEW.date <= (SELECT start_date FROM plans_plan WHERE id = NEW.plan_id)
    BEGIN SELECT RAISE(ABORT, 'review_after_plan_start: a review must be after its plan starts'); END
    """,
    """
    CREATE TRIGGER plans_review_after_plan_start_update
    BEFORE UPDATE OF date, plan_id ON plans_planreview
    WHEN NEW.date <= (SELECT start_date FROM plans_plan WHERE id = NEW.plan_id)
    BEGIN SELECT RAISE(ABORT, 'review_after_plan_start: a review must be after its plan starts'); END
    """,
    """
    CREATE TRIGGER plans_plan_start_before_reviews
    BEFORE UPDATE OF start_date ON plans_plan
    WHEN EXISTS (SELECT 1 FROM plans_planreview WHERE plan_id = NEW.id AND date <= NEW.start_date)
    BEGIN SELECT RAISE(ABORT, 'review_after_plan_start: a review must be after its plan starts'); END
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS plans_review_after_plan_start_insert",
    "DROP TRIGGER IF EXISTS plans_review_after_plan_start_update",
    "DROP TRIGGER IF EXISTS plans_plan_start_before_reviews",
]

POSTGRESQL = [
    """
    CREATE FUNCTION plans_review_after_plan_start() RETURNS trigger AS $$
    BEGIN
      IF TG_TABLE_NAME = 'plans_planreview' THEN
        IF NEW.date <= (SELECT start_date FROM plans_plan WHERE id = NEW.plan_id) THEN
          RAISE EXCEPTION 'review_after_plan_start: a review must be after its plan starts'
            USING ERRCODE = 'check_violation';
        END IF;
      ELSIF EXISTS (
        SELECT 1 FROM plans_planreview WHERE plan_id = NEW.id AND date <= NEW.start_date
      ) THEN
        RAISE EXCEPTION 'review_after_plan_start: a review must be after its plan starts'
          USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER plans_review_after_plan_start
    BEFORE INSERT OR UPDATE OF date, plan_id ON plans_planreview
    FOR EACH ROW EXECUTE FUNCTION plans_review_after_plan_start()
    """,
    """
    CREATE TRIGGER plans_plan_start_before_reviews
    BEFORE UPDATE OF start_date ON plans_plan
    FOR EACH ROW EXECUTE FUNCTION plans_review_after_plan_start()
    """,
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS plans_review_after_plan_start ON plans_planreview",
    "DROP TRIGGER IF EXISTS plans_plan_start_before_reviews ON plans_plan",
    "DROP FUNCTION IF EXISTS plans_review_after_plan_start()",
]


def _run(statements: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}),
        )
    ]
