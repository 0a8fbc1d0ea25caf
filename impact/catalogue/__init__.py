"""Past shutdown events: the catalogue's row rules (`rules`), how long and how widely each
event restricted its country (`exposure`), costing the catalogue and a user's own events
with the indicators of each event's year (`events`), and the fitted associations shown beside
an estimate (`associations`).
"""
