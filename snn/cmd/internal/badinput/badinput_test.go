package badinput

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/snn-dales/dales/snn"
)

// class is one kind of bad input and what a command answers to it: an exit status other than 0, one
// message naming the bad value (want), no panic or stack trace, within a second, and no output folder
// made (noDir, when the case names one).
type class struct {
	class   string
	command string
	args    []string
	want    string
}

// classes lists every class of bad input the commands refuse (issue 24), each tried on the commands it
// applies to. A command that started work on one of them would not answer within a second.
var classes = []class{
	{"unknown flag", "dales", []string{"-bogus"}, "flag provided but not defined: -bogus"},
	{"unknown flag", "sweep", []string{"status", "-bogus"}, "flag provided but not defined: -bogus"},
	{"malformed number", "dales", []string{"-epochs", "x"}, `invalid value "x" for flag -epochs`},
	{"malformed number", "benchstep", []string{"-steps", "1.5"}, `invalid value "1.5" for flag -steps`},
	{"malformed number", "sweep", []string{"tune", "-workers", "x"}, `invalid value "x" for flag -workers`},
	{"malformed number", "sweep", []string{"status", "-seeds", "1,x"}, `"x" is not a seed`},
	{"malformed number", "dales", []string{"-seeds", "-1"}, `-seeds: "-1" is not a seed (a non-negative integer)`},
	{"malformed number", "dales", []string{"-fractions", "0.5,,0.2"}, `-fractions: "" is not a number`},
	{"number out of range", "dales", []string{"-epochs", "0"}, "Config.Epochs = 0"},
	{"number out of range", "dales", []string{"-fractions", "0.2,2"}, "fraction 2"},
	{"number out of range", "sweep", []string{"status", "-epochs", "-3"}, "Config.Epochs = -3"},
	{"number out of range", "sweep", []string{"status", "-workers", "-1"}, "-workers -1: want 0 (one per core) to"},
	{"number out of range", "sweep", []string{"tune", "-plan", "signs-tuned", "-workers", "100000"}, "-workers 100000: want 0 (one per core) to"},
	{"number out of range", "benchstep", []string{"-threads", "0"}, "-threads 0: want 1 to 4096"},
	{"number out of range", "benchstep", []string{"-steps", "64"}, "-steps 64: want 1 to 63"},
	{"number out of range", "figures", []string{"-dir", "x", "-fraction", "1.5"}, "Config.InhibitoryFraction = 1.5"},
	{"not a finite number", "sweep", []string{"status", "-fractions", "0.2,NaN"}, `"NaN" is not a finite number`},
	{"not a finite number", "sweep", []string{"status", "-fractions", "0:Inf:0.5"}, `"Inf" is not a finite number`},
	{"not a finite number", "dales", []string{"-fractions", "NaN"}, "NaN"},
	{"not a finite number", "figures", []string{"-dir", "x", "-fraction", "NaN"}, "NaN"},
	{"a range that never ends", "sweep", []string{"status", "-fractions", "0:1:1e-6"}, "want at most 1001"},
	{"a range that never ends", "sweep", []string{"status", "-fractions", "0.5:0.5:1e-300"}, "step 1e-300 is below 1e-9"},
	{"a value listed twice", "sweep", []string{"status", "-seeds", "1,1"}, "seed 1 is listed twice"},
	{"a value listed twice", "sweep", []string{"status", "-conditions", "both,both"}, `"both" is listed twice`},
	{"a value listed twice", "dales", []string{"-seeds", "3,3"}, "3 is listed twice"},
	{"values too close to tell apart", "sweep", []string{"status", "-fractions", "0.2,0.203"}, "both print as 0.20"},
	{"values too close to tell apart", "dales", []string{"-fractions", "0.2,0.201"}, "both print as 0.20"},
	{"unknown name", "sweep", []string{"status", "-conditions", "nope"}, `"nope"`},
	{"unknown name", "sweep", []string{"status", "-plan", "nope"}, `no run plan named "nope"`},
	{"unknown name", "sweep", []string{"tune", "-plan", "nope"}, `"nope"`},
	{"unknown name", "dales", []string{"-layout", "diagonal"}, `"diagonal"`},
	{"unknown name", "pjrt-install", []string{"-plugin", "tpu"}, `-plugin "tpu" is unknown`},
	{"stray words", "dales", []string{"extra"}, `unexpected argument "extra"`},
	{"stray words", "sweep", []string{"-plan", "mirror", "status"}, `unexpected argument "status"`},
	{"stray words", "figures", []string{"extra"}, `unexpected argument "extra"`},
	{"stray words", "benchstep", []string{"extra"}, `unexpected argument "extra"`},
	{"stray words", "pjrt-install", []string{"extra"}, `unexpected argument "extra"`},
	{"a setting the protocol cannot finish", "dales", []string{"-fractions", "0.7"}, "the ablation cannot be made at inhibitory fraction 0.7"},
	{"a setting the protocol cannot finish", "sweep", []string{"status", "-ablation", "-conditions", "both", "-fractions", "0.7", "-seeds", "1"}, "the ablation cannot be made at inhibitory fraction 0.7"},
	{"an empty value", "sweep", []string{"run", "-shard", ""}, "-shard is empty"},
	{"flags that contradict each other", "sweep", []string{"status", "-quick", "-epochs", "7"}, "-epochs 7 and -quick"},
	{"an index out of range", "sweep", []string{"run", "-index", "-1"}, `-index "-1": want an integer >= 0`},
	{"an index out of range", "sweep", []string{"run", "-plan", "controls/ablation", "-results", "results", "-index", "100000"}, "100000"},
	{"a default folder that is not here", "sweep", []string{"status", "-plan", "mirror"}, "-results notebooks/results (the default): no such folder in"},
	{"an unwritable output folder", "dales", []string{"-epochs", "1", "-fractions", "0.5", "-out", "/proc/1"}, "-out: snn: folder /proc/1 cannot be written"},
	{"an unwritable output folder", "sweep", []string{"run", "-conditions", "both", "-fractions", "0.5", "-seeds", "1", "-epochs", "1", "-cache", "/proc/1"}, "nothing was trained"},
	{"an unwritable output folder", "figures", []string{"-ckpt", "{model}", "-out", "/proc/1"}, "-out: snn: folder /proc/1 cannot be written"},
	{"an unwritable output folder", "pjrt-install", []string{"-dir", "/proc/1"}, "-dir /proc/1: the folder /proc/1/go-xla cannot be created"},
	{"an unwritable output folder", "sweep", []string{"rate", "-results", "{garbage}"}, "garbage.ckpt: not a folder"},
	{"a value that would become a shell command", "sweep", []string{"slurm", "-name", "x\nid", "-conditions", "both", "-fractions", "0.5", "-seeds", "1"}, `-name "x\nid"`},
	{"a damaged file", "figures", []string{"-ckpt", "{garbage}"}, "checkpoint"},
	{"a missing file", "figures", []string{"-ckpt", "{missing}"}, "no such file"},
	{"a file of another configuration", "figures", []string{"-dir", "{wrongdir}", "-fraction", "0.2"}, "holds a model of another configuration"},
	{"a flag that would be ignored", "figures", []string{"-ckpt", "{model}", "-fraction", "0.5"}, "-fraction: only with -dir"},
	{"a flag that would be ignored", "dales", []string{"-no-dale", "-layout", "random"}, "-no-dale and -layout"},
	{"a flag that would be ignored", "sweep", []string{"plan", "-workers", "5", "-conditions", "both", "-fractions", "0.5", "-seeds", "1"}, "-workers: sweep plan lists the runs and trains none"},
	{"a flag that would be ignored", "sweep", []string{"status", "-layout", "random", "-conditions", "unconstrained", "-fractions", "0.5", "-seeds", "1"}, `condition "unconstrained" has no Dale mask`},
	{"an empty value", "sweep", []string{"tune", "-plan", "signs-tuned", "-results", ""}, `-results "": want a folder`},
	{"an empty value", "sweep", []string{"run", "-plan", ""}, `-plan "": want one of mirror, controls, populations, all, or <plan>/<sweep>`},
	{"an empty value", "sweep", []string{"status", "-plan", ""}, `-plan "": want one of`},
	{"an empty value", "sweep", []string{"status", "-conditions", "both", "-fractions", "0.5", "-seeds", "1", "-cache", " "}, `-cache " ": a sweep needs a cache folder`},
	{"an empty value", "sweep", []string{"slurm", "-conditions", "both", "-fractions", "0.5", "-seeds", "1", "-logs", ""}, `-logs "": want a folder`},
	{"a file that cannot be written", "dales", []string{"-fractions", "0.5", "-out", "{taken}"}, "seed1_frac0.5.ckpt is a folder, where the checkpoint of seed 1 at fraction 0.5 goes"},
	{"an empty value", "dales", []string{"-out", " "}, `-out " ": want a folder for the checkpoints`},
	{"a folder under a file", "sweep", []string{"status", "-conditions", "both", "-fractions", "0.5", "-seeds", "1", "-cache", "{garbage}/sub"}, "garbage.ckpt is a file, not a folder"},
	{"a folder under a file", "sweep", []string{"run", "-plan", "mirror", "-results", "{garbage}/sub"}, "garbage.ckpt is a file, not a folder"},
	{"an empty value", "figures", []string{"-out", "", "-ckpt", "{model}"}, `-out "": want the folder for the figures`},
	{"number out of range", "sweep", []string{"status", "-fractions", "0.2,1.5"}, "fraction 1.5 is outside [0, 1]"},
	{"number out of range", "sweep", []string{"slurm", "-time", "0", "-conditions", "both", "-fractions", "0.5", "-seeds", "1"}, "Slurm reads a limit of 0 as no limit"},
	{"one run under two names", "sweep", []string{"status", "-conditions", "both,blocked", "-fractions", "0.5", "-seeds", "1"}, `conditions "both" and "blocked" are the same run`},
	{"one run under two names", "dales", []string{"-no-dale", "-fractions", "0.5,0.2"}, "would be one run repeated"},
	{"an unwritable output folder", "sweep", []string{"slurm", "-conditions", "both", "-fractions", "0.5", "-seeds", "1", "-o", "/proc/x.sbatch"}, "-o /proc/x.sbatch: its folder /proc cannot be written"},
	{"a file that cannot be written", "figures", []string{"-ckpt", "{model}", "-out", "{figtaken}"}, "weights_signed.png is a folder, where figure weights_signed goes"},
	{"a file that cannot be written", "sweep", []string{"slurm", "-conditions", "both", "-fractions", "0.5", "-seeds", "1", "-o", "{sweepbin}"}, "is the sweep binary the tasks run"},
	{"a damaged file", "figures", []string{"-ckpt", "/dev/zero"}, "not a regular file"},
	{"malformed number", "dales", []string{"-epochs", "0x10"}, `invalid value "0x10" for flag -epochs: want a whole number in decimal digits`},
	{"malformed number", "sweep", []string{"status", "-epochs", "1_000"}, `invalid value "1_000" for flag -epochs: want a whole number in decimal digits`},
	{"number out of range", "sweep", []string{"slurm", "-conditions", "both", "-fractions", "0.5", "-seeds", "1", "-runs-per-task", "9223372036854775807"}, "want 1 to 1000000"},
	{"a flag that would be ignored", "sweep", []string{"slurm", "-conditions", "both", "-fractions", "0.5", "-seeds", "1", "-workers", "3"}, "-workers 3: a cluster task runs its runs one at a time"},
	{"a value that would become a shell command", "sweep", []string{"slurm", "-conditions", "both", "-fractions", "0.5", "-seeds", "1", "-logs", "l%j"}, `-logs "l%j"`},
	{"a value that would become a shell command", "sweep", []string{"k8s", "-conditions", "both", "-fractions", "0.5", "-seeds", "1", "-cache", "c$(GOMAXPROCS)"}, "Kubernetes would expand"},
	{"a value listed twice", "dales", []string{"-seeds", "{manyseeds}"}, "1 is listed twice in the list of 9001"},
	{"a file that cannot be written", "sweep", []string{"run", "-conditions", "both", "-fractions", "0.5", "-seeds", "1", "-epochs", "1", "-cache", "{entrytaken}"}, "is a folder: move it away (nothing was trained)"},
}

