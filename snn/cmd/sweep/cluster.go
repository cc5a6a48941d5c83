package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/snn-dales/dales/snn"
	"github.com/snn-dales/dales/snn/cmd/internal/decimal"
	"github.com/snn-dales/dales/snn/study"
)

// clusterFlags are the options shared by the Slurm and Kubernetes writers.
type clusterFlags struct {
	name              string
	runsPerTask, cpus int
	concurrency       int
	out               string
}

func (c *clusterFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.name, "name", "dales-sweep", "job name")
	decimal.IntVar(fs, &c.runsPerTask, "runs-per-task", 4, "`runs` per task (clusters discourage thousands of tiny jobs)")
	decimal.IntVar(fs, &c.cpus, "cpus", 2, "`cores` per task (GOMAXPROCS of the task)")
	decimal.IntVar(fs, &c.concurrency, "concurrency", 0, "`tasks` running at once (0: no limit)")
	fs.StringVar(&c.out, "o", "", "write the file here (default: standard output)")
}

// maxClusterCount bounds -runs-per-task and -concurrency (no sweep has a million runs; larger values
// overflowed the task count into the scripts), maxTaskCPUs -cpus (GOMAXPROCS' useful range).
const (
	maxClusterCount = 1_000_000
	maxTaskCPUs     = 4096
)

// checkClusterGrid refuses the grid flags a cluster file would not carry: -workers (each task runs its runs
// one at a time on -cpus cores; the file says -workers 1).
func checkClusterGrid(g *grid) error {
	if g.set["workers"] {
		return fmt.Errorf("-workers %d: a cluster task runs its runs one at a time on -cpus cores (its GOMAXPROCS), so the file "+
			"says -workers 1; give -cpus instead", g.workers)
	}
	return nil
}

