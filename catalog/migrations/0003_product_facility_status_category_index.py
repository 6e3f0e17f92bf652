"""Index for counting and listing public products by facility and category.

Found by the benchmark (bench/README.md) at 100,000 products: the catalog
page filtered by a category and a province spent 200-700 ms in its
COUNT(*) (the paginator's), reading ~25,000 heap pages of the category's
products to keep the few in the province's facilities. With this index the
planner walks the province's facilities and counts their products of the
category from the index alone: 6-8 ms.

RunSQL rather than AddIndex: the index is a physical access path only, and
keeping it out of the model state leaves catalog/models.py to its owners
(makemigrations sees no change). Its leading columns cover the older
(facility_id, status) index's queries too.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_review_queue")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS product_facility_status_category "
            "ON catalog_product (facility_id, status, category_id)",
            reverse_sql="DROP INDEX IF EXISTS product_facility_status_category",
        )
    ]
