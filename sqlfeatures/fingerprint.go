package sqlfeatures

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/spysql/spysql/engine/store"
)

// fingerprintFormat names the layout of the fingerprinted document; bump
// it when that layout or the way files are written changes.
const fingerprintFormat = "spysql-silver/1"

// writerSettings describe how Silver files are written; they are part of
// the fingerprint so a change of writer is a new fingerprint.
var writerSettings = fmt.Sprintf("parquet zstd level=3 row_group_size=%d order_by=key threads=1", store.RowGroupRows)

// fingerprintDoc is what the fingerprint hashes, as canonical JSON (sorted
// keys, no insignificant whitespace). Description and created_at are
// descriptive and left out; so are SQL file paths and their order, since a
// view is identified by its name.
type fingerprintDoc struct {
	Format     string                     `json:"format"`
	Writer     string                     `json:"writer"`
	Version    string                     `json:"version"`
	Name       string                     `json:"name"`
	Parent     string                     `json:"parent_version"`
	Source     fpSource                   `json:"source"`
	Output     fpOutput                   `json:"output"`
	Features   []fpGroup                  `json:"features"`
	Parameters map[string]fpParam         `json:"parameters"`
	Validation fpValidation               `json:"validation"`
	Views      map[string]json.RawMessage `json:"views"`
}

type fpSource struct {
	Layer        string   `json:"layer"`
	Schemas      []string `json:"schemas"` // sorted
	LookbackDays int      `json:"lookback_days"`
}

type fpOutput struct {
	View   string   `json:"view"`
	Key    []string `json:"key"`    // order matters: the file is sorted by it
	Labels []string `json:"labels"` // sorted
}

type fpGroup struct {
	Name    string   `json:"name"`
	Columns []string `json:"columns"`
}

type fpParam struct {
	Type  ParamType `json:"type"`
	Value string    `json:"value"`
}

type fpValidation struct {
	MaxNullRate         *float64           `json:"max_null_rate"`
	MaxNullRateByColumn map[string]float64 `json:"max_null_rate_by_column"`
	AllowEmpty          bool               `json:"allow_empty"`
}

// fingerprint is "sha256:<hex>" over the normalized manifest, each view's
// parse tree without query locations, the typed parameters and the
// validation rules.
func fingerprint(b *Bundle) (string, error) {
	m := b.Manifest
	doc := fingerprintDoc{
		Format:     fingerprintFormat,
		Writer:     writerSettings,
		Version:    m.Version,
		Name:       m.Name,
		Parent:     m.ParentVersion,
		Source:     fpSource{Layer: m.Source.Layer, LookbackDays: m.Source.LookbackDays, Schemas: []string{}},
		Output:     fpOutput{View: m.Output.View, Key: m.Output.Key, Labels: sortedCopy(m.Output.Labels)},
		Features:   []fpGroup{},
		Parameters: map[string]fpParam{},
		Validation: rules(m),
		Views:      map[string]json.RawMessage{},
	}
	for _, t := range m.Source.Tables {
		doc.Source.Schemas = append(doc.Source.Schemas, t.Path())
	}
	sort.Strings(doc.Source.Schemas)
	for _, g := range m.Features.Groups {
		doc.Features = append(doc.Features, fpGroup(g))
	}
	for _, p := range m.Parameters {
		doc.Parameters[p.Name] = fpParam{Type: p.Type, Value: p.Text()}
	}
	for _, v := range b.Views {
		doc.Views[v.Name] = v.canonical
	}
	data, err := canonicalJSON(doc)
	if err != nil {
		return "", fmt.Errorf("fingerprint %s: %w", m.ID(), err)
	}
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:]), nil
}

func sortedCopy(s []string) []string {
	out := append([]string{}, s...)
	sort.Strings(out)
	return out
}

// canonicalJSON marshals v with every object's keys sorted (struct fields
// included) and numbers kept exactly, so equal values give equal bytes.
func canonicalJSON(v any) ([]byte, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var generic any
	if err := dec.Decode(&generic); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(generic); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// canonicalIndent is canonicalJSON indented for files people read.
func canonicalIndent(v any) ([]byte, error) {
	data, err := canonicalJSON(v)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, data, "", "  "); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}
