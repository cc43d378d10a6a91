package report

// The report's named strings whose values are decided below it: this package imports nothing
// of coroner, so each type's values live with the package that produces them and package
// correlate converts them, each in one place.

// InputRole is what an archive's layout says an input is: kernel, syslog, journal, unit,
// objects. Its values are sources.InputRoles.
type InputRole string

// Role says what an evidence line says: kill, summary, memcg-usage, event-oomkilling,
// pod-status, …. Package parsers names it parsers.Role and lists its values (parsers.Roles).
type Role string

// InputKind is the format an input was read as: dmesg, journal-json, kube-objects,
// unknown, …. Package sources names it sources.Kind and lists its values (sources.Kinds).
type InputKind string
