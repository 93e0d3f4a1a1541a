package ingest

// runRows is the length of a full run of a row buffer.
const runRows = 4096

// runs is a row buffer kept in runs of runRows rows (the first grows to
// that by doubling), so that growing never copies what is buffered: an
// MBP-10 row is 600 bytes, and a buffer of them in one slice was copied
// twice over by the time it held 100,000.
type runs[T any] struct {
	runs [][]T // all full but the last; room past len(runs) is kept for reuse
	n    int
}

func (b *runs[T]) len() int { return b.n }

func (b *runs[T]) push(r *T) {
	k := len(b.runs)
	if k == 0 || len(b.runs[k-1]) == runRows {
		if k < cap(b.runs) {
			b.runs = b.runs[:k+1]
		} else {
			b.runs = append(b.runs, nil)
		}
		k++
	}
	last := &b.runs[k-1]
	if len(*last) == cap(*last) {
		room := runRows
		if k == 1 {
			room = min(max(2*len(*last), 16), runRows)
		}
		grown := make([]T, len(*last), room)
		copy(grown, *last)
		*last = grown
	}
	*last = append(*last, *r)
	b.n++
}

// filter keeps the rows i (in arrival order) for which keep is true.
func (b *runs[T]) filter(keep func(i int) bool) {
	w, wr := 0, 0 // where kept rows go: run, row
	i := 0
	for _, run := range b.runs {
		for j := range run {
			if keep(i) {
				if wr == runRows {
					w, wr = w+1, 0
				}
				b.runs[w][wr] = run[j]
				wr++
			}
			i++
		}
	}
	b.n = w*runRows + wr
	b.truncate(w, wr)
}

// reset empties the buffer, keeping its room.
func (b *runs[T]) reset() { b.truncate(0, 0); b.n = 0 }

// truncate keeps runs[:w] and runs[w][:wr] and clears the rest.
func (b *runs[T]) truncate(w, wr int) {
	if len(b.runs) == 0 {
		return
	}
	for k := w; k < len(b.runs); k++ {
		from := 0
		if k == w {
			from = wr
		}
		clear(b.runs[k][from:])
		b.runs[k] = b.runs[k][:from]
	}
	b.runs = b.runs[:w+1]
}
