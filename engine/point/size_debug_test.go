package point

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/spysql/spysql/engine/internal/enginetest"
)

func TestSizeDebug(t *testing.T) {
	l := enginetest.Lake(t)
	ds := writeGoldFile(t, l, "g", 200_000, 131072)
	for _, p := range []string{ds, l.GoldPointIndexPath("g")} {
		f, _ := os.Open(p)
		fi, _ := f.Stat()
		pf, err := parquet.OpenFile(f, fi.Size())
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s %d", filepath.Base(p), fi.Size())
		for _, rg := range pf.Metadata().RowGroups {
			for _, c := range rg.Columns {
				t.Logf("  %v %s comp %d uncomp %d n %d", c.MetaData.PathInSchema, c.MetaData.Codec, c.MetaData.TotalCompressedSize, c.MetaData.TotalUncompressedSize, c.MetaData.NumValues)
			}
		}
	}
}

func TestBlockDebug(t *testing.T) {
	l := enginetest.Lake(t)
	ds := writeGoldFile(t, l, "g", 1000, 131072)
	f, _ := os.Open(ds)
	fi, _ := f.Stat()
	pf, _ := parquet.OpenFile(f, fi.Size())
	cols, _ := datasetColumns(pf)
	for _, c := range cols {
		t.Logf("%s %s size %d", c.name, c.typ, c.typ.size())
	}
	idx, _ := os.Open(l.GoldPointIndexPath("g"))
	fi, _ = idx.Stat()
	ipf, _ := parquet.OpenFile(idx, fi.Size())
	var buf []parquet.Value
	vals, err := readColumn(ipf.RowGroups()[0], 1, 0, 300, &buf)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range vals {
		if !v.IsNull() && len(v.ByteArray()) > 0 {
			t.Logf("row %d block %d bytes", i, len(v.ByteArray()))
		}
	}
}

func TestPageDebug(t *testing.T) {
	l := enginetest.Lake(t)
	writeGoldFile(t, l, "g", 1000, 131072)
	idx, _ := os.Open(l.GoldPointIndexPath("g"))
	fi, _ := idx.Stat()
	ipf, _ := parquet.OpenFile(idx, fi.Size())
	t.Logf("file %d", fi.Size())
	pages := ipf.RowGroups()[0].ColumnChunks()[1].Pages()
	for {
		p, err := pages.ReadPage()
		if err != nil {
			break
		}
		t.Logf("page values %d nulls %d size %d", p.NumValues(), p.NumNulls(), p.Size())
	}
	oi, _ := ipf.RowGroups()[0].ColumnChunks()[1].OffsetIndex()
	for i := 0; i < oi.NumPages(); i++ {
		t.Logf("page %d off %d size %d first %d", i, oi.Offset(i), oi.CompressedPageSize(i), oi.FirstRowIndex(i))
	}
}
