"""Build time: events of one network (one operator, one ASN) and the share of users they reach.

Access Now records the operators it names (``telcos_involved``, e.g. ``"Kenya: Safaricom,
Kenya: Airtel (Bharti Airtel)"``) and measurement links, some of them pages of one autonomous
system (``ioda.inetintel.cc.gatech.edu/asn/25292``, ``radar.cloudflare.com/as25292``). No
per-operator market-share source is in the raw snapshot, so the share of an operator's
users is a documented rule, not a measurement.

Rules
-----
- **Operators named** (`operators`): ``telcos_involved`` split on ``,``, ``;``, new lines
  and ``" and "``; a ``"Country: "`` prefix is dropped (and, in a row naming several
  countries, an operator prefixed with another country is not counted for this one);
  parentheses are dropped ("Airtel (Bharti Airtel)" is "airtel"); names are folded with
  `impact.text.normalise`; words that are not operators (ministry, government, authority)
  are left out; spellings of one operator are merged (`OPERATOR_ALIASES`: ETECSA's long
  names).
- **ASNs** (`asns`): the numbers of IODA ``/asn/N`` and Cloudflare Radar ``/asN`` pages in
  the links; **country pages** (`has_country_page`): IODA ``/country/`` and Cloudflare Radar
  country pages (``radar.cloudflare.com/ir``).
- **One network** (`one_network`), never when a country page is linked or several operators
  are named: (a) exactly one ASN linked (the strong evidence: a measurement of that network
  alone); or (b) exactly one operator named, the area text not nationwide, and the source
  names N >= 2 operators for the country over the snapshot. One operator named for a
  nationwide cut without an AS page is not enough: an incumbent or backbone operator often
  carries a whole country's cut (Syrian Telecom's exam cuts, ETECSA in Cuba), so such events
  keep the area share; so do operators that are the only one the source names for their
  country (Ethio Telecom, a monopoly until 2022).
- **Share of users on that network** (`network_share`), central [low, high]:

  - ``one_of_n_operators``: the source names N >= 2 operators for the country over the whole
    snapshot (`country_operators`): 1/N [0.5/N, min(1, 2/N)];
  - ``only_operator_named``: the country's only operator named in the snapshot (N = 1: a
    monopoly, or a thin record): `ONLY_OPERATOR` 0.5 [0.25, 1];
  - ``single_network_default``: an unnamed network (an ASN only) or a named network that is
    not an access provider (`NON_ACCESS_NETWORKS`, e.g. the broadcaster VGTRK):
    `SINGLE_NETWORK` 0.05 [0.005, 0.2].
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from impact.text import normalise

#: share [central, low, high] of a country's users on the only operator the source names
ONLY_OPERATOR = (0.5, 0.25, 1.0)
#: share [central, low, high] of a single network whose users are unknown
SINGLE_NETWORK = (0.05, 0.005, 0.2)
#: named networks that are not access providers (their users are not the country's users)
NON_ACCESS_NETWORKS = {
    "vgtrk": "state broadcaster VGTRK: its AS hosts its own sites and streams",
}
#: folded text containing the key -> the operator's short name (one operator, several spellings)
OPERATOR_ALIASES = {
    "empresa de telecomunicaciones de cuba": "etecsa",
}
_NOT_OPERATOR = re.compile(r"\b(ministry|government|authority|regulator|police|army|military)\b")
_ASN = re.compile(
    r"(?:ioda\.inetintel\.cc\.gatech\.edu/(?:dashboard/)?asn?/|radar\.cloudflare\.com/"
    r"(?:[a-z-]+/)*as)(\d+)", re.IGNORECASE)
_COUNTRY_PAGE = re.compile(
    r"ioda\.inetintel\.cc\.gatech\.edu/(?:dashboard/)?country/|"
    r"radar\.cloudflare\.com/(?:[a-z-]+/)*[a-z]{2}(?:[?#/]|$)", re.IGNORECASE)


def operators(text: str | None, country_keys: Iterable[str] = ()) -> tuple[str, ...]:
    """Folded operator names in ``telcos_involved`` (see the module docstring).

    ``country_keys``: folded names of the row's other countries; an operator prefixed with
    one of them is left out.

    Examples
    --------
    >>> operators("Kenya: Airtel (Bharti Airtel), Kenya: Safaricom")
    ('airtel', 'safaricom')
    >>> operators("Zain, Orange, VTel and DAMAMAX")
    ('zain', 'orange', 'vtel', 'damamax')
    >>> operators("Kenya: Safaricom, Uganda: MTN", country_keys=["uganda"])
    ('safaricom',)
    >>> operators("Pakistan Telecommunication Company Limited\\nand Interior Ministry")
    ('pakistan telecommunication company limited',)
    """
    others = set(country_keys)
    out: list[str] = []
    for item in re.split(r"[,;\n]+|\s+and\s+|\s+&\s+", text or ""):
        prefix, sep, rest = item.partition(":")
        if sep and len(prefix) <= 40:
            if normalise(prefix) in others:
                continue
            item = rest
        name = normalise(re.sub(r"\([^()]*\)?", " ", item))
        name = next((v for k, v in OPERATOR_ALIASES.items() if k in name), name)
        if name and not _NOT_OPERATOR.search(name) and name not in out:
            out.append(name)
    return tuple(out)


def asns(links: Iterable[str]) -> tuple[int, ...]:
    """Distinct ASNs of IODA / Cloudflare Radar AS pages in ``links`` (in order).

    >>> asns(["https://ioda.inetintel.cc.gatech.edu/asn/25292?from=1",
    ...       "https://radar.cloudflare.com/as25292?dateStart=2024-10-01", "https://x.org/as3"])
    (25292,)
    """
    out: list[int] = []
    for link in links:
        for m in _ASN.finditer(link or ""):
            if int(m.group(1)) not in out:
                out.append(int(m.group(1)))
    return tuple(out)


def has_country_page(links: Iterable[str]) -> bool:
    """True when a link is an IODA or Cloudflare Radar page of a whole country.

    >>> has_country_page(["https://radar.cloudflare.com/cm?dateStart=2025-10-22"])
    True
    >>> has_country_page(["https://radar.cloudflare.com/as25292?dateStart=2024-10-01"])
    False
    """
    return any(_COUNTRY_PAGE.search(link or "") for link in links)


def one_network(named: tuple[str, ...], asn_list: tuple[int, ...], country_page: bool,
                n_country: int = 0, nationwide: bool = False) -> bool:
    """True when the row's evidence points to one network (see the module docstring).

    ``n_country``: operators the source names for the country over the whole snapshot;
    ``nationwide``: the area text says nationwide.

    Examples
    --------
    >>> one_network(("vgtrk",), (25292,), False), one_network((), (3,), True)
    (True, False)
    >>> one_network(("mpt",), (), False, 18), one_network(("mpt",), (), False, 18, True)
    (True, False)
    >>> one_network(("ethio telecom",), (), False, 1)
    False
    """
    if country_page or len(named) > 1:
        return False
    if len(asn_list) == 1:
        return True
    return len(named) == 1 and n_country >= 2 and not nationwide


def network_share(named: tuple[str, ...], n_country: int) -> tuple[float, float, float, str]:
    """``(share, low, high, basis)`` [0-1] of the users of one network.

    ``named``: the operator named (empty for an unnamed network); ``n_country``: operators
    the source names for the country over the whole snapshot.

    Examples
    --------
    >>> network_share(("mtn",), 4)
    (0.25, 0.125, 0.5, 'one_of_n_operators')
    >>> network_share(("mtn",), 2)
    (0.5, 0.25, 1.0, 'one_of_n_operators')
    >>> network_share(("ethio telecom",), 1)
    (0.5, 0.25, 1.0, 'only_operator_named')
    >>> network_share((), 5)
    (0.05, 0.005, 0.2, 'single_network_default')
    >>> network_share(("vgtrk",), 6)
    (0.05, 0.005, 0.2, 'single_network_default')
    """
    if not named or named[0] in NON_ACCESS_NETWORKS:
        return (*SINGLE_NETWORK, "single_network_default")
    if n_country >= 2:
        n = float(n_country)
        return 1 / n, 0.5 / n, min(1.0, 2 / n), "one_of_n_operators"
    return (*ONLY_OPERATOR, "only_operator_named")
