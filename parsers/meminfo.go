package parsers

import (
	"regexp"
	"strconv"
	"strings"
)

// MemPicture is the node's memory as the Mem-Info dump of a node-wide OOM showed it
// (mm/show_mem.c): what the pages held and how far free memory had fallen below the zones'
// min watermarks. Fields the dump did not show stay zero.
type MemPicture struct {
	RAMKiB         int64 `json:"ramKiB"`         // "N pages RAM" (4 KiB pages)
	ManagedKiB     int64 `json:"managedKiB"`     // sum of the zones' managed memory
	FreeKiB        int64 `json:"freeKiB"`        // sum of the zones' free memory
	MinKiB         int64 `json:"minKiB"`         // sum of the zones' min watermarks
	AnonKiB        int64 `json:"anonKiB"`        // active + inactive anonymous, all nodes
	FileKiB        int64 `json:"fileKiB"`        // active + inactive page cache
	ShmemKiB       int64 `json:"shmemKiB"`       // tmpfs and shared memory
	UnevictableKiB int64 `json:"unevictableKiB"` // mlocked and the like
}

var (
	reKB     = regexp.MustCompile(`\b([a-z_()]+):(\d+)kB\b`)
	reRAMPgs = regexp.MustCompile(`^(\d+) pages RAM$`)
)

// read takes one line of the dump: "Node 0 active_anon:…kB inactive_anon:…kB …" (per NUMA
// node), "Node 0 DMA32 free:…kB boost:…kB min:…kB … managed:…kB" (per zone), or "N pages RAM".
func (p *MemPicture) read(line string) bool {
	if sm := reRAMPgs.FindStringSubmatch(line); sm != nil {
		n, _ := strconv.ParseInt(sm[1], 10, 64)
		p.RAMKiB = n * 4
		return true
	}
	fields := strings.Fields(line)
	if len(fields) < 3 || fields[0] != "Node" {
		return false
	}
	kb := map[string]int64{}
	for _, sm := range reKB.FindAllStringSubmatch(line, -1) {
		n, _ := strconv.ParseInt(sm[2], 10, 64)
		kb[sm[1]] = n
	}
	if _, zone := kb["managed"]; zone { // a zone line: watermarks
		p.FreeKiB += kb["free"]
		p.MinKiB += kb["min"]
		p.ManagedKiB += kb["managed"]
		return true
	}
	if _, node := kb["active_anon"]; node && strings.Contains(fields[2], ":") {
		p.AnonKiB += kb["active_anon"] + kb["inactive_anon"]
		p.FileKiB += kb["active_file"] + kb["inactive_file"]
		p.ShmemKiB += kb["shmem"]
		p.UnevictableKiB += kb["unevictable"]
		return true
	}
	return false
}
