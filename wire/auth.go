package wire

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"
	"github.com/xdg-go/scram"
)

// authenticate runs the configured method for user. It returns a
// pgError (28P01, 28000) the caller sends before closing.
func (c *conn) authenticate(user string) error {
	if c.srv.cfg.Auth == AuthTrust {
		return nil
	}
	ip := c.remoteIP()
	if !c.srv.limiter.begin(ip) {
		return &pgError{Severity: "FATAL", Code: CodeInvalidPassword,
			Message: fmt.Sprintf("too many failed login attempts from %s; try again later", ip)}
	}
	err := c.scram(user)
	c.srv.limiter.end(ip, err != nil)
	if err != nil {
		c.srv.log.Info("login failed", "user", user, "addr", ip)
	}
	c.srv.logins.Add(1)
	return err
}

// scram runs SCRAM-SHA-256 (RFC 7677) as PostgreSQL does: the user name
// comes from the startup packet (the SCRAM one is ignored), no channel
// binding. Unknown users run the exchange against a mock verifier so they
// fail exactly like a wrong password.
func (c *conn) scram(user string) error {
	fail := &pgError{Severity: "FATAL", Code: CodeInvalidPassword,
		Message: fmt.Sprintf("password authentication failed for user %q", user)}
	cred, ok := c.srv.cfg.Users.lookup(user)
	if !ok {
		cred = mockCredentials(user)
	}
	srv, err := scram.SHA256.NewServer(func(string) (scram.StoredCredentials, error) { return cred, nil })
	if err != nil {
		return fmt.Errorf("scram server: %w", err)
	}
	conv := srv.NewConversation()
	c.send(&pgproto3.AuthenticationSASL{AuthMechanisms: []string{"SCRAM-SHA-256"}})
	if err := c.flush(); err != nil {
		return err
	}
	if err := c.be.SetAuthType(pgproto3.AuthTypeSASL); err != nil {
		return err
	}
	msg, err := c.be.Receive()
	if err != nil {
		return fmt.Errorf("read SASLInitialResponse: %w", err)
	}
	first, isFirst := msg.(*pgproto3.SASLInitialResponse)
	if !isFirst || first.AuthMechanism != "SCRAM-SHA-256" {
		return &pgError{Severity: "FATAL", Code: CodeProtocolViolation, Message: "expected SASLInitialResponse for SCRAM-SHA-256"}
	}
	s1, err := conv.Step(string(first.Data))
	if err != nil {
		return fail
	}
	c.send(&pgproto3.AuthenticationSASLContinue{Data: []byte(s1)})
	if err := c.flush(); err != nil {
		return err
	}
	if err := c.be.SetAuthType(pgproto3.AuthTypeSASLContinue); err != nil {
		return err
	}
	msg, err = c.be.Receive()
	if err != nil {
		return fmt.Errorf("read SASLResponse: %w", err)
	}
	resp, isResp := msg.(*pgproto3.SASLResponse)
	if !isResp {
		return &pgError{Severity: "FATAL", Code: CodeProtocolViolation, Message: "expected SASLResponse"}
	}
	s2, err := conv.Step(string(resp.Data))
	if err != nil || !conv.Valid() || !ok {
		return fail
	}
	c.send(&pgproto3.AuthenticationSASLFinal{Data: []byte(s2)})
	return nil
}

// mockCredentials is a stable fake verifier for an unknown user, so the
// exchange does not reveal which users exist.
func mockCredentials(user string) scram.StoredCredentials {
	h := sha256.Sum256([]byte("spysql mock salt " + user))
	return scram.StoredCredentials{
		KeyFactors: scram.KeyFactors{Salt: string(h[:16]), Iters: scramIterations},
		StoredKey:  h[:],
		ServerKey:  h[:],
	}
}

// loginLimiter locks out an address after too many failed logins within
// a window.
//
// An attempt holds a slot while its password is checked: failures plus
// attempts in progress never pass max, so parallel wrong logins from one
// address cannot all be evaluated before the first failure is counted.
// Attempts beyond that wait for one in progress to end (each is bounded
// by the startup timeout), then are evaluated or refused.
type loginLimiter struct {
	max    int
	window time.Duration

	mu       sync.Mutex
	cond     *sync.Cond
	fail     map[string][]time.Time
	inflight map[string]int
}

func newLoginLimiter(max int, window time.Duration) *loginLimiter {
	l := &loginLimiter{max: max, window: window, fail: map[string][]time.Time{}, inflight: map[string]int{}}
	l.cond = sync.NewCond(&l.mu)
	return l
}

func (l *loginLimiter) recent(ip string, now time.Time) []time.Time {
	ts := l.fail[ip]
	k := 0
	for _, t := range ts {
		if now.Sub(t) < l.window {
			ts[k] = t
			k++
		}
	}
	ts = ts[:k]
	if len(ts) == 0 {
		delete(l.fail, ip)
	} else {
		l.fail[ip] = ts
	}
	return ts
}

// begin reserves an evaluation for ip, waiting while the attempts in
// progress could still fill the limit; false means ip is locked out.
func (l *loginLimiter) begin(ip string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for {
		failures := len(l.recent(ip, time.Now()))
		if failures >= l.max {
			return false
		}
		if failures+l.inflight[ip] < l.max {
			l.inflight[ip]++
			return true
		}
		l.cond.Wait()
	}
}

// end releases the evaluation begin reserved, counting a failure.
func (l *loginLimiter) end(ip string, failed bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.inflight[ip]--; l.inflight[ip] <= 0 {
		delete(l.inflight, ip)
	}
	if failed {
		now := time.Now()
		l.fail[ip] = append(l.recent(ip, now), now)
	}
	l.cond.Broadcast()
}

// cancelKey is the BackendKeyData of a session: a random process id and
// a random secret.
type cancelKey struct {
	pid    uint32
	secret [4]byte
}

func newCancelKey() cancelKey {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(fmt.Sprintf("crypto/rand: %v", err)) // cannot happen on supported platforms
	}
	k := cancelKey{pid: binary.BigEndian.Uint32(b[:4]) &^ (1 << 31)}
	copy(k.secret[:], b[4:])
	return k
}

func (k cancelKey) matches(secret []byte) bool {
	return subtle.ConstantTimeCompare(k.secret[:], secret) == 1
}
