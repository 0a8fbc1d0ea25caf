"""Many scenarios from a file, costed in one vectorised pass and written as they finish
(`run`).
"""
