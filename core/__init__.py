"""Pishkhan's small core: the app factory, plugin manager, data, security, UI shell and worker.

The core knows no plugin. Plugins implement the hooks of ``core.hookspecs`` with ``hookimpl``.
"""
import pluggy

hookimpl = pluggy.HookimplMarker("pishkhan")

__all__ = ["hookimpl"]
