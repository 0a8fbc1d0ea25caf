"""Costing scenarios: one vectorised pass of every method over many scenarios (`engine`; its
N = 1 case, `engine.estimate`, is the public `impact.estimate`), the results in one typed home
(`results`: `Pass`, one scenario's `Estimate`, and the figures of a loss) and the headline that
combines the methods (`ensemble`)."""
