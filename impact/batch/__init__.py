"""Many scenarios from a file: read as text, row by row (`read`), costed in one vectorised
pass per chunk and written as they finish (`run`)."""
