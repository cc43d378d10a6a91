package correlate

import "strings"

// conditionResources names the resources of node conditions ("[MemoryPressure DiskPressure]").
func conditionResources(conditions string) []string {
	var out []string
	for _, c := range strings.FieldsFunc(strings.Trim(conditions, "[]"), func(r rune) bool { return r == ' ' || r == ',' }) {
		switch c {
		case "MemoryPressure":
			out = append(out, "memory")
		case "DiskPressure":
			out = append(out, "disk")
		case "PIDPressure":
			out = append(out, "pids")
		default:
			if isConditionName(c) { // a malformed message ("%v%!(EXTRA …") names nothing
				out = append(out, c)
			}
		}
	}
	return out
}

func isConditionName(c string) bool {
	for _, r := range c {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z') {
			return false
		}
	}
	return c != ""
}

// signalOf names the eviction signal of a resource the message names; "" when the resource
// has several signals and the message does not say which.
func signalOf(resource string) string {
	switch resource {
	case "memory":
		return "memory.available"
	case "pid", "pids":
		return "pid.available"
	case "nodefsInodes":
		return "nodefs.inodesFree"
	case "imagefsInodes":
		return "imagefs.inodesFree"
	case "nodefs", "imagefs":
		return resource + ".available"
	}
	return ""
}
