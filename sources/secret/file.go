package secret

import (
	"fmt"
	"os"
	"strings"
)

// FromFlags is a secret given either inline (flag) or in a file (fileFlag, which keeps it
// out of ps and shell history): the inline value, else the file's content without the
// trailing newline that echo and editors leave (a password may end in a space, so nothing
// else is trimmed). Both at once is an error, since it is unclear which one is meant.
func FromFlags(flag, inline, fileFlag, path string) (string, error) {
	if path == "" {
		return inline, nil
	}
	if inline != "" {
		return "", fmt.Errorf("give --%s or --%s, not both", flag, fileFlag)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("--%s: cannot read the %s: %w", fileFlag, strings.ReplaceAll(flag, "-", " "), err)
	}
	v := strings.TrimRight(string(b), "\r\n")
	if v == "" {
		return "", fmt.Errorf("--%s: %s is empty", fileFlag, path)
	}
	return v, nil
}
