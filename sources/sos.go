package sources

import (
	"bytes"
	"encoding/json"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/k8s-coroner/coroner/correlate/report"
)

// classify says what a member of an archive or directory is, from its path relative to the
// archive's top directory (sosreport-<host>-…/ already removed).
func classify(p string) InputRole {
	base := path.Base(p)
	dir := path.Dir(p)
	switch {
	case strings.HasSuffix(base, ".tailed"): // sos keeps the tail of an oversized log here
		return classify(untail(dir, strings.TrimSuffix(base, ".tailed")))
	case p == "sos_commands/kernel/dmesg", p == "sos_commands/kernel/dmesg_-T", strings.HasPrefix(p, "var/log/dmesg"):
		return RoleKernel
	case strings.HasPrefix(p, "var/log/") && isSyslogName(strings.TrimPrefix(p, "var/log/")):
		return RoleSyslog
	case strings.HasPrefix(p, "sos_commands/") && strings.HasPrefix(base, "journalctl_") && !strings.Contains(base, "--list-boots") &&
		!strings.Contains(base, "--disk-usage") && !strings.Contains(base, "--header"):
		if strings.Contains(base, "_--unit_") || strings.Contains(base, "_-u_") {
			return RoleUnit
		}
		return RoleJournal
	case strings.HasPrefix(p, "host_service_logs/") && strings.HasSuffix(base, "_service.log"):
		return RoleUnit
	case isObjectsPath(p):
		return RoleObjects
	case metaPaths[p]:
		return RoleMeta
	case strings.HasPrefix(p, "sos_commands/"), strings.HasPrefix(p, "sos_reports/"), strings.HasPrefix(p, "sos_logs/"),
		strings.HasPrefix(p, "etc/"), strings.HasPrefix(p, "proc/"), strings.HasPrefix(p, "sys/"), strings.HasPrefix(p, "usr/"),
		strings.HasPrefix(p, "lib/"), strings.HasPrefix(p, "run/"), strings.HasPrefix(p, "boot/"):
		return RoleSkip
	case strings.HasPrefix(p, "var/log/pods/"), strings.HasPrefix(p, "var/log/containers/"), strings.HasSuffix(dir, "/logs"),
		base == "logs.txt":
		return RoleSkip // container stdout: the application's words, not the node's
	}
	return RoleLog
}

// untail turns a sos_strings name back into the path it stands for:
// sos_strings/logs/var.log.messages → var/log/messages, and a command output's name into its
// sos_commands path.
func untail(dir, name string) string {
	if strings.HasPrefix(name, "var.log.") {
		return strings.ReplaceAll(name, ".", "/")
	}
	return "sos_commands/" + path.Base(dir) + "/" + name
}

// isSyslogName matches what the sos logs plugin copies: messages*, syslog*, kern.log*, also
// rotated (messages-20250329, syslog.1, syslog.2.gz).
func isSyslogName(name string) bool {
	for _, p := range []string{"messages", "syslog", "kern.log"} {
		if name == p || strings.HasPrefix(name, p+"-") || strings.HasPrefix(name, p+".") {
			return true
		}
	}
	return false
}

// isObjectsPath recognises Kubernetes object dumps: kubectl cluster-info dump
// (<ns>/events.json, <ns>/pods.json, nodes.json), oc adm inspect / must-gather
// (namespaces/<ns>/core/events.yaml, …/pods/<pod>/<pod>.yaml, cluster-scoped-resources/core/nodes/*.yaml),
// and the sos kubernetes plugin's kubectl outputs.
func isObjectsPath(p string) bool {
	base := path.Base(p)
	switch {
	case base == "events.json", base == "pods.json", base == "nodes.json", base == "events.yaml", base == "pods.yaml":
		return true
	case strings.Contains(p, "/pods/") && strings.HasSuffix(base, ".yaml") && strings.HasPrefix(p, "namespaces/"),
		strings.Contains(p, "namespaces/") && strings.Contains(p, "/pods/") && strings.HasSuffix(base, ".yaml"):
		return true
	case strings.HasPrefix(p, "cluster-scoped-resources/core/nodes/"):
		return true
	case strings.HasPrefix(p, "sos_commands/kubernetes/") && strings.Contains(base, "_-o_json") &&
		(strings.HasSuffix(base, "_events") || strings.HasSuffix(base, "_pods") || strings.HasSuffix(base, "_nodes")):
		return true
	}
	return false
}

