package notebooks

// The committed HTML exports, opened as a reader who received them would: in headless Chromium, loading
// require.js and MathJax from the CDN the exports name. No network is reachable here, so the test serves
// the very npm packages the CDN serves (npm pack mathjax@2.7.9 requirejs@2.3.6) over HTTPS on localhost
// and maps the CDN's host name to it; the page must then render its math (MathJax's output elements in
// the DOM), show every figure and the report lines.

import (
	"archive/tar"
	"compress/gzip"
	"fmt"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// chromium returns the headless browser, installing Debian's chromium when missing and possible.
func chromium(t *testing.T) string {
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	if os.Geteuid() == 0 {
		cmd := exec.Command("apt-get", "-o", "DPkg::Lock::Timeout=300", "install", "-y", "-qq", "--no-install-recommends", "chromium")
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		if out, err := cmd.CombinedOutput(); err == nil {
			if p, err := exec.LookPath("chromium"); err == nil {
				return p
			}
		} else {
			t.Logf("apt-get install chromium: %v\n%s", err, tail(string(out), 2000))
		}
	}
	msg := "chromium is not installed and cannot be installed here"
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// cdnPackages fetches the npm packages the exports load from cdn.jsdelivr.net/npm and unpacks each into
// dir/<name>@<version>/.
func cdnPackages(t *testing.T, dir string, pkgs ...string) {
	nodeTools(t) // on a bare machine the panel's test, which also installs them, may run later
	cmd := exec.Command("npm", "pack", "--silent")
	cmd.Args = append(cmd.Args, pkgs...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		msg := fmt.Sprintf("npm pack %v: %v\n%s", pkgs, err, out)
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	for _, pkg := range pkgs {
		name, version, _ := strings.Cut(pkg, "@")
		f, err := os.Open(filepath.Join(dir, name+"-"+version+".tgz"))
		if err != nil {
			t.Fatal(err)
		}
		zr, err := gzip.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		tr := tar.NewReader(zr)
		for {
			h, err := tr.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			rel, ok := strings.CutPrefix(h.Name, "package/")
			if !ok || h.Typeflag != tar.TypeReg {
				continue
			}
			p := filepath.Join(dir, pkg, filepath.FromSlash(rel))
			os.MkdirAll(filepath.Dir(p), 0o755)
			w, err := os.Create(p)
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(w, tr)
			w.Close()
		}
		f.Close()
	}
}

func TestHTMLExportsRender(t *testing.T) {
	if testing.Short() {
		t.Skip("opens the HTML exports in headless Chromium")
	}
	browser := chromium(t)
	cdn := t.TempDir()
	cdnPackages(t, cdn, "mathjax@2.7.9", "requirejs@2.3.6")
	srv := httptest.NewTLSServer(http.StripPrefix("/npm/", http.FileServer(http.Dir(cdn))))
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	for _, p := range notebooks(t) {
		t.Run(p, func(t *testing.T) {
			htmlPath, _ := filepath.Abs(strings.TrimSuffix(p, ".ipynb") + ".html")
			page, err := os.ReadFile(htmlPath)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(page), "https://cdn.jsdelivr.net/npm/mathjax@2.7.9/") {
				t.Fatalf("the export does not load MathJax from the CDN this test serves")
			}
			shot := filepath.Join(t.TempDir(), "page.png")
			args := []string{"--headless", "--no-sandbox", "--disable-gpu", "--no-proxy-server", "--ignore-certificate-errors",
				"--host-resolver-rules=MAP cdn.jsdelivr.net:443 " + u.Host, "--virtual-time-budget=30000",
				"--window-size=1200,3000"}
			dom, err := exec.Command(browser, append(args, "--dump-dom", "file://"+htmlPath)...).Output()
			if err != nil {
				t.Fatalf("chromium --dump-dom: %v", err)
			}
			d := string(dom)
			// MathJax 2.7's CommonHTML output: <span class="mjx-chtml MathJax_CHTML" ...>.
			if n := strings.Count(d, "mjx-chtml"); n == 0 && strings.Contains(string(page), "$$") {
				t.Errorf("the page has math but MathJax rendered none of it")
			}
			imgs := strings.Count(d, `src="data:image/png;base64,`)
			if want := strings.Count(string(page), `src="data:image/png;base64,`); imgs != want || want == 0 {
				t.Errorf("the rendered page shows %d figures, the export has %d", imgs, want)
			}
			for _, re := range reportLines(p) {
				if !re.MatchString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(d, "")) {
					t.Errorf("no rendered text matches %q", re)
				}
			}
			// A screenshot of the top of the page, for people; it must not be blank.
			if out, err := exec.Command(browser, append(args, "--screenshot="+shot, "file://"+htmlPath)...).CombinedOutput(); err != nil {
				t.Fatalf("chromium --screenshot: %v\n%s", err, out)
			}
			f, err := os.Open(shot)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			img, err := png.Decode(f)
			if err != nil {
				t.Fatal(err)
			}
			b, dark := img.Bounds(), 0
			for y := b.Min.Y; y < b.Max.Y; y += 4 {
				for x := b.Min.X; x < b.Max.X; x += 4 {
					if r, g, bl, _ := img.At(x, y).RGBA(); r+g+bl < 3*0x8000 {
						dark++
					}
				}
			}
			if dark < 500 {
				t.Errorf("the screenshot is nearly blank (%d dark samples)", dark)
			}
			if keep := os.Getenv("SNN_SCREENSHOTS"); keep != "" {
				data, _ := os.ReadFile(shot)
				os.WriteFile(filepath.Join(keep, strings.TrimSuffix(p, ".ipynb")+".png"), data, 0o644)
			}
			t.Logf("%s: %d figures, MathJax output present, report lines found", p, imgs)
		})
	}
}
