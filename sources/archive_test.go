package sources

import (
	"archive/tar"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/klauspost/compress/zstd"
)

type member struct {
	name, body string
	typ        byte
	link       string
}

var collected = time.Date(2026, 11, 27, 19, 10, 0, 0, time.UTC)

func tarOf(t *testing.T, ms []member) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, m := range ms {
		typ := m.typ
		if typ == 0 {
			typ = tar.TypeReg
		}
		hdr := &tar.Header{Name: m.name, Typeflag: typ, Mode: 0o644, ModTime: collected, Linkname: m.link}
		if typ == tar.TypeReg {
			hdr.Size = int64(len(m.body))
		}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		io.WriteString(tw, m.body)
	}
	tw.Close()
	return buf.Bytes()
}

// sosMembers is a sos 4.x layout with the hazards a tar can hold: a symlink out of the
// archive, a device, an absolute and a ".." name, and files sos stores that we do not need.
func sosMembers(t *testing.T) []member {
	dmesg, err := os.ReadFile("../golden/testdata/real/v2-cgroupfs-burstable/dmesg.txt")
	if err != nil {
		t.Fatal(err)
	}
	berlin, err := os.ReadFile("/usr/share/zoneinfo/Europe/Berlin")
	if err != nil {
		t.Skip("no zoneinfo on this machine")
	}
	top := "sosreport-node1-2026-11-27-abcdefg/"
	return []member{
		{name: top + "sos_commands/kernel/dmesg", body: string(dmesg)},
		{name: top + "var/log/messages", typ: tar.TypeSymlink, link: "../../sos_strings/logs/var.log.messages.tailed"},
		{name: top + "sos_strings/logs/var.log.messages.tailed", body: "Nov 27 20:05:40 node1 kernel: Memory cgroup out of memory: Killed process 143 (memhog)\n"},
		{name: top + "sos_commands/kubernetes/journalctl_--no-pager_--unit_kubelet", body: "-- No entries --\n"},
		{name: top + "sos_commands/host/hostname", body: "node1.example.com\n"},
		{name: top + "etc/localtime", body: string(berlin)},
		{name: top + "proc/stat", body: "cpu  1 2 3\nbtime 1795806335\nprocesses 900\n"},
		{name: top + "version.txt", body: "sos report: 4.8.2\n"},
		{name: top + "sos_commands/date/date_--utc", body: "Fri Nov 27 19:10:00 UTC 2026\n"},
		{name: top + "etc/shadow-link", typ: tar.TypeSymlink, link: "/etc/shadow"},
		{name: top + "dev/null", typ: tar.TypeChar},
		{name: "/etc/passwd", body: "root:x:0:0\n"},
		{name: top + "../../escape", body: "x\n"},
		{name: top + "sos_commands/processor/lscpu", body: "Architecture: x86_64\n"},
		{name: top + "var/log/pods/ns_pod_uid/app/0.log", body: "application output\n"},
	}
}

func readTree(t *testing.T, paths ...string) (*Files, []string, map[string]InputRole) {
	t.Helper()
	f := &Files{Paths: paths}
	var names []string
	roles := map[string]InputRole{}
	for in, err := range f.Inputs() {
		if err != nil {
			t.Fatalf("%s: %v", in.Name, err)
		}
		for range in.Records {
		}
		rel := in.Name[strings.LastIndex(in.Name, ":")+1:]
		names = append(names, rel)
		roles[rel] = in.Role
	}
	return f, names, roles
}

func TestSosTarballEveryCompression(t *testing.T) {
	raw := tarOf(t, sosMembers(t))
	dir := t.TempDir()
	zenc, _ := zstd.NewWriter(nil)
	for name, data := range map[string][]byte{
		"sosreport-node1-2026-11-27-abcdefg.tar":     raw,
		"sosreport-node1-2026-11-27-abcdefg.tar.gz":  gzipBytes(t, raw),
		"sosreport-node1-2026-11-27-abcdefg.tar.xz":  xzBytes(t, raw),
		"sosreport-node1-2026-11-27-abcdefg.tar.zst": zenc.EncodeAll(raw, nil),
	} {
		t.Run(name, func(t *testing.T) {
			p := filepath.Join(dir, name)
			os.WriteFile(p, data, 0o644)
			f, names, roles := readTree(t, p)
			want := []string{"sos_commands/kernel/dmesg", "sos_strings/logs/var.log.messages.tailed",
				"sos_commands/kubernetes/journalctl_--no-pager_--unit_kubelet", "etc/passwd", "escape"}
			if diff := cmp.Diff(want[:3], names[:3]); diff != "" {
				t.Errorf("inputs (-want +got):\n%s", diff)
			}
			if roles["sos_commands/kernel/dmesg"] != RoleKernel || roles["sos_strings/logs/var.log.messages.tailed"] != RoleSyslog ||
				roles["sos_commands/kubernetes/journalctl_--no-pager_--unit_kubelet"] != RoleUnit {
				t.Errorf("roles %v", roles)
			}
			if len(f.Archives) == 0 {
				t.Fatal("no archive info")
			}
			a := f.Archives[0]
			if a.Host != "node1.example.com" || a.SosVersion != "4.8.2" || a.Kind != "sosreport" ||
				a.BootTime.Unix() != 1795806335 || a.Location() == nil || !a.Collected.Equal(collected) {
				t.Errorf("archive info %+v (zone %v)", a, a.Location())
			}
			for _, n := range names {
				if strings.Contains(n, "..") || strings.HasPrefix(n, "/") || strings.Contains(n, "shadow") || strings.Contains(n, "dev/") {
					t.Errorf("unsafe or unwanted member read: %q", n)
				}
			}
		})
	}
}

