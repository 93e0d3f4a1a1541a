package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/spysql/spysql/wire"
)

func newPasswdCmd(g *globals) *cobra.Command {
	var usersFile string
	cmd := &cobra.Command{
		Use:   "passwd --users FILE NAME",
		Short: "Set a user's password for spysql serve (SCRAM verifier)",
		Long: `Read a password from stdin (first line) and store a SCRAM-SHA-256
verifier for NAME in the users file, creating it if needed. The password
itself is never stored.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if usersFile == "" {
				return errors.New("--users FILE is required")
			}
			users := wire.NewUsers()
			if _, err := os.Stat(usersFile); err == nil {
				if users, err = wire.LoadUsers(usersFile); err != nil {
					return err
				}
			}
			line, err := bufio.NewReader(cmd.InOrStdin()).ReadString('\n')
			if err != nil && line == "" {
				return fmt.Errorf("read password from stdin: %w", err)
			}
			pw := strings.TrimRight(line, "\r\n")
			if pw == "" {
				return errors.New("empty password")
			}
			if err := users.Set(args[0], pw); err != nil {
				return err
			}
			if err := users.Save(usersFile); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "stored SCRAM-SHA-256 verifier for %s in %s\n", args[0], usersFile)
			return nil
		},
	}
	cmd.Flags().StringVar(&usersFile, "users", "", "users file to update")
	return cmd
}
