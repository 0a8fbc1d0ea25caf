"""A scenario and what is known about it: the validated scenario (`scenario`), its country-year
context from the bundled data (`context`), the parameters with their distributions and
sources (`parameters`) and the one sampler of those distributions (`montecarlo`).
"""
