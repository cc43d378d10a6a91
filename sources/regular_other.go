//go:build !unix

package sources

// openFlags: elsewhere there are no FIFOs to wait on in the file system.
const openFlags = 0
