package parsers

// The API server admits a pod only if its name is a DNS-1123 subdomain and its namespace a
// DNS-1123 label (k8s.io/apimachinery/pkg/util/validation: IsDNS1123Subdomain, IsDNS1123Label),
// so every pod the kubelet names in a log line passes these checks. A reference that fails them
// (a space, a '/', a quote) is a cut, garbled or forged line: attributing it to a pod would pin a
// death on a pod that cannot exist, so the readers keep no name from it.

// isPodName reports whether s can be a pod's name: at most 253 bytes of [a-z0-9.-], starting
// and ending with a letter or digit.
func isPodName(s string) bool { return isDNSName(s, 253, true) }

// isNamespaceName reports whether s can be a namespace: at most 63 bytes of [a-z0-9-],
// starting and ending with a letter or digit.
func isNamespaceName(s string) bool { return isDNSName(s, 63, false) }

func isDNSName(s string, max int, dots bool) bool {
	if s == "" || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		alnum := c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
		if (i == 0 || i == len(s)-1) && !alnum {
			return false
		}
		if !alnum && c != '-' && !(dots && c == '.') {
			return false
		}
	}
	return true
}

// validPod returns p, or no reference at all when its name or namespace cannot be a pod's:
// an empty namespace is allowed, since some lines name the pod alone.
func validPod(p PodRef) PodRef {
	if !isPodName(p.Name) || p.Namespace != "" && !isNamespaceName(p.Namespace) {
		return PodRef{}
	}
	return p
}