// metaPaths are the small files that name the node and its clock (docs/formats.md §1.8).
var metaPaths = map[string]bool{
	"sos_commands/host/hostname": true, "sos_commands/general/hostname": true, "etc/hostname": true,
	"sos_commands/kernel/uname_-a": true, "sos_commands/date/date": true, "sos_commands/general/date": true,
	"sos_commands/date/date_--utc": true, "sos_commands/systemd/timedatectl": true,
	"etc/localtime": true, "etc/timezone": true, "proc/stat": true, "version.txt": true,
	"sos_reports/manifest.json": true, "sos_commands/host/uptime": true, "sos_commands/general/uptime": true,
	"proc/sys/kernel/random/boot_id": true, "timestamp": true,
}

// maxMeta bounds what is read of a metadata file.
const maxMeta = 1 << 20

// ArchiveInfo is what an archive (or directory) says about the node and the collection: the
// report's Archive, which it fills in, and the clock state it needs while reading. Members
// are listed only when the source was asked to explain (--explain-inputs), so a huge archive
// costs no memory for them.
type ArchiveInfo struct {
	report.Archive

	loc *time.Location
	// collectedByName marks a Collected that is only the date in the archive's name, which
	// any date file overrides.
	collectedByName bool
	// utcOffset is the node's offset learned from date vs date --utc, used when no zone name is
	// known.
	localDate, utcDate time.Time
}

// Location is the node's zone, nil when the archive did not say.
func (a *ArchiveInfo) Location() *time.Location { return a.loc }

// sosNameRe reads the host and date of a sosreport's name (docs/formats.md §1.1):
// sosreport-<host>[-label][-case]-YYYY-MM-DD-<rand> or sosreport-<host>[.case]-YYYYMMDDHHMMSS.
var sosNameRe = regexp.MustCompile(`^sosreport-(.+?)(?:-(\d{4}-\d{2}-\d{2})-[a-z]{7}|-(\d{14}))$`)

// readMeta takes one metadata file's content into the info.
func (a *ArchiveInfo) readMeta(p string, b []byte) {
	text := strings.TrimSpace(string(b))
	first, _, _ := strings.Cut(text, "\n")
	switch p {
	case "sos_commands/host/hostname", "sos_commands/general/hostname", "etc/hostname":
		if a.Host == "" || p != "etc/hostname" {
			a.Host = strings.TrimSpace(first)
		}
	case "sos_commands/kernel/uname_-a":
		if f := strings.Fields(first); len(f) >= 3 {
			a.Kernel = f[2]
			if a.Host == "" {
				a.Host = f[1]
			}
		}
	case "version.txt":
		for _, l := range strings.Split(text, "\n") {
			if v, ok := strings.CutPrefix(l, "sosreport: "); ok {
				a.SosVersion = strings.TrimSpace(v)
			} else if v, ok := strings.CutPrefix(l, "sos report: "); ok {
				a.SosVersion = strings.TrimSpace(v)
			}
		}
	case "proc/stat":
		for _, l := range strings.Split(text, "\n") {
			if v, ok := strings.CutPrefix(l, "btime "); ok {
				if n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil {
					a.BootTime = time.Unix(n, 0).UTC()
				}
			}
		}
	case "proc/sys/kernel/random/boot_id":
		a.BootID = first
	case "etc/localtime":
		if loc := zoneFromTZif(b); loc != nil {
			a.setZone(loc, "")
		}
	case "etc/timezone":
		if loc, err := time.LoadLocation(first); err == nil {
			a.setZone(loc, first)
		}
	case "sos_commands/systemd/timedatectl":
		a.readTimedatectl(text)
	case "sos_commands/date/date", "sos_commands/general/date":
		if t, ok := parseDateOutput(first); ok {
			a.localDate = t
			if a.Collected.IsZero() || a.collectedByName {
				a.Collected, a.collectedByName = t, false
			}
		}
	case "sos_commands/date/date_--utc":
		if t, ok := parseDateOutput(first); ok {
			a.utcDate = t
			a.Collected = t
		}
	case "sos_reports/manifest.json":
		var m struct {
			Version   string `json:"version"`
			StartTime string `json:"start_time"`
		}
		if json.Unmarshal(b, &m) == nil {
			if a.SosVersion == "" {
				a.SosVersion = m.Version
			}
		}
	case "timestamp": // must-gather: Go's time.Now().String() at start and end
		if f := strings.Fields(first); len(f) >= 4 {
			if t, err := time.Parse("2006-01-02 15:04:05.999999999 -0700 MST", strings.Join(f[:4], " ")); err == nil {
				a.Collected = t
			}
		}
	}
}

