//go:build race

package point

// raceEnabled: the race detector slows ZSTD tenfold; large generated
// datasets shrink under it.
const raceEnabled = true