// jobName is what -name may hold: a DNS label (Kubernetes' rule for a Job's name; Slurm accepts it
// too), so that no value can break out of the line it is written on.
var jobName = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$`)

// tasks is the number of shards of the sweep's plan.
func (c *clusterFlags) tasks(s *study.Sweep) (tasks, runs int, err error) {
	if c.runsPerTask <= 0 || c.cpus <= 0 || c.concurrency < 0 || c.runsPerTask > maxClusterCount || c.cpus > maxTaskCPUs ||
		c.concurrency > maxClusterCount {
		return 0, 0, fmt.Errorf("-runs-per-task %d, -cpus %d, -concurrency %d: want 1 to %d, 1 to %d, 0 to %d", c.runsPerTask, c.cpus,
			c.concurrency, maxClusterCount, maxTaskCPUs, maxClusterCount)
	}
	if !jobName.MatchString(c.name) {
		return 0, 0, fmt.Errorf("-name %q: want lower-case letters, digits and '-', at most 63, starting and ending with a letter or digit", c.name)
	}
	if c.out != "" { // checked before anything is made (slurm's -logs folder)
		if fi, err := os.Stat(filepath.Dir(c.out)); err != nil || !fi.IsDir() {
			return 0, 0, fmt.Errorf("-o %s: its folder %s does not exist", c.out, filepath.Dir(c.out))
		}
		if fi, err := os.Stat(c.out); err == nil && fi.IsDir() {
			return 0, 0, fmt.Errorf("-o %s: a folder, want a file", c.out)
		}
		f, err := os.CreateTemp(filepath.Dir(c.out), ".write-check-*")
		if err != nil {
			return 0, 0, fmt.Errorf("-o %s: its folder %s cannot be written: %w", c.out, filepath.Dir(c.out), err)
		}
		f.Close()
		os.Remove(f.Name())
	}
	plan, err := s.Plan()
	if err != nil {
		return 0, 0, err
	}
	return (len(plan) + c.runsPerTask - 1) / c.runsPerTask, len(plan), nil
}

func (c *clusterFlags) write(data []byte) error {
	if c.out == "" {
		_, err := os.Stdout.Write(data)
		return err
	}
	if err := snn.WriteFileAtomic(c.out, data); err != nil { // a failed write leaves an earlier script whole
		return fmt.Errorf("-o: %w", err)
	}
	return nil
}

func slurmCmd(args []string) error {
	var c clusterFlags
	var bin, wall, partition, logs *string
	g, s, err := parseSweep("sweep slurm", args, func(fs *flag.FlagSet) {
		c.register(fs)
		bin = fs.String("bin", "", "the sweep binary the tasks run (default: this one; build it with go build -o, not go run)")
		wall = fs.String("time", "02:00:00", "time limit per task (Slurm --time)")
		partition = fs.String("partition", "", "Slurm partition (default: the cluster's)")
		logs = fs.String("logs", "slurm-logs", "folder for the tasks' output")
	})
	if err != nil {
		return err
	}
	if err := checkClusterGrid(g); err != nil {
		return err
	}
	n, runs, err := c.tasks(s)
	if err != nil {
		return err
	}
	// Every value written into an #SBATCH line is checked: a newline there would start a shell command.
	if !slurmTime.MatchString(*wall) {
		return fmt.Errorf("-time %q: want Slurm's minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS", *wall)
	}
	if err := slurmTimeValues(*wall); err != nil {
		return err
	}
	if *partition != "" && !slurmWord.MatchString(*partition) {
		return fmt.Errorf("-partition %q: want letters, digits, '.', '_' and '-'", *partition)
	}
	// The script writes the absolute path (from the working folder, which a relative -logs takes in).
	logDir, err := filepath.Abs(*logs)
	if err != nil {
		return err
	}
	if *logs == "" || strings.ContainsFunc(logDir, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) || r == '%' }) {
		return fmt.Errorf("-logs %q: want a folder whose absolute path (%q) holds no space, control character or %% (sbatch reads it "+
			"from an #SBATCH line and expands %%j, %%A and the like anywhere in it)", *logs, logDir)
	}
	exe, err := sweepBinary(*bin)
	if err != nil {
		return err
	}
	if c.out != "" {
		if fi, err := os.Stat(c.out); err == nil {
			if bi, err := os.Stat(exe); err == nil && os.SameFile(fi, bi) {
				return fmt.Errorf("-o %s is the sweep binary the tasks run (-bin %s): the script would replace it", c.out, exe)
			}
		}
	}
	gAbs := *g
	if gAbs.cache, err = filepath.Abs(g.cache); err != nil {
		return err
	}
	if gAbs.results, err = filepath.Abs(g.results); err != nil {
		return err
	}
	if err := os.MkdirAll(logDir, 0o755); err != nil { // Slurm does not create it, and a task fails without it
		return fmt.Errorf("-logs: %w", err)
	}
	wd, _ := os.Getwd()
	return c.write([]byte(slurmScript(slurmJob{name: c.name, tasks: n, concurrency: c.concurrency, cpus: c.cpus,
		wall: *wall, partition: *partition, logs: logDir, workdir: wd, bin: exe, args: gAbs.args(), runs: runs})))
}

// sweepBinary is the binary a cluster task runs: bin, or this executable unless go run built it in a
// temporary folder (which the tasks cannot see).
func sweepBinary(bin string) (string, error) {
	if bin == "" {
		exe, err := os.Executable()
		if err != nil {
			return "", err
		}
		if strings.Contains(exe, string(filepath.Separator)+"go-build") {
			return "", fmt.Errorf("this is a go run binary (%s), which the tasks cannot run: build one with "+
				"`go build -o bin/sweep ./snn/cmd/sweep` and use it, or give -bin", exe)
		}
		bin = exe
	}
	abs, err := filepath.Abs(bin)
	if err != nil {
		return "", err
	}
	if fi, err := os.Stat(abs); err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 {
		return "", fmt.Errorf("-bin %q is not an executable file", bin)
	}
	return abs, nil
}

var (
	slurmTime = regexp.MustCompile(`^([0-9]+|[0-9]+:[0-9]{2}|[0-9]+:[0-9]{2}:[0-9]{2}|[0-9]+-[0-9]+(:[0-9]{2}){0,2})$`)
	slurmWord = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)
	// k8sQuantity is a non-negative quantity in Kubernetes' grammar (resource.Quantity): an optional "+", a
	// number (1, 1.5, 1. or .5), then a binary suffix (Ki ... Ei), a decimal one (n, u, m, k, M ... E) or a decimal
	// exponent (e3, E+3, e-3). Its groups are the number and the suffix.
	k8sQuantity = regexp.MustCompile(`^\+?([0-9]+(?:\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$`)
	// k8sSubdomain is a DNS-1123 subdomain, the form of a PersistentVolumeClaim's name.
	k8sSubdomain = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`)
)

