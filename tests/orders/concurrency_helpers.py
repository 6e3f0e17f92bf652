"""Start workers at the same moment on their own connections (shared by race tests)."""

import threading

from django.db import connection


def run_together(workers):
    """Start every worker at the same moment; return what each returned or raised."""
    barrier = threading.Barrier(len(workers))
    results = [None] * len(workers)

    def run(i, work):
        try:
            barrier.wait(timeout=20)
            results[i] = work()
        except Exception as error:  # collected and asserted on by the test
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a worker hung"
    return results


def stock_without_the_lock(monkeypatch):
    """The controls' catalog.stock: the row lock replaced by a plain read, and
    take by the naive read-modify-write the lock protects (the value read
    before the check written back less the quantity)."""
    from catalog import stock
    from catalog.models import Product

    def read_without_locking(product_ids, *, related=()):
        return list(Product.objects.filter(pk__in=list(product_ids)).select_related(*related))

    def write_what_was_read(products, quantities, held=None):
        for product in products:
            Product.objects.filter(pk=product.pk).update(
                stock=product.stock - quantities[product.pk]
            )

    monkeypatch.setattr(stock, "lock_products", read_without_locking)
    monkeypatch.setattr(stock, "take", write_what_was_read)
