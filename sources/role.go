package sources

import "github.com/k8s-coroner/coroner/correlate/report"

// InputRole is what the layout of an archive or directory says one of its members is
// (docs/formats.md §1–2). The report shows it as an input's "role". It is the report's own
// named type (report.InputRole: the report imports nothing of coroner), and every value is
// listed here.
type InputRole = report.InputRole

// Roles of the members of an archive or directory; InputRoles lists them all.
const (
	RoleKernel  InputRole = "kernel"  // dmesg, dmesg -T, var/log/dmesg
	RoleSyslog  InputRole = "syslog"  // var/log/messages*, syslog*, kern.log*
	RoleJournal InputRole = "journal" // journalctl captures: all units, one boot, kernel
	RoleUnit    InputRole = "unit"    // journalctl --unit kubelet|crio|containerd|docker, must-gather service logs
	RoleObjects InputRole = "objects" // Pods, Events, Nodes (kubectl get -o json|yaml, must-gather, cluster-info dump)
	RoleLog     InputRole = "log"     // any other file that may be a log; kept if its content says so
	RoleMeta    InputRole = "meta"    // small files that say which node and which clock (hostname, date, btime, zone)
	RoleSkip    InputRole = ""        // everything else
)

// InputRoles lists every InputRole, in the order classify tries them.
var InputRoles = []InputRole{RoleKernel, RoleSyslog, RoleJournal, RoleUnit, RoleObjects, RoleLog, RoleMeta, RoleSkip}
