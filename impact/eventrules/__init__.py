"""The catalogue's rules, importable at run time: `catalogue` (dates, hours, scope,
platforms, deduplication, shares, flags), `facts` (titles, stated hours, links),
`networks` (operators, network shares) and `areas` (area-name matching). The build
(`impact.build.catalogue`) and a user's own event list (`impact.events`) use the same
functions, so a user's event is costed as the catalogue's would be."""