// TestBadInputClasses runs the built commands on every case of classes.
func TestBadInputClasses(t *testing.T) {
	if testing.Short() {
		t.Skip("builds every command")
	}
	root, err := filepath.Abs("../../../..")
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	build := exec.Command("go", "build", "-o", bin+string(os.PathSeparator), "./snn/cmd/dales", "./snn/cmd/sweep", "./snn/cmd/benchstep",
		"./snn/cmd/pjrt-install", "./plots/cmd/figures")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	files := t.TempDir()
	garbage := filepath.Join(files, "garbage.ckpt")
	os.WriteFile(garbage, []byte("not a checkpoint"), 0o644)
	model := filepath.Join(root, "notebooks", "results", "models", "pop-abs_s1.ckpt")
	wrong := filepath.Join(files, "wrong")
	os.Mkdir(wrong, 0o755)
	// a committed model of another configuration under the name of the notebook's 0.2 model
	data, err := os.ReadFile(model)
	if err != nil {
		t.Fatal(err)
	}
	cfg := snn.DefaultConfig()
	cfg.InhibitoryFraction = 0.2
	os.WriteFile(filepath.Join(wrong, snn.CheckpointName(cfg)), data, 0o644)
	taken := filepath.Join(files, "taken") // a folder under the name of dales' first checkpoint
	os.MkdirAll(filepath.Join(taken, "seed1_frac0.5.ckpt"), 0o755)
	// A folder under the name of a sweep's cache entry (the entry's path from sweep plan itself).
	entryTaken := filepath.Join(files, "entrytaken")
	grid := []string{"-conditions", "both", "-fractions", "0.5", "-seeds", "1", "-epochs", "1", "-cache", entryTaken}
	planOut, err := exec.Command(filepath.Join(bin, "sweep"), append([]string{"plan"}, grid...)...).Output()
	if err != nil {
		t.Fatalf("sweep plan: %v", err)
	}
	if lines := strings.Split(string(planOut), "\n"); len(lines) < 2 || len(strings.Fields(lines[1])) == 0 {
		t.Fatalf("sweep plan printed %q", planOut)
	} else {
		f := strings.Fields(lines[1])
		os.MkdirAll(f[len(f)-1], 0o755)
	}
	figTaken := filepath.Join(files, "figtaken") // a folder under the name of one of figures' files
	os.MkdirAll(filepath.Join(figTaken, "weights_signed.png"), 0o755)
	var many strings.Builder // 9000 seeds, then the first again: refused at once (the check was quadratic)
	for i := 1; i <= 9000; i++ {
		fmt.Fprintf(&many, "%d,", i)
	}
	many.WriteString("1")
	subst := strings.NewReplacer("{garbage}", garbage, "{model}", model, "{missing}", filepath.Join(files, "missing.ckpt"), "{wrongdir}", wrong,
		"{taken}", taken, "{figtaken}", figTaken, "{manyseeds}", many.String(), "{entrytaken}", entryTaken, "{sweepbin}", filepath.Join(bin, "sweep"))
	seen := map[string]bool{}
	var slowest time.Duration
	slowestName := ""
	for _, c := range classes {
		seen[c.class] = true
		var args []string
		for _, a := range c.args {
			args = append(args, subst.Replace(a))
		}
		work := t.TempDir()                                                      // the command's working folder: anything it makes there is reported
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second) // a command that trains is stopped
		cmd := exec.CommandContext(ctx, filepath.Join(bin, c.command), args...)
		cmd.Dir = work
		start := time.Now()
		out, err := cmd.CombinedOutput()
		took := time.Since(start)
		cancel()
		msg := string(out)
		name := c.command + " " + strings.Join(c.args, " ")
		switch {
		case err == nil:
			t.Errorf("%s [%s]: exit 0, output %q", name, c.class, tail(msg))
		case cmd.ProcessState == nil || cmd.ProcessState.ExitCode() < 1:
			t.Errorf("%s [%s]: %v (killed: it did not refuse)", name, c.class, err)
		case !strings.Contains(msg, c.want):
			t.Errorf("%s [%s]: output %q does not name %q", name, c.class, tail(msg), c.want)
		case strings.Contains(msg, "panic") || strings.Contains(msg, "goroutine "):
			t.Errorf("%s [%s]: a panic trace: %q", name, c.class, tail(msg))
		case repeatedLine(msg, c.want):
			t.Errorf("%s [%s]: the line naming %q is printed more than once: %q", name, c.class, c.want, tail(msg))
		}
		// A flag the command does not know or cannot parse ends with status 2, as the flag package's own.
		flagErr := strings.HasPrefix(c.want, "flag provided but not defined") || strings.HasPrefix(c.want, "invalid value")
		if code := cmd.ProcessState.ExitCode(); err != nil && flagErr && code != 2 {
			t.Errorf("%s [%s]: exit status %d, want 2 (a flag error)", name, c.class, code)
		}
		if took > slowest {
			slowest, slowestName = took, name
		}
		if took > time.Second {
			t.Errorf("%s [%s]: took %s to refuse, want under a second", name, c.class, took.Round(time.Millisecond))
		}
		if left, _ := os.ReadDir(work); len(left) > 0 {
			t.Errorf("%s [%s]: left %d file(s) in its working folder (%s)", name, c.class, len(left), left[0].Name())
		}
	}
	t.Logf("%d cases in %d classes; the slowest refusal took %s (%s)", len(classes), len(seen), slowest.Round(time.Millisecond), slowestName)
	if len(seen) < 15 {
		t.Errorf("%d classes of bad input, want the 15 of issue 24's list", len(seen))
	}
}

// repeatedLine reports whether the first line of out that holds want appears in out more than once.
func repeatedLine(out, want string) bool {
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, want) {
			return strings.Count(out, l) > 1
		}
	}
	return false
}

func tail(s string) string {
	if len(s) > 300 {
		return "..." + s[len(s)-300:]
	}
	return s
}