type slurmJob struct {
	name                  string
	tasks, concurrency    int
	cpus, runs            int
	wall, partition, logs string
	workdir, bin          string
	args                  []string
}

// slurmScript writes the sbatch script of a job array: task i runs shard i of the plan, one run at a
// time on all its cores. Every task plans the same grid and skips runs already cached, so submitting the
// script again completes only what is missing.
func slurmScript(j slurmJob) string {
	var b strings.Builder
	fmt.Fprintf(&b, "#!/bin/bash\n")
	fmt.Fprintf(&b, "# Written by `sweep slurm`: a job array over the %d shards of a sweep of %d runs.\n", j.tasks, j.runs)
	fmt.Fprintf(&b, "# Submit with `sbatch %s`; resubmitting completes only the runs missing from the cache.\n", "<this file>")
	fmt.Fprintf(&b, "#SBATCH --job-name=%s\n", j.name)
	array := fmt.Sprintf("0-%d", j.tasks-1)
	if j.concurrency > 0 {
		array += fmt.Sprintf("%%%d", j.concurrency)
	}
	fmt.Fprintf(&b, "#SBATCH --array=%s\n", array)
	fmt.Fprintf(&b, "#SBATCH --cpus-per-task=%d\n", j.cpus)
	fmt.Fprintf(&b, "#SBATCH --ntasks=1\n")
	fmt.Fprintf(&b, "#SBATCH --time=%s\n", j.wall)
	fmt.Fprintf(&b, "#SBATCH --output=%s\n", filepath.Join(j.logs, "%x_%A_%a.out"))
	if j.partition != "" {
		fmt.Fprintf(&b, "#SBATCH --partition=%s\n", j.partition)
	}
	fmt.Fprintf(&b, "set -euo pipefail\n")
	fmt.Fprintf(&b, "export GOMAXPROCS=\"${SLURM_CPUS_PER_TASK:-1}\"\n")
	fmt.Fprintf(&b, "cd %s\n", shellQuote(j.workdir))
	quoted := make([]string, len(j.args))
	for i, a := range j.args {
		quoted[i] = shellQuote(a)
	}
	fmt.Fprintf(&b, "exec %s run %s -workers 1 -shard \"${SLURM_ARRAY_TASK_ID}/%d\"\n", shellQuote(j.bin), strings.Join(quoted, " "), j.tasks)
	return b.String()
}