// A tar cut in the middle keeps the members before the cut and says where it stopped.
func TestTruncatedTarball(t *testing.T) {
	raw := xzBytes(t, tarOf(t, sosMembers(t)))
	p := filepath.Join(t.TempDir(), "sosreport-node1-2026-11-27-abcdefg.tar.xz")
	os.WriteFile(p, raw[:len(raw)/2], 0o644)
	f := &Files{Paths: []string{p}}
	read := 0
	for in, err := range f.Inputs() {
		if err != nil {
			continue
		}
		for _, err := range in.Records {
			if err == nil {
				read++
			}
		}
	}
	if read == 0 {
		t.Error("nothing read before the cut")
	}
	if len(f.Archives) == 0 || len(f.Archives[0].Warnings) == 0 || !strings.Contains(f.Archives[0].Warnings[0], "damaged") {
		t.Errorf("no warning about the damage: %+v", f.Archives)
	}
}

// An extracted sosreport directory reads like its tarball; symlinks are never followed.
func TestSosDirectory(t *testing.T) {
	root := filepath.Join(t.TempDir(), "sosreport-node1-2026-11-27-abcdefg")
	for _, m := range sosMembers(t) {
		rel := strings.TrimPrefix(m.name, "sosreport-node1-2026-11-27-abcdefg/")
		if m.typ != 0 && m.typ != tar.TypeReg || strings.Contains(rel, "..") || strings.HasPrefix(rel, "/") {
			continue
		}
		p := filepath.Join(root, rel)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(m.body), 0o644)
	}
	os.Symlink("/etc/passwd", filepath.Join(root, "var/log/messages"))
	f, names, _ := readTree(t, filepath.Dir(root))
	if diff := cmp.Diff([]string{"sos_commands/kernel/dmesg", "sos_commands/kubernetes/journalctl_--no-pager_--unit_kubelet",
		"sos_strings/logs/var.log.messages.tailed"}, names); diff != "" {
		t.Errorf("inputs (-want +got):\n%s", diff)
	}
	if len(f.Archives) != 1 || f.Archives[0].Host != "node1.example.com" || f.Archives[0].Kind != "sosreport" {
		t.Errorf("archives %+v", f.Archives)
	}
}

// FuzzArchive feeds arbitrary bytes, as a file named like a sosreport, through the walker:
// whatever the damage, it must not panic, loop or read outside the stream. Seeds: a real
// sosreport layout in each compression and cut in the middle.
func FuzzArchive(f *testing.F) {
	members := []member{
		{name: "sosreport-n-2026-11-27-abcdefg/sos_commands/kernel/dmesg", body: "[  374.309999] Memory cgroup out of memory: Killed process 14068 (memhog) total-vm:1259964kB, anon-rss:32384kB, file-rss:944kB, shmem-rss:0kB\n"},
		{name: "sosreport-n-2026-11-27-abcdefg/sos_commands/host/hostname", body: "n\n"},
		{name: "sosreport-n-2026-11-27-abcdefg/var/log/messages", typ: tar.TypeSymlink, link: "/etc/shadow"},
	}
	t := &testing.T{}
	raw := tarOf(t, members)
	for _, b := range [][]byte{raw, gzipBytes(t, raw), xzBytes(t, raw), raw[:len(raw)/2], gzipBytes(t, raw)[:40]} {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "sosreport-n-2026-11-27-abcdefg.tar")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		src := &Files{Paths: []string{p}, Explain: true}
		for in, err := range src.Inputs() {
			if err != nil {
				continue
			}
			if strings.Contains(in.Name, "..") {
				t.Fatalf("unsafe name %q", in.Name)
			}
			for range in.Records {
			}
		}
	})
}

// sos collect packs one sosreport per node into a sos-collector tarball: each is read in turn,
// as its own archive with its own node.
func TestSosCollectorNested(t *testing.T) {
	one := func(host string) []byte {
		top := "sosreport-" + host + "-2026-11-27-abcdefg/"
		return xzBytes(t, tarOf(t, []member{
			{name: top + "sos_commands/kernel/dmesg", body: "[    5.823543] Memory cgroup out of memory: Killed process 143 (memhog) total-vm:1259696kB, anon-rss:32412kB, file-rss:4kB\n"},
			{name: top + "sos_commands/host/hostname", body: host + "\n"},
		}))
	}
	outer := tarOf(t, []member{
		{name: "sos-collector-2026-11-27-qwert/sosreport-n1-2026-11-27-abcdefg.tar.xz", body: string(one("n1"))},
		{name: "sos-collector-2026-11-27-qwert/sosreport-n2-2026-11-27-abcdefg.tar.xz", body: string(one("n2"))},
	})
	p := filepath.Join(t.TempDir(), "sos-collector-2026-11-27-qwert.tar.gz")
	os.WriteFile(p, gzipBytes(t, outer), 0o644)
	f, names, _ := readTree(t, p)
	if len(names) != 2 {
		t.Fatalf("inputs %v", names)
	}
	var hosts []string
	for _, a := range f.Archives {
		if a.Host != "" && a.Kind == "sosreport" {
			hosts = append(hosts, a.Host)
		}
	}
	if diff := cmp.Diff([]string{"n1", "n2"}, hosts); diff != "" {
		t.Errorf("nodes (-want +got):\n%s", diff)
	}
}
