"""`impact.bundled.datastore.forget_data_dir`: after a switch of data folder nothing read from the old one is
kept (an estimate of PAK 2027 looked up 2026's GDP as 2025's; a refresh that added 2026 then
still saw 2025 in the same process)."""

from __future__ import annotations

from impact.bundled.datastore import forget_data_dir
from impact.bundled.indicators import _table, lookup
from impact.bundled.prices import deflator_index
from impact.methods.cost_compatible import fit_coefficients
from impact.model.context import digital_share
from impact.model.parameters import _param_index, param


def test_forget_data_dir_empties_every_cache_of_the_package():
    lookup("PAK", "gdp_usd", 2026)
    digital_share("PAK", 2024)
    param("impact", "indirect_multiplier")
    fit_coefficients()
    deflator_index("USA")
    cached = (lookup, _table, digital_share, _param_index, fit_coefficients, deflator_index)
    assert all(f.cache_info().currsize for f in cached)
    forget_data_dir()
    assert [f.__name__ for f in cached if f.cache_info().currsize] == []
    assert lookup("PAK", "gdp_usd", 2024).year_used == 2024  # and reads afresh
