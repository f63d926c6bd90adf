"""Presenters: turn computed results into tables (rich), CSV, JSON and SVG charts.

The format is chosen once (registry); nothing here computes a price."""
