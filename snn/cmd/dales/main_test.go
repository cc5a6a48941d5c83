package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Bad input is refused before any work (issue 24): each case runs the built command and must exit 1
// within a second, name the bad value, and leave no -out folder. (Before: "-fractions 0.2,2" trained
// 0.2 and then refused 2; fractions above 0.5 trained and failed at the ablation; words after the flags
// were ignored; -out was created first.)
func TestRefusesBadInputBeforeWork(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "dales")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-fractions", "0.2,2"}, "fraction 2"},
		{[]string{"-fractions", "0.7"}, "the ablation cannot be made at inhibitory fraction 0.7"},
		{[]string{"-fractions", "0.5,0"}, "the ablation cannot be made at inhibitory fraction 0"},
		{[]string{"extra", "words"}, `unexpected argument "extra"`},
		{[]string{"-seeds", "1,1"}, "-seeds"},
		{[]string{"-epochs", "0"}, "Config.Epochs = 0"},
		{[]string{"-no-dale", "-layout", "random"}, "-no-dale and -layout"},
		{[]string{"-no-dale", "-sign-param", "relu"}, "-no-dale and -sign-param"},
		{[]string{"-no-dale", "-dale-layers", "input"}, "-no-dale and -dale-layers"},
		{[]string{"-no-dale", "-fractions", "0.5,0.2"}, "-no-dale with -fractions 0.5,0.2"},
	} {
		out := filepath.Join(t.TempDir(), "out")
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second) // a command that trains is stopped, not waited for
		cmd := exec.CommandContext(ctx, bin, append(c.args, "-out", out)...)
		start := time.Now()
		msg, err := cmd.CombinedOutput()
		took := time.Since(start)
		cancel()
		if err == nil || cmd.ProcessState.ExitCode() != 1 || !strings.Contains(string(msg), c.want) {
			t.Errorf("dales %v: exit %v, output %q; want exit 1 naming %q", c.args, err, tailOf(string(msg)), c.want)
		}
		if took > time.Second {
			t.Errorf("dales %v took %s to refuse", c.args, took)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("dales %v created -out %s", c.args, out)
		}
	}
}

// tailOf is the last 300 bytes of s.
func tailOf(s string) string {
	if len(s) > 300 {
		return "..." + s[len(s)-300:]
	}
	return s
}