// shellQuote quotes s for bash when it holds anything but safe characters.
func shellQuote(s string) string {
	safe := s != ""
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:,=%+@", r)) {
			safe = false
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func k8sCmd(args []string) error {
	var c clusterFlags
	var image, pvc, mount, memory *string
	g, s, err := parseSweep("sweep k8s", args, func(fs *flag.FlagSet) {
		c.register(fs)
		image = fs.String("image", "dales:latest", "the project's image (docker/Dockerfile), which has the dales-sweep binary")
		pvc = fs.String("pvc", "dales-sweep-cache", "PersistentVolumeClaim holding the cache (ReadWriteMany for parallel pods)")
		mount = fs.String("mount", "/cache", "where the claim is mounted; the cache folder is -cache's (with -plan: -results') base name inside it")
		memory = fs.String("memory", "2Gi", "memory request and limit per pod")
	})
	if err != nil {
		return err
	}
	if err := checkClusterGrid(g); err != nil {
		return err
	}
	n, _, err := c.tasks(s)
	if err != nil {
		return err
	}
	// Every value written into the manifest is checked here, not by kubectl apply (or, for -mount, not at
	// all: a relative path would put the cache outside the volume).
	folderFlag, folder := "-cache", g.cache // the folder whose base name the pods' cache takes on the volume
	if g.plan != "" {
		folderFlag, folder = "-results", g.results
	}
	switch base := filepath.Base(folder); {
	case !path.IsAbs(*mount):
		return fmt.Errorf("-mount %q: want an absolute path in the pod (the claim's mount point, e.g. /cache)", *mount)
	case path.Clean(*mount) == "/":
		return fmt.Errorf("-mount %q: want a folder other than / (the claim there would hide the image's own files), e.g. /cache", *mount)
	case strings.Contains(*mount, "$("):
		return fmt.Errorf("-mount %q: Kubernetes would expand its %q in the pods' command as a variable of their environment", *mount, "$(")
	case strings.Contains(base, "$("):
		return fmt.Errorf("%s %q: the pods' cache is this folder's name inside -mount, and Kubernetes would expand its %q as a "+
			"variable of the pod's environment: rename the folder", folderFlag, folder, "$(")
	case base == "." || base == ".." || base == string(filepath.Separator):
		return fmt.Errorf("%s %q: the pods' cache is this folder's name inside -mount, and %q names none: give a named folder, e.g. out/sweep",
			folderFlag, folder, base)
	case !k8sQuantity.MatchString(*memory):
		return fmt.Errorf("-memory %q: want a Kubernetes quantity, e.g. 2Gi or 1500Mi", *memory)
	case !(quantityBytes(*memory) >= minPodMemory && quantityBytes(*memory) <= maxPodMemory):
		return fmt.Errorf("-memory %q: want 256Mi to 1Ti per pod (its request and limit; one run peaks near 140 MB, a "+
			"worker per core adds one each)", *memory)
	case len(*pvc) > 253 || !k8sSubdomain.MatchString(*pvc):
		return fmt.Errorf("-pvc %q: want a claim's name (lower-case letters, digits, '-' and '.', at most 253)", *pvc)
	case *image == "" || strings.ContainsFunc(*image, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }):
		return fmt.Errorf("-image %q: want an image reference without spaces, e.g. dales:latest", *image)
	}
	gPod := *g
	gPod.cache = filepath.ToSlash(filepath.Join(*mount, filepath.Base(g.cache)))
	gPod.results = filepath.ToSlash(filepath.Join(*mount, filepath.Base(g.results))) // with -plan: the plan's caches on the volume
	m := k8sManifest(k8sJob{name: c.name, tasks: n, parallelism: c.concurrency, cpus: c.cpus, image: *image, pvc: *pvc,
		mount: *mount, memory: *memory, args: gPod.args()})
	return writeJSON(&c, m)
}

type k8sJob struct {
	name                      string
	tasks, parallelism, cpus  int
	image, pvc, mount, memory string
	args                      []string
}

// k8sManifest is a batch/v1 Job in Indexed completion mode: pod k runs shard k of the plan
// (JOB_COMPLETION_INDEX), the cache on a shared volume. JSON is valid YAML, so kubectl apply -f takes it.
func k8sManifest(j k8sJob) map[string]any {
	par := j.parallelism
	if par <= 0 {
		par = j.tasks
	}
	cpu := strconv.Itoa(j.cpus)
	command := append([]any{"dales-sweep", "run"}, toAny(j.args)...)
	command = append(command, "-workers", "1", "-shard", fmt.Sprintf("$(JOB_COMPLETION_INDEX)/%d", j.tasks))
	return map[string]any{
		"apiVersion": "batch/v1",
		"kind":       "Job",
		"metadata":   map[string]any{"name": j.name},
		"spec": map[string]any{
			"completionMode": "Indexed",
			"completions":    j.tasks,
			"parallelism":    par,
			"backoffLimit":   2 * j.tasks,
			"template": map[string]any{
				"spec": map[string]any{
					"restartPolicy": "Never",
					"containers": []any{map[string]any{
						"name":    "sweep",
						"image":   j.image,
						"command": command,
						"env":     []any{map[string]any{"name": "GOMAXPROCS", "value": cpu}},
						"resources": map[string]any{
							"requests": map[string]any{"cpu": cpu, "memory": j.memory},
							"limits":   map[string]any{"cpu": cpu, "memory": j.memory},
						},
						"volumeMounts": []any{map[string]any{"name": "cache", "mountPath": j.mount}},
					}},
					"volumes": []any{map[string]any{"name": "cache", "persistentVolumeClaim": map[string]any{"claimName": j.pvc}}},
				},
			},
		},
	}
}

