"""The sufficiency assessment report: its shape (model), the figures' definitions,
the sections built from indicators and forecasts, and SVG charts. Pure."""
