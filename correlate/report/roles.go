package report

// The report's named strings whose values other packages decide: this package
// imports nothing of coroner, so each type is declared here and its values are listed, under
// an alias of the type, by the package that produces them.

// InputRole is what an archive's layout says an input is: kernel, syslog, journal, unit,
// objects. Its values are sources.InputRoles.
type InputRole string

// Role says what an evidence line says: kill, summary, memcg-usage, event-oomkilling,
// pod-status, …. Package parsers names it parsers.Role and lists its values (parsers.Roles).
type Role string

// InputKind is the format an input was read as: dmesg, journal-json, kube-objects,
// unknown, …. Package sources names it sources.Kind and lists its values (sources.Kinds).
type InputKind string
