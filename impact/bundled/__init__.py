"""The bundled data: where it lives and which version is in use (`datastore`, `io`), the
checks every table passes on reading (`datacheck`), and what is read from it: indicators,
countries, sub-national regions and area names, prices and currency conversion, fitted
coefficients, time zones and the data's status.

Imports nothing above it (the layer order is tested in ``tests/test_layers.py``).
"""
