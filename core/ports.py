"""A port: where a module calls work of a module that imports it (a service
queuing the task that runs it, the order core billing through a room above
it). The caller declares the port and its operations; the app's
AppConfig.ready gives it the module that provides them, the way
core.page_registry is filled, so the import goes one way and no function
imports back. Used by orders.hooks and notifications.hooks.

A port reads the operation from its provider at call time, so a test that
patches the provider's function is heard here too. Calling a port nobody
provided is a configuration error, never a silent skip.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured


class Port:
    def __init__(self, name: str, *operations: str):
        self.name = name
        self.operations = frozenset(operations)
        self._provider = None

    def provide(self, provider) -> None:
        """`provider` (a module) has a function (or a task) for every operation."""
        lacking = sorted(op for op in self.operations if getattr(provider, op, None) is None)
        if lacking:
            raise ImproperlyConfigured(f"{provider!r} lacks {self.name}.{', '.join(lacking)}")
        self._provider = provider

    @property
    def provided(self) -> bool:
        return self._provider is not None

    def __getattr__(self, operation: str):
        if operation.startswith("_") or operation not in self.operations:
            raise AttributeError(f"port {self.name} has no operation {operation!r}")
        if self._provider is None:
            raise ImproperlyConfigured(
                f"nothing provides {self.name}.{operation}: its app's ready() has not run"
            )
        return getattr(self._provider, operation)
