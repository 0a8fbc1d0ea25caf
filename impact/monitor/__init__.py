"""Following a restriction as it happens: hour-by-hour timelines (`timeline`), readers of
outage-monitor files (`importers`), the optional network fetch (`fetch`) and the cost so far,
burn rate and projection (`costing`).
"""
