package duck

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/spysql/spysql/engine/store"
)

// manifestNotes is what the catalog shows of a Silver version's manifest:
// decoded leniently (the builder has already validated it strictly) and
// only for comments, so that engine need not import sqlfeatures.
type manifestNotes struct {
	Version     string `yaml:"version"`
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	Output      struct {
		Key    []string `yaml:"key"`
		Labels []string `yaml:"labels"`
	} `yaml:"output"`
	Features struct {
		Groups []struct {
			Name    string   `yaml:"name"`
			Columns []string `yaml:"columns"`
		} `yaml:"groups"`
	} `yaml:"features"`
}

// versionComments are COMMENT ON statements describing silver."<id>" and
// its columns from the version's manifest.yaml: the description on the
// view; "key", "label" and "feature group <name>" on the columns. A
// version without a readable manifest gets no comments.
func versionComments(l store.Lake, id string) []string {
	m, ok := readManifestNotes(l, id)
	if !ok {
		return nil
	}
	return commentStatements("silver."+QuoteIdent(id), m.Description, id, m)
}

func readManifestNotes(l store.Lake, id string) (manifestNotes, bool) {
	var m manifestNotes
	b, err := os.ReadFile(l.VersionManifestFile(id))
	if err != nil {
		return m, false
	}
	return m, yaml.Unmarshal(b, &m) == nil
}

// goldNotes is what the catalog shows of a Gold dataset's
// <dataset>_metadata.json.
type goldNotes struct {
	SourceVersion string   `json:"source_version"`
	Notes         string   `json:"notes"`
	Key           []string `json:"key"`
	Labels        []string `json:"labels"`
}

// goldComments describe gold."<name>" from its metadata: the promotion's
// notes and source version on the view, key, labels and the source
// version's feature groups on the columns.
func goldComments(l store.Lake, name string) []string {
	b, err := os.ReadFile(filepath.Join(l.GoldTrainingDir(), name+"_metadata.json"))
	if err != nil {
		return nil
	}
	var g goldNotes
	if err := json.Unmarshal(b, &g); err != nil {
		return nil
	}
	desc := strings.TrimSpace(g.Notes)
	var m manifestNotes
	if g.SourceVersion != "" {
		if desc != "" {
			desc += " "
		}
		desc += "(promoted from silver." + g.SourceVersion + ")"
		m, _ = readManifestNotes(l, g.SourceVersion)
	}
	m.Output.Key, m.Output.Labels = g.Key, g.Labels
	return commentStatements("gold."+QuoteIdent(name), desc, name, m)
}

// commentStatements comment view with desc and its columns with their
// roles in m.
func commentStatements(view, desc, id string, m manifestNotes) []string {
	var out []string
	if d := strings.TrimSpace(desc); d != "" {
		out = append(out, fmt.Sprintf("COMMENT ON VIEW %s IS %s", view, QuoteString(d)))
	}
	cols := map[string][]string{}
	for _, k := range m.Output.Key {
		cols[k] = append(cols[k], "key of "+id)
	}
	for _, k := range m.Output.Labels {
		cols[k] = append(cols[k], "label")
	}
	for _, g := range m.Features.Groups {
		for _, c := range g.Columns {
			cols[c] = append(cols[c], "feature group "+g.Name)
		}
	}
	names := make([]string, 0, len(cols))
	for c := range cols {
		names = append(names, c)
	}
	sort.Strings(names)
	for _, c := range names {
		out = append(out, fmt.Sprintf("COMMENT ON COLUMN %s.%s IS %s", view, QuoteIdent(c), QuoteString(strings.Join(cols[c], "; "))))
	}
	return out
}

// commentGold applies each dataset's comments, as commentSilver.
func (db *DB) commentGold(ctx context.Context, names []string) {
	for _, n := range names {
		for _, s := range goldComments(db.lake, n) {
			db.comment(ctx, s)
		}
	}
}

// commentSilver applies each version's comments; a column the manifest
// names but the view lacks is skipped, not an error.
func (db *DB) commentSilver(ctx context.Context, ids []string) {
	for _, id := range ids {
		for _, s := range versionComments(db.lake, id) {
			db.comment(ctx, s)
		}
	}
}
