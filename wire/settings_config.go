package wire

import (
	"errors"
	"strings"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/spysql/spysql/engine/pgcatalog"
)

// Custom settings: PostgreSQL accepts any name with a dot in it
// (myapp.tenant) as a placeholder that SET, set_config, SHOW and
// current_setting read and write; the name is case-insensitive and
// stored lower-cased in settings.vals beside the emulated ones.

// customName reports whether name is a custom setting's: identifiers
// joined by dots.
func customName(name string) bool {
	parts := strings.Split(name, ".")
	if len(parts) < 2 {
		return false
	}
	for _, p := range parts {
		if p == "" {
			return false
		}
	}
	return true
}

// setConfigValue checks set_config(name, value, is_local) as SET would
// and returns the value the setting will then show; nothing changes
// until the statement runs (applySetConfigs).
func (s *settings) setConfigValue(sc pgcatalog.SetConfig) (string, error) {
	d, ok := lookupSetting(sc.Name)
	if !ok {
		if customName(sc.Name) {
			return sc.Value, nil
		}
		return "", errorf(CodeUndefinedObject, "unrecognized configuration parameter %q", sc.Name)
	}
	if d.readOnly {
		return "", errorf(CodeCantChangeRuntimeParam, "parameter %q cannot be changed", d.name)
	}
	if sc.Reset {
		return s.defaults[d.name], nil
	}
	v, err := d.check(sc.Value)
	if err != nil {
		return "", errorf(CodeInvalidParameterValue, "invalid value for parameter %q: %v", d.name, err)
	}
	return v, nil
}

// applySetConfigs makes a running statement's set_config calls take
// effect, sending ParameterStatus for the reported settings they change.
func (c *conn) applySetConfigs(sets []pgcatalog.SetConfig) error {
	for _, sc := range sets {
		var canon string
		var reported bool
		var err error
		if sc.Reset {
			canon, reported, err = c.settings.reset(sc.Name, sc.Local)
		} else {
			canon, reported, err = c.settings.set(sc.Name, sc.Value, sc.Local)
		}
		if err != nil {
			return err
		}
		if reported {
			c.send(&pgproto3.ParameterStatus{Name: canon, Value: c.settings.vals[canon]})
		}
	}
	return nil
}

// settingError maps the rewrite's refusal of a set_config or
// current_setting call to PostgreSQL's SQLSTATE.
func settingError(err error) error {
	var se *pgcatalog.SettingError
	if !errors.As(err, &se) {
		return err
	}
	if se.Unknown {
		return errorf(CodeUndefinedObject, "%s", se.Msg)
	}
	return errorf(CodeFeatureNotSupported, "%s", se.Msg)
}