func toAny(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

func writeJSON(c *clusterFlags, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return c.write(append(data, '\n'))
}

// The memory a pod may be given (-memory): at least what two runs at once need, at most what a node has.
const (
	minPodMemory = 256 << 20
	maxPodMemory = 1 << 40
)

// quantityBytes is the number of bytes a Kubernetes quantity (k8sQuantity) stands for (NaN when it is not
// one, +Inf beyond float64).
func quantityBytes(q string) float64 {
	m := k8sQuantity.FindStringSubmatch(q)
	if m == nil {
		return math.NaN()
	}
	v, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		return math.NaN()
	}
	suffix := m[2]
	if v == 0 { // 0 in any unit, also 0e400 (0 times an infinite power)
		return 0
	}
	if len(suffix) > 1 && (suffix[0] == 'e' || suffix[0] == 'E') && suffix[1] != 'i' { // a decimal exponent, e.g. 2e9
		exp, err := strconv.Atoi(suffix[1:])
		if err != nil {
			return math.Inf(1)
		}
		if exp < 0 { // divided, so that 3000e-3 is 3 exactly
			return v / math.Pow(10, float64(-exp))
		}
		return v * math.Pow(10, float64(exp))
	}
	if div, ok := map[string]float64{"n": 1e9, "u": 1e6, "m": 1e3}[suffix]; ok { // nano-, micro- and milli-units, divided for the same reason
		return v / div
	}
	mult := map[string]float64{"": 1, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15, "E": 1e18,
		"Ki": 1 << 10, "Mi": 1 << 20, "Gi": 1 << 30, "Ti": 1 << 40, "Pi": 1 << 50, "Ei": 1 << 60}
	return v * mult[suffix]
}

// maxSlurmMinutes is the largest time limit Slurm keeps as written (its limits are 32-bit counts of minutes;
// a larger one would be cut or refused at submission).
const maxSlurmMinutes = 1<<31 - 1

// slurmTimeValues refuses a -time that matches Slurm's forms (slurmTime) but is no limit Slurm would keep
// as written: 0 (Slurm reads it as no limit at all), or minutes or seconds of 60 or more after another field
// (Slurm's MM:SS and HH:MM:SS take them below 60), or hours of 24 or more after days.
func slurmTimeValues(wall string) error {
	days, rest, hasDays := strings.Cut(wall, "-")
	if !hasDays {
		rest, days = wall, "0"
	}
	fields := strings.Split(rest, ":")
	// The fields' units, in seconds: M, M:SS, H:MM:SS without days; D-H, D-H:MM, D-H:MM:SS with them.
	units := map[int][]float64{1: {60}, 2: {60, 1}, 3: {3600, 60, 1}}[len(fields)]
	if hasDays {
		units = []float64{3600, 60, 1}[:len(fields)]
	}
	d, err := strconv.ParseFloat(days, 64) // digits only (slurmTime): an error is a number beyond float64
	if err != nil {
		return fmt.Errorf("-time %q: %s days is too large: want a limit of at most %d minutes", wall, days, maxSlurmMinutes)
	}
	seconds := d * 86400
	for i, f := range fields {
		v, err := strconv.ParseFloat(f, 64)
		switch {
		case err != nil:
			return fmt.Errorf("-time %q: %s is too large: want a limit of at most %d minutes", wall, f, maxSlurmMinutes)
		case i == 0 && hasDays && v >= 24:
			return fmt.Errorf("-time %q: %s hours after the days is 24 or more: want hours below 24", wall, f)
		case i > 0 && v >= 60:
			return fmt.Errorf("-time %q: %s is 60 or more: want minutes and seconds below 60", wall, f)
		}
		seconds += v * units[i]
	}
	switch {
	case seconds == 0:
		return fmt.Errorf("-time %q: Slurm reads a limit of 0 as no limit; want a positive time limit, e.g. 02:00:00", wall)
	case seconds > maxSlurmMinutes*60:
		return fmt.Errorf("-time %q: %.0f minutes: want a limit of at most %d minutes (Slurm counts them in 32 bits)", wall,
			math.Ceil(seconds/60), maxSlurmMinutes)
	}
	return nil
}
