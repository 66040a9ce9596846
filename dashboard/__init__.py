"""The Dash app: shows what queries/ returns, computes nothing of its own."""
