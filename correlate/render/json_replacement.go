package render

import "bytes"

// encoding/json writes a byte that is not UTF-8 as the escape \ufffd, but a U+FFFD that
// was already in the text as the character itself. A report built from a log with a stray
// byte and the same report read back (coroner merge) would then differ in their bytes
// although they say the same. Writing every U+FFFD as its escape makes the JSON a fixed
// point of reading and writing, and keeps the mark of a byte that was not text in ASCII.
var (
	replacementChar   = []byte("\uFFFD")
	replacementEscape = []byte(`\ufffd`)
)

// escapeReplacement rewrites every U+FFFD of encoded JSON as \ufffd. It is safe on whole
// encoded values: outside strings JSON holds ASCII only, so the character is always in a
// string, where its escape means the same.
func escapeReplacement(b []byte) []byte {
	if !bytes.Contains(b, replacementChar) {
		return b
	}
	return bytes.ReplaceAll(b, replacementChar, replacementEscape)
}
