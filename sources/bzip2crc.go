package sources

// bzCRC is bzip2's block CRC: CRC-32 with the polynomial 0x04c11db7, most significant bit
// first, which hash/crc32 (bit-reversed only) does not offer. It runs only on the rare path,
// a block followed by damage, to tell whether the block itself is whole.
func bzCRC(b []byte) uint32 {
	c := ^uint32(0)
	for _, x := range b {
		c = c<<8 ^ bzCRCTable[byte(c>>24)^x]
	}
	return ^c
}

var bzCRCTable = func() (t [256]uint32) {
	for i := range t {
		c := uint32(i) << 24
		for range 8 {
			if c&0x80000000 != 0 {
				c = c<<1 ^ 0x04c11db7
			} else {
				c <<= 1
			}
		}
		t[i] = c
	}
	return t
}()
