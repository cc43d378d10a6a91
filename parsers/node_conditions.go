package parsers

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
