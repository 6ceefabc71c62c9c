"""The one way a module imports another that imports it back.

A page's routes call views, and views read the page's models; a page's context
comes from selectors that read its models; a page form asks services that read
the models using the form. The module is named at the top, with the other
imports, and loaded on first use.
"""

from importlib import import_module

from django.utils.functional import SimpleLazyObject


def imported_later(module: str):
    """``module``, imported the first time one of its names is used."""
    return SimpleLazyObject(lambda: import_module(module))
