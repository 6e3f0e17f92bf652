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
