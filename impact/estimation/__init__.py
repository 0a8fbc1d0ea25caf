"""Costing scenarios: one vectorised pass of every method over many scenarios (`engine`), the
results it assembles in one typed home (`results`: `Pass` and the figures of a loss), the
headline that combines the methods (`ensemble`) and one scenario's `Estimate`
(`scenario_estimate`, behind the public `impact.estimate`)."""
