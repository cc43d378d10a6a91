package correlate

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
