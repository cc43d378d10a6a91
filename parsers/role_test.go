package parsers

import (
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"testing"
)

// TestRoles pins every evidence role's string form, the report's "role" of a line, checks
// Roles is sorted, without repeats, and lists every Role constant of role.go.
func TestRoles(t *testing.T) {
	want := map[Role]string{
		RoleHeader: "header", RoleSummary: "summary", RoleSummaryCut: "summary-cut", RoleSelected: "selected",
		RoleMemcgUsage: "memcg-usage", RoleTaskIn: "task-in", RoleMemcgStats: "memcg-stats", RoleOOMGroup: "oom-group",
		RoleMeminfo: "meminfo", RoleKill: "kill", RoleReaper: "reaper", RoleVictimTask: "victim-task",
		RoleEvent: "event", RoleSystemdOOM: "systemd-oom", RoleContainerdSandboxExit: "containerd-sandbox-exit",
		RoleContainerdOOM: "containerd-oom", RoleContainerdExit: "containerd-exit", RoleConmonOOM: "conmon-oom",
		RoleCrioExit: "crio-exit", RoleRuntimeCreated: "runtime-created", RolePodStatus: "pod-status",
		RoleKubeletEvicting: "kubelet-evicting", RoleKubeletEvicted: "kubelet-evicted",
		RoleKubeletSystemOOM: "kubelet-system-oom", RoleKubeletKilling: "kubelet-killing",
		RoleKubeletProbeFailed: "kubelet-probe-failed", RoleKubeletPreempting: "kubelet-preempting",
		RoleKubeletShutdownKill: "kubelet-shutdown-kill",
		RoleEventOOMKilling:     "event-oomkilling", RoleEventSystemOOM: "event-systemoom", RoleEventEvicted: "event-evicted",
		RoleEventKilling: "event-killing", RoleEventUnhealthy: "event-unhealthy", RoleEventPreempting: "event-preempting",
	}
	for r, s := range want {
		if string(r) != s {
			t.Errorf("role %q, want %q", r, s)
		}
		if !slices.Contains(Roles, r) {
			t.Errorf("Roles lacks %q", r)
		}
	}
	if len(Roles) != len(want) {
		t.Errorf("Roles has %d roles, this test knows %d", len(Roles), len(want))
	}
	if !slices.IsSorted(Roles) {
		t.Errorf("Roles is not sorted: %q", Roles)
	}
	if len(slices.Compact(slices.Clone(Roles))) != len(Roles) {
		t.Errorf("Roles repeats a role: %q", Roles)
	}

	// Every constant of type Role in role.go is in Roles.
	f, err := parser.ParseFile(token.NewFileSet(), "role.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	consts := 0
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			if v := s.(*ast.ValueSpec); v.Type != nil && v.Type.(*ast.Ident).Name == "Role" {
				consts += len(v.Names)
			}
		}
	}
	if consts != len(Roles) {
		t.Errorf("role.go declares %d Role constants, Roles lists %d", consts, len(Roles))
	}

	// The built roles match the named ones.
	for kind, r := range map[string]Role{
		KubeletEvicting: RoleKubeletEvicting, KubeletEvicted: RoleKubeletEvicted, KubeletSystemOOM: RoleKubeletSystemOOM,
		KubeletKilling: RoleKubeletKilling, KubeletProbeFailed: RoleKubeletProbeFailed, KubeletPreempting: RoleKubeletPreempting,
		KubeletShutdownKill: RoleKubeletShutdownKill,
	} {
		if got := KubeletRole(kind); got != r {
			t.Errorf("KubeletRole(%q) = %q, want %q", kind, got, r)
		}
	}
	for reason, r := range map[string]Role{
		npdReason: RoleEventOOMKilling, "SystemOOM": RoleEventSystemOOM, "Evicted": RoleEventEvicted,
		"Killing": RoleEventKilling, "Unhealthy": RoleEventUnhealthy, "Preempting": RoleEventPreempting,
	} {
		if got := EventRole(reason); got != r {
			t.Errorf("EventRole(%q) = %q, want %q", reason, got, r)
		}
	}
}
