"""The commands of `impact.cli`, one module each: each reads its arguments, calls the layers
below and prints or writes the result (text tables: `impact.report.text`). `impact.cli`
imports a command's module only when that command runs."""
