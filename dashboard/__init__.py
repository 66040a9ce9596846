"""The Dash app: shows what queries/ returns, computes nothing of its own."""

from dashboard.app import create_app

__all__ = ["create_app"]