// readTimedatectl reads "Time zone: Europe/Berlin (CET, +0100)" and "Universal time: …".
func (a *ArchiveInfo) readTimedatectl(text string) {
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimSpace(l)
		if v, ok := strings.CutPrefix(l, "Time zone: "); ok {
			name, _, _ := strings.Cut(v, " ")
			if loc, err := time.LoadLocation(name); err == nil {
				a.setZone(loc, name)
			} else if off, ok := offsetIn(v); ok {
				a.setZone(time.FixedZone(name, off), "")
			}
		}
		if v, ok := strings.CutPrefix(l, "Universal time: "); ok {
			if t, ok := parseDateOutput(v); ok {
				a.Collected = t
			}
		}
	}
}

var offsetRe = regexp.MustCompile(`([+-])(\d{2}):?(\d{2})\)`)

func offsetIn(s string) (int, bool) {
	sm := offsetRe.FindStringSubmatch(s)
	if sm == nil {
		return 0, false
	}
	h, _ := strconv.Atoi(sm[2])
	m, _ := strconv.Atoi(sm[3])
	off := h*3600 + m*60
	if sm[1] == "-" {
		off = -off
	}
	return off, true
}

func (a *ArchiveInfo) setZone(loc *time.Location, name string) {
	a.loc = loc
	if name == "" {
		name = loc.String()
	}
	a.Zone = name
}

// zoneFromTZif reads a TZif file (etc/localtime as copied into the archive).
func zoneFromTZif(b []byte) *time.Location {
	if !bytes.HasPrefix(b, []byte("TZif")) {
		return nil
	}
	loc, err := time.LoadLocationFromTZData("Local", b)
	if err != nil {
		return nil
	}
	return loc
}

// parseDateOutput reads date(1)'s default output in the C locale ("Sat Mar 29 14:48:51 CET
// 2025", "Sat Mar 29 14:48:51 UTC 2025") and timedatectl's "Sat 2025-03-29 13:48:51 UTC".
func parseDateOutput(s string) (time.Time, bool) {
	s = strings.Join(strings.Fields(s), " ")
	for _, layout := range []string{"Mon Jan 2 15:04:05 MST 2006", "Mon 2006-01-02 15:04:05 MST", "Mon Jan 2 15:04:05 2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// finish derives what needs several files: a zone from date vs date --utc when no zone file
// named one, and the collection time from the archive's name.
func (a *ArchiveInfo) finish() {
	if a.loc == nil && !a.localDate.IsZero() && !a.utcDate.IsZero() {
		wallLocal := time.Date(a.localDate.Year(), a.localDate.Month(), a.localDate.Day(), a.localDate.Hour(), a.localDate.Minute(), a.localDate.Second(), 0, time.UTC)
		off := wallLocal.Sub(a.utcDate).Round(15 * time.Minute)
		if off > -15*time.Hour && off < 15*time.Hour {
			a.setZone(time.FixedZone(fmtOffset(off), int(off.Seconds())), fmtOffset(off))
		}
	}
}

func fmtOffset(d time.Duration) string {
	sign := "+"
	if d < 0 {
		sign, d = "-", -d
	}
	return sign + time.Time{}.Add(d).Format("15:04")
}

// hostFromName reads the host of a sosreport's top directory or file name.
func hostFromName(name string) (host string, collected time.Time) {
	sm := sosNameRe.FindStringSubmatch(name)
	if sm == nil {
		return "", time.Time{}
	}
	host = sm[1]
	if sm[2] != "" {
		collected, _ = time.Parse("2006-01-02", sm[2])
	} else if sm[3] != "" {
		collected, _ = time.Parse("20060102150405", sm[3])
	}
	return host, collected
}
