"""What people read: charts and their frames (`charts`, `chart_frames`, `event_charts`), the
exports in every format (`export`) and the citable briefs (`brief`).
"""
