"""The catalogue's row rules, importable at run time: `rows` (dates, hours, scope,
platforms, deduplication, shares, flags), `facts` (titles, stated hours, links) and
`networks` (operators, network shares); area names are matched by `impact.bundled.areas`.
The build (`impact.build.catalogue`) and a user's own event list (`impact.catalogue.events`)
use the same functions, so a user's event is costed as the catalogue's would be."""
