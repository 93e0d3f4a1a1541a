package wire

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/xdg-go/scram"
)

// scramIterations is the PBKDF2 iteration count of new verifiers, as
// PostgreSQL's scram_iterations default.
const scramIterations = 4096

// Users maps user names to SCRAM-SHA-256 verifiers, stored as PostgreSQL
// stores them in pg_authid.rolpassword:
//
//	SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>
//
// The users file has one "name:verifier" line per user; blank lines and
// lines starting with # are ignored. No password is ever stored.
type Users struct {
	m map[string]scram.StoredCredentials
}

// NewUsers is an empty user set.
func NewUsers() *Users { return &Users{m: map[string]scram.StoredCredentials{}} }

// LoadUsers reads a users file.
func LoadUsers(path string) (*Users, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read users %s: %w", path, err)
	}
	u := NewUsers()
	sc := bufio.NewScanner(bytes.NewReader(data))
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		name, verifier, ok := strings.Cut(s, ":")
		if !ok || name == "" {
			return nil, fmt.Errorf("users %s line %d: want name:verifier", path, line)
		}
		cred, err := parseVerifier(verifier)
		if err != nil {
			return nil, fmt.Errorf("users %s line %d: %w", path, line, err)
		}
		u.m[name] = cred
	}
	return u, nil
}

// Set stores a new verifier for name, derived from password with a
// random salt.
func (u *Users) Set(name, password string) error {
	if name == "" || strings.ContainsAny(name, ":\n\r") {
		return fmt.Errorf("invalid user name %q", name)
	}
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return fmt.Errorf("salt: %w", err)
	}
	c, err := scram.SHA256.NewClient(name, password, "")
	if err != nil {
		return fmt.Errorf("scram client for %s: %w", name, err)
	}
	cred, err := c.GetStoredCredentialsWithError(scram.KeyFactors{Salt: string(salt), Iters: scramIterations})
	if err != nil {
		return fmt.Errorf("scram verifier for %s: %w", name, err)
	}
	u.m[name] = cred
	return nil
}

// Save writes the users file atomically (mode 0600).
func (u *Users) Save(path string) error {
	names := make([]string, 0, len(u.m))
	for n := range u.m {
		names = append(names, n)
	}
	sort.Strings(names)
	var b bytes.Buffer
	b.WriteString("# spysql users: name:SCRAM-SHA-256 verifier (spysql passwd)\n")
	for _, n := range names {
		fmt.Fprintf(&b, "%s:%s\n", n, formatVerifier(u.m[n]))
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".users-*.tmp")
	if err != nil {
		return fmt.Errorf("save users: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("save users: %w", err)
	}
	if _, err := tmp.Write(b.Bytes()); err != nil {
		tmp.Close()
		return fmt.Errorf("save users: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("save users: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("save users: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("save users: %w", err)
	}
	return nil
}

func (u *Users) lookup(name string) (scram.StoredCredentials, bool) {
	c, ok := u.m[name]
	return c, ok
}

func formatVerifier(c scram.StoredCredentials) string {
	enc := base64.StdEncoding.EncodeToString
	return fmt.Sprintf("SCRAM-SHA-256$%d:%s$%s:%s", c.Iters, enc([]byte(c.Salt)), enc(c.StoredKey), enc(c.ServerKey))
}

var errBadVerifier = errors.New("not a SCRAM-SHA-256 verifier (SCRAM-SHA-256$iter:salt$StoredKey:ServerKey)")

func parseVerifier(v string) (scram.StoredCredentials, error) {
	rest, ok := strings.CutPrefix(v, "SCRAM-SHA-256$")
	if !ok {
		return scram.StoredCredentials{}, errBadVerifier
	}
	params, keys, ok := strings.Cut(rest, "$")
	if !ok {
		return scram.StoredCredentials{}, errBadVerifier
	}
	iterS, saltS, ok1 := strings.Cut(params, ":")
	storedS, serverS, ok2 := strings.Cut(keys, ":")
	if !ok1 || !ok2 {
		return scram.StoredCredentials{}, errBadVerifier
	}
	iters, err := strconv.Atoi(iterS)
	if err != nil || iters < 1 {
		return scram.StoredCredentials{}, errBadVerifier
	}
	dec := base64.StdEncoding.DecodeString
	salt, err1 := dec(saltS)
	stored, err2 := dec(storedS)
	server, err3 := dec(serverS)
	if err1 != nil || err2 != nil || err3 != nil || len(stored) != 32 || len(server) != 32 {
		return scram.StoredCredentials{}, errBadVerifier
	}
	return scram.StoredCredentials{
		KeyFactors: scram.KeyFactors{Salt: string(salt), Iters: iters},
		StoredKey:  stored,
		ServerKey:  server,
	}, nil
}
