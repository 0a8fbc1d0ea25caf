"""Costing scenarios: one vectorised pass of every method over many scenarios (`engine`), the
headline that combines them (`ensemble`) and one scenario's full `Estimate`
(`scenario_estimate`, behind the public `impact.estimate`).
"""
