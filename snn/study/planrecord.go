package study

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/snn-dales/dales/snn"
	"github.com/snn-dales/dales/snn/ratenet"
)

// PlanRecord is a tuned plan as it was fixed before its runs: the commit that fixed it and the plan's
// content at that commit (TunedPlan.Frozen, computed from that commit's code; TestPlanRecords rebuilds
// it there and checks that the commit precedes every run of the plan's cache). A plan whose content
// differs from its record was changed after it was fixed, and its outcome shows both verdicts.
type PlanRecord struct {
	Plan   string
	Commit string // full hash
	Frozen string // TunedPlan.Frozen at Commit
}

// ShortCommit is the commit's first 7 hex digits (as git log --oneline prints it).
func (r PlanRecord) ShortCommit() string { return r.Commit[:7] }

// planRecords lists every tuned plan's record. Add a plan's record in a commit after the one that fixes
// the plan and before its runs; never edit a record.
var planRecords = []PlanRecord{
	{Plan: "populations-tuned", Commit: "1ecd0d1dabf0171dbd203b2b665762aadf53754e",
		Frozen: `{"name":"populations-tuned","conditions":["unconstrained","both","pop-abs","pop-clip","pop-expgrad","pop-wiggle","pop-abs-seedscale","pop-abs-stepcorr","clip","expgrad","wiggle"],"condition_keys":["cd7786acbc260d1d","6b3acf3c96375af5","ccf79e00157b1c36","a437e07a8788efb3","23f3f4dbe9a441a5","d853d8428d4d6ec4","d25b9c97c4a1367d","2dbf98d77c9b9fcd","271ea2af0f16138f","a1ecdf53ede9db91","b343876dbcc4e242"],"fraction":0.5,"grid":[0.001,0.00316228,0.01,0.0316228,0.1],"sgd_grid":null,"tuning_seeds":[101,102,103],"max_extensions":2,"test_seeds":[11,12,13,14,15,16,17,18,19,20],"questions":[{"title":"the E/I-population network against ColumnEI and the unconstrained network","pairs":[["pop-abs","both"],["pop-abs","unconstrained"],["pop-abs-stepcorr","both"],["pop-abs-stepcorr","unconstrained"],["pop-clip","both"],["pop-wiggle","both"]]},{"title":"update rules on the E/I-population network","pairs":[["pop-clip","pop-abs"],["pop-expgrad","pop-abs"],["pop-wiggle","pop-abs"]]},{"title":"update rules on ColumnEI","pairs":[["clip","both"],["expgrad","both"],["wiggle","both"]]},{"title":"controls of the E/I-population network","pairs":[["pop-abs-seedscale","pop-abs"],["pop-abs-stepcorr","pop-abs"]]}],"margin":3,"protocol":"the notebook's network and data (snn.DefaultConfig), 50 epochs, Adam, no early stopping (each run keeps its last weights); each condition's learning rate is the one of 5 (0.001 to 0.1, log-spaced, extended past an edge at most twice) with the highest mean validation accuracy over tuning seeds 101-103; then test seeds 11-20 at that rate, compared pairwise by seed (paired t, Holm within each question, TOST at the margin)"}`},
	{Plan: "signs-tuned", Commit: "1ecd0d1dabf0171dbd203b2b665762aadf53754e",
		Frozen: `{"name":"signs-tuned","conditions":["abs","relu","softplus","clip"],"condition_keys":["6b3acf3c96375af5","3794554bc8abea1a","192cd421886bf8bf","271ea2af0f16138f"],"fraction":0.5,"grid":[0.001,0.00316228,0.01,0.0316228,0.1],"sgd_grid":null,"tuning_seeds":[101,102,103],"max_extensions":2,"test_seeds":[11,12,13,14,15,16,17,18,19,20],"questions":[{"title":"sign parametrisations against |w|","pairs":[["relu","abs"],["softplus","abs"],["clip","abs"]]}],"margin":3,"protocol":"the notebook's network and data (snn.DefaultConfig), 50 epochs, Adam, no early stopping (each run keeps its last weights); each condition's learning rate is the one of 5 (0.001 to 0.1, log-spaced, extended past an edge at most twice) with the highest mean validation accuracy over tuning seeds 101-103; then test seeds 11-20 at that rate, compared pairwise by seed (paired t, Holm within each question, TOST at the margin)"}`},
	{Plan: "populations-shunt", Commit: "ac7a03b906321d75bf9c978a4e66c5427c283730",
		Frozen: `{"name":"populations-shunt","conditions":["pop-sgd","pop-shunt","pop-shunt-sgd"],"condition_keys":["26ebf6d232d847d3","1f282c3b4827fa44","3e6fdf6d962a668e"],"fraction":0.5,"grid":[0.001,0.00316228,0.01,0.0316228,0.1],"sgd_grid":null,"tuning_seeds":[101,102,103],"max_extensions":2,"test_seeds":[11,12,13,14,15,16,17,18,19,20],"questions":[{"title":"the paper's DANN (shunting inhibition, its recipe) and shunting under Adam, against ColumnEI and the unconstrained network","pairs":[["pop-shunt-sgd","both"],["pop-shunt-sgd","unconstrained"],["pop-shunt","both"],["pop-shunt","unconstrained"]]},{"title":"shunting against subtractive inhibition","pairs":[["pop-shunt","pop-abs"],["pop-shunt-sgd","pop-sgd"]]},{"title":"the paper's recipe against Adam with |w|","pairs":[["pop-sgd","pop-abs"],["pop-shunt-sgd","pop-shunt"]]}],"margin":3,"protocol":"as plan populations-tuned (the notebook's network and data, 50 epochs, no early stopping, each run keeps its last weights; 5 learning rates 0.001 to 0.1, extended past an edge at most twice, selected on mean validation accuracy over tuning seeds 101-103; test seeds 11-20; paired t, Holm within each question, TOST at the margin), whose conditions it compares with; the SGD conditions (pop-sgd, pop-shunt-sgd: the paper's recipe) get the same grid and extension rule (no SGD grid of their own: the extensions reach 0.0001 and 1)","reuse":["populations-tuned"]}`},
	{Plan: "populations-lif", Commit: "018d2015730ba2ebfc4674f249c3124f8958ebe2",
		Frozen: `{"name":"populations-lif","conditions":["pop-lif-bal","pop-lif-bal-stepcorr"],"condition_keys":["461c0523ba6d766b","cdde8d024e44820c"],"fraction":0.5,"grid":[0.001,0.00316228,0.01,0.0316228,0.1],"sgd_grid":null,"tuning_seeds":[101,102,103],"max_extensions":2,"test_seeds":[11,12,13,14,15,16,17,18,19,20],"questions":[{"title":"LIF against linear inhibitory units (balanced start, same update rule)","pairs":[["pop-lif-bal","pop-abs"],["pop-lif-bal-stepcorr","pop-abs-stepcorr"]]},{"title":"LIF inhibitory units against ColumnEI and the unconstrained network","pairs":[["pop-lif-bal","both"],["pop-lif-bal","unconstrained"],["pop-lif-bal-stepcorr","both"],["pop-lif-bal-stepcorr","unconstrained"]]},{"title":"the step correction on LIF inhibitory units","pairs":[["pop-lif-bal-stepcorr","pop-lif-bal"]]}],"margin":3,"protocol":"as plan populations-tuned (the notebook's network and data, 50 epochs, no early stopping, each run keeps its last weights; 5 learning rates 0.001 to 0.1, extended past an edge at most twice, selected on mean validation accuracy over tuning seeds 101-103; test seeds 11-20; paired t, Holm within each question, TOST at the margin), whose conditions it compares with; the LIF inhibitory units start balanced (snn.LIFInitBalanced: W_EE, W_IE and W_EI rescaled so that both populations fire at the excitatory rate of the same weights with linear inhibitory units, with the same mean inhibition-to-excitation ratio, on the first 8 training batches); the single-graph formulation trains them","reuse":["populations-tuned"]}`},
	{Plan: "fidelity", Commit: "a6ba68612b59c298380dc2449d9f15c4f8331ab8",
		Frozen: `{"name":"fidelity","condition":"both","condition_keys":["e3b0c44298fc1c14","563664bee80686b5"],"fractions":[0.5,0.2],"seeds":[1,2,3,4,5],"rows":[{"label":"0.5 train accuracy (%)","fraction":0.5,"ablated":false,"metric":"train_accuracy","original":92.7,"floor":false},{"label":"0.5 train absolute error (deg)","fraction":0.5,"ablated":false,"metric":"train_error_deg","original":4,"floor":false},{"label":"0.5 test accuracy (%)","fraction":0.5,"ablated":false,"metric":"test_accuracy","original":83.7,"floor":false},{"label":"0.5 test absolute error (deg)","fraction":0.5,"ablated":false,"metric":"test_error_deg","original":4.4,"floor":false},{"label":"0.2 train accuracy (%)","fraction":0.2,"ablated":false,"metric":"train_accuracy","original":78.1,"floor":false},{"label":"0.2 train absolute error (deg)","fraction":0.2,"ablated":false,"metric":"train_error_deg","original":5.3,"floor":false},{"label":"0.2 test accuracy (%)","fraction":0.2,"ablated":false,"metric":"test_accuracy","original":70.6,"floor":false},{"label":"0.2 test absolute error (deg)","fraction":0.2,"ablated":false,"metric":"test_error_deg","original":6.2,"floor":false},{"label":"0.2 ablated, train accuracy (%)","fraction":0.2,"ablated":true,"metric":"train_accuracy","original":8.6,"floor":true},{"label":"0.2 ablated, train absolute error (deg)","fraction":0.2,"ablated":true,"metric":"train_error_deg","original":70,"floor":true},{"label":"0.2 ablated, test accuracy (%)","fraction":0.2,"ablated":true,"metric":"test_accuracy","original":10,"floor":true},{"label":"0.2 ablated, test absolute error (deg)","fraction":0.2,"ablated":true,"metric":"test_error_deg","original":68,"floor":true}],"accuracy_margin":3,"error_margin":1,"alpha":0.05,"cache":"fidelity","torch_cache":"fidelity","torch_command":"snn/bench/fidelity.sh","source":"the seed notebook's printed output (Analysing Dale's law ..., cells Train Network, the 80:20 run and Testing relevance of inhibitory neurons)","tests":"per row: ours against PyTorch by Welch's t test (seeds unpaired), Holm over the 12 rows at alpha; Welch TOST at the row's margin at alpha; the smallest difference detected with 80% power; the original's value inside or outside each implementation's range over the seeds (not tested: one run); rows marked floor are at chance in the original"}`},
	{Plan: "populations-sgd", Commit: "e009e1b1e006980d1cccb79886fcfa924e43ae7d",
		Frozen: `{"name":"populations-sgd","conditions":["pop-sgd","pop-shunt-sgd"],"condition_keys":["26ebf6d232d847d3","3e6fdf6d962a668e"],"fraction":0.5,"grid":[0.001,0.00316228,0.01,0.0316228,0.1],"sgd_grid":[0.1,0.316228,1,3.16228,10],"tuning_seeds":[101,102,103],"max_extensions":2,"test_seeds":[11,12,13,14,15,16,17,18,19,20],"questions":[{"title":"the paper's DANN (shunting inhibition, its SGD recipe on an SGD grid) against ColumnEI and the unconstrained network","pairs":[["pop-shunt-sgd","both"],["pop-shunt-sgd","unconstrained"]]},{"title":"shunting against subtractive inhibition under the paper's recipe","pairs":[["pop-shunt-sgd","pop-sgd"]]},{"title":"the paper's recipe (SGD grid) against Adam with |w|","pairs":[["pop-sgd","pop-abs"]]}],"margin":3,"protocol":"as plan populations-tuned (the notebook's network and data, 50 epochs, no early stopping, each run keeps its last weights; selected on mean validation accuracy over tuning seeds 101-103, extended past an edge at most twice; test seeds 11-20; paired t, Holm within each question, TOST at the margin), whose conditions it compares with, except that the SGD conditions (pop-sgd, pop-shunt-sgd: the paper's recipe) get an SGD grid of their own, 5 rates 0.1 to 10 log-spaced (the same size and span as Adam's 0.001 to 0.1): plan populations-shunt gave them Adam's grid, on which pop-shunt-sgd stayed at chance at every rate and pop-sgd selected 0.316 after extending past the top edge","reuse":["populations-tuned"]}`},
	{Plan: "fmnist", Commit: "8ce06a3d45767b342f849b04fad6acbde09af7b7",
		Frozen: `{"name":"fmnist","kinds":["mlp","columnei","dann"],"hidden":{"E":100,"I":10},"grid":[0.01,0.0316228,0.1,0.316228,1],"max_extensions":2,"tuning_seeds":[101,102],"test_seeds":[11,12,13,14,15],"epochs":20,"batch_size":32,"validation":10000,"split_seed":0,"pairs":[["dann","mlp"],["columnei","mlp"],["dann","columnei"]],"margin":1,"claim":"Cornford et al. 2021 report that DANN networks learn as well as standard ones (MLP) and ColumnEI networks worse, on MNIST and Fashion-MNIST among others","cache":"fmnist"}`},
	{Plan: "populations-power", Commit: "6645400d4b93d36131157755f3a80327cc987d13",
		Frozen: `{"name":"populations-power","conditions":["pop-abs","pop-abs-stepcorr"],"condition_keys":["ccf79e00157b1c36","2dbf98d77c9b9fcd"],"fraction":0.5,"grid":[0.001,0.00316228,0.01,0.0316228,0.1],"sgd_grid":null,"tuning_seeds":[101,102,103],"max_extensions":2,"test_seeds":[201,202,203,204,205,206,207,208,209,210,211,212,213,214,215,216,217,218,219,220,221,222,223,224,225,226,227,228,229,230,231,232,233,234,235,236,237,238,239,240,241,242,243,244,245,246,247,248,249,250,251,252,253,254,255,256,257,258,259,260,261,262,263,264,265,266,267,268,269,270,271,272,273,274,275,276,277,278,279,280,281,282,283,284,285,286,287,288,289,290,291,292,293,294,295,296,297,298,299,300,301,302,303,304,305,306,307,308,309,310,311,312,313,314,315,316,317,318,319,320,321,322,323],"questions":[{"title":"the step correction on the E/I-population network, with test seeds set from the tuning spread","pairs":[["pop-abs-stepcorr","pop-abs"]]}],"margin":3,"protocol":"as plan populations-tuned (the notebook's network and data, 50 epochs, Adam, no early stopping, each run keeps its last weights; 5 learning rates 0.001 to 0.1, extended past an edge at most twice, selected on mean validation accuracy over tuning seeds 101-103; paired t, TOST at the margin), its two conditions tuned again in this plan's own cache, but with 123 fresh test seeds, 201-323: the number TOST needs to show equivalence within ±3 points with 80% power at level 0.05 (a family of one), from the 80% upper bound of the paired sd of populations-tuned's tuning runs (study.Outcome.SeedsFromSpread); populations-tuned's 10 seeds could not show it (they would need about 151 in its family of two)","seed_rule":{"from":"populations-tuned","pair":["pop-abs-stepcorr","pop-abs"]}}`},
	{Plan: "populations-sgd-power", Commit: "086a50db37e4c6ed9180afcde34610bcd4bb5c1c",
		Frozen: `{"name":"populations-sgd-power","conditions":["pop-sgd","pop-abs"],"condition_keys":["26ebf6d232d847d3","ccf79e00157b1c36"],"fraction":0.5,"grid":[0.001,0.00316228,0.01,0.0316228,0.1],"sgd_grid":[0.1,0.316228,1,3.16228,10],"tuning_seeds":[101,102,103],"max_extensions":2,"test_seeds":[401,402,403,404,405,406,407,408,409,410,411,412,413,414,415,416,417,418,419,420,421,422,423,424,425,426,427,428,429,430,431,432,433,434,435],"questions":[{"title":"the paper's recipe (SGD grid) against Adam with |w|, with test seeds set from the tuning spread","pairs":[["pop-sgd","pop-abs"]]}],"margin":3,"protocol":"as plan populations-sgd (the notebook's network and data, 50 epochs, no early stopping, each run keeps its last weights; pop-sgd on the SGD grid 0.1 to 10, pop-abs on Adam's grid 0.001 to 0.1, each extended past an edge at most twice, selected on mean validation accuracy over tuning seeds 101-103; paired t, TOST at the margin), both conditions tuned again in this plan's own cache, with 35 fresh test seeds, 401-435: the number TOST needs to show equivalence within ±3 points with 80% power at level 0.05 (a family of one), from the 80% upper bound of the paired sd of populations-sgd's tuning runs (study.Outcome.SeedsFromSpread); a follow-up chosen after populations-sgd left this comparison inconclusive on 10 seeds (−1.9 points, equivalence not shown), the last comparison of issue 21's plans left so","seed_rule":{"from":"populations-sgd","pair":["pop-sgd","pop-abs"]}}`},
	{Plan: "populations-lif-linear", Commit: "2f2c4cbb9675eddf837c44a9241d6c2b30b13f69",
		Frozen: `{"name":"populations-lif-linear","conditions":["pop-abs-bal","pop-abs-bal-stepcorr"],"condition_keys":["7d7ca5cf7196a915","31660ed66850be8a"],"fraction":0.5,"grid":[0.001,0.00316228,0.01,0.0316228,0.1],"sgd_grid":null,"tuning_seeds":[101,102,103],"max_extensions":2,"test_seeds":[11,12,13,14,15,16,17,18,19,20],"questions":[{"title":"LIF against linear inhibitory units from the same balanced start (same update rule)","pairs":[["pop-lif-bal","pop-abs-bal"],["pop-lif-bal-stepcorr","pop-abs-bal-stepcorr"]]},{"title":"the balanced start on linear inhibitory units","pairs":[["pop-abs-bal","pop-abs"],["pop-abs-bal-stepcorr","pop-abs-stepcorr"]]}],"margin":3,"protocol":"as plan populations-lif (the notebook's network and data, 50 epochs, no early stopping, each run keeps its last weights; 5 learning rates 0.001 to 0.1, extended past an edge at most twice, selected on mean validation accuracy over tuning seeds 101-103; test seeds 11-20; paired t, Holm within each question, TOST at the margin; the Go kernels), whose conditions and populations-tuned's it compares with; pop-abs-bal and pop-abs-bal-stepcorr have linear inhibitory units and start from exactly the weights of pop-lif-bal and pop-lif-bal-stepcorr of the same seed (snn.LIFInitBalanced with linear units: the balance's three factors on W_EE, W_IE and W_EI, computed for LIF units on the same first 8 training batches), so each pair differs only in its inhibitory units; a control fixed after populations-lif's runs, which could not tell the LIF units' effect from that of the rescaled start","reuse":["populations-tuned","populations-lif"]}`},
	{Plan: "populations-lif-lag", Commit: "797d062d1ac9cce2c3841a241687d419581a7a13",
		Frozen: `{"name":"populations-lif-lag","conditions":["pop-abs-bal-delay","pop-abs-bal-delay-stepcorr"],"condition_keys":["eacaccb897b13827","2eabb9c46866c6be"],"fraction":0.5,"grid":[0.001,0.00316228,0.01,0.0316228,0.1],"sgd_grid":null,"tuning_seeds":[101,102,103],"max_extensions":2,"test_seeds":[11,12,13,14,15,16,17,18,19,20],"questions":[{"title":"the LIF units' lag on linear inhibitory units (same balanced start, same update rule)","pairs":[["pop-abs-bal-delay","pop-abs-bal"],["pop-abs-bal-delay-stepcorr","pop-abs-bal-stepcorr"]]},{"title":"LIF against linear inhibitory units with the same lag (same balanced start, same update rule)","pairs":[["pop-lif-bal","pop-abs-bal-delay"],["pop-lif-bal-stepcorr","pop-abs-bal-delay-stepcorr"]]}],"margin":3,"protocol":"as plan populations-lif-linear (the notebook's network and data, 50 epochs, no early stopping, each run keeps its last weights; 5 learning rates 0.001 to 0.1, extended past an edge at most twice, selected on mean validation accuracy over tuning seeds 101-103; test seeds 11-20; paired t, Holm within each question, TOST at the margin; the Go kernels), whose conditions and those of populations-lif it compares with, each condition at its own tuned rate; pop-abs-bal-delay and pop-abs-bal-delay-stepcorr are pop-abs-bal and pop-abs-bal-stepcorr (the same initial weights as pop-lif-bal and pop-lif-bal-stepcorr of the same seed) whose linear inhibitory units inhibit 2 steps late (snn.InhibitoryDelayed with snn.LIFInhibitoryLag: the input of step k inhibits step k+2, the earliest an input inhibits through the LIF units), so that the first question asks what the LIF units' lag alone costs linear units and the second what their integration and spiking cost beyond it; a control fixed after populations-lif-linear's runs, which left the LIF units 25-26 points below linear units from the same weights","reuse":["populations-tuned","populations-lif","populations-lif-linear"]}`},
	{Plan: "populations-lif-filter", Commit: "bccd3c8818c05377572c3f82ab9628e4ac0da8b5",
		Frozen: `{"name":"populations-lif-filter","conditions":["pop-abs-bal-filter","pop-abs-bal-filter-stepcorr"],"condition_keys":["ebbd9780a37f0ad1","e63697aa17aa9480"],"fraction":0.5,"grid":[0.001,0.00316228,0.01,0.0316228,0.1],"sgd_grid":null,"tuning_seeds":[101,102,103],"max_extensions":2,"test_seeds":[11,12,13,14,15,16,17,18,19,20],"questions":[{"title":"the LIF membrane's filter on top of the 2-step lag (linear inhibitory units, same balanced start, same update rule)","pairs":[["pop-abs-bal-filter","pop-abs-bal-delay"],["pop-abs-bal-filter-stepcorr","pop-abs-bal-delay-stepcorr"]]},{"title":"LIF against filtered linear inhibitory units (same start, same update rule)","pairs":[["pop-lif-bal","pop-abs-bal-filter"],["pop-lif-bal-stepcorr","pop-abs-bal-filter-stepcorr"]]}],"margin":3,"protocol":"as plan populations-lif-lag (the notebook's network and data, 50 epochs, no early stopping, each run keeps its last weights; 5 learning rates 0.001 to 0.1, extended past an edge at most twice, selected on mean validation accuracy over tuning seeds 101-103; test seeds 11-20; paired t, Holm within each question, TOST at the margin; the Go kernels), whose conditions and those of populations-lif it compares with, each condition at its own tuned rate; pop-abs-bal-filter and pop-abs-bal-filter-stepcorr are pop-abs-bal and pop-abs-bal-stepcorr (the same initial weights as pop-lif-bal of the same seed) whose linear inhibitory units pass on their input low-pass filtered with the LIF membrane's decay at unit gain (snn.InhibitoryFiltered: step k is inhibited by r_{k-1}, r_{j+1} = alpha r_j + (1 - alpha) x_j W_IE: the LIF units' earliest lag of 2 steps and their membrane's spread-out delay, without threshold, reset or spikes), so that the first question asks what that integration costs beyond the 2-step delay and the second what the LIF units' threshold, reset and spikes cost beyond it; a control fixed after populations-lif-lag's runs and a review noting that its 2-step delay matches only the LIF units' earliest lag","reuse":["populations-tuned","populations-lif","populations-lif-linear","populations-lif-lag"]}`},
	{Plan: "populations-wiggle", Commit: "a00635c1912ed712540f3725e48ed5db61009824",
		Frozen: `{"name":"populations-wiggle","conditions":["wiggle","clip","pop-wiggle","pop-clip"],"condition_keys":["b343876dbcc4e242","271ea2af0f16138f","d853d8428d4d6ec4","a437e07a8788efb3"],"fraction":0.5,"grid":[0.001,0.00316228,0.01,0.0316228,0.1],"sgd_grid":null,"tuning_seeds":[101,102,103],"max_extensions":2,"test_seeds":[501,502,503,504,505,506,507,508,509,510,511,512,513,514,515,516,517,518,519,520],"questions":[{"title":"restarting culled synapses: wiggle against clip (same initial weights and data, each at its tuned rate)","pairs":[["wiggle","clip"],["pop-wiggle","pop-clip"]]}],"margin":3,"protocol":"as plan populations-tuned (the notebook's network and data, 50 epochs, Adam, no early stopping, each run keeps its last weights; 5 learning rates 0.001 to 0.1, extended past an edge at most twice, selected on mean validation accuracy over tuning seeds 101-103; paired t, Holm within the question, TOST at the margin; the Go kernels), its four conditions tuned again in this plan's own cache on the same grid and tuning seeds (so on the same runs as populations-tuned's selection), with 20 fresh test seeds, 501-520. wiggle is clip (the projected gradient: Adam's step, then w \u003c- max(w, 0)) whose weights held at exactly 0 after a step restart at 0.01 u, u uniform in (0, 1], from a stream of their own; each pair shares its initial weights and data, so on the E/I-population network, where populations-tuned's tuning selected 0.001 for both rules, a pair differs only in the restarts, and on ColumnEI, where it selected 0.00316 for clip and 0.001 for wiggle, also in the rate each rule was tuned to. A follow-up fixed after populations-tuned's runs, on a review noting that wiggle had been compared with |w| only, not with clip, the control that differs from it only in its restarts. populations-tuned's test runs of the same pairs (seeds 11-20) are a pilot, not part of this test: paired differences -1.4 points (sd 1.7) on ColumnEI and 0.0 (sd 0.8) on the E/I-population network; the seed rule (study.Outcome.SeedsFromSpread on populations-tuned's tuning runs, family of 2) gives its floor of 10 for either pair, and the plan takes 20 because the pilot's ColumnEI difference is not 0, which that rule's count assumes"}`},
	{Plan: "populations-lif-cap", Commit: "8d6b2603ebb4481c9ca46392b17f25a14caf9da3",
		Frozen: `{"name":"populations-lif-cap","conditions":["pop-lif-bal-cap","pop-lif-bal-cap-stepcorr"],"condition_keys":["03aef04392fcea56","807c67b58a8d6cb5"],"fraction":0.5,"grid":[0.001,0.00316228,0.01,0.0316228,0.1],"sgd_grid":null,"tuning_seeds":[101,102,103],"max_extensions":2,"test_seeds":[11,12,13,14,15,16,17,18,19,20],"questions":[{"title":"an upper bound on the LIF inhibitory units' rate (same start, same update rule)","pairs":[["pop-lif-bal-cap","pop-lif-bal"],["pop-lif-bal-cap-stepcorr","pop-lif-bal-stepcorr"]]},{"title":"capped LIF against linear inhibitory units from the same start (same update rule)","pairs":[["pop-lif-bal-cap","pop-abs-bal"],["pop-lif-bal-cap-stepcorr","pop-abs-bal-stepcorr"]]}],"margin":3,"protocol":"as plan populations-lif-filter (the notebook's network and data, 50 epochs, no early stopping, each run keeps its last weights; 5 learning rates 0.001 to 0.1, extended past an edge at most twice, selected on mean validation accuracy over tuning seeds 101-103; test seeds 11-20; paired t, Holm within each question, TOST at the margin; the Go kernels), whose conditions and those of populations-lif and populations-lif-linear it compares with, each condition at its own tuned rate; pop-lif-bal-cap and pop-lif-bal-cap-stepcorr are pop-lif-bal and pop-lif-bal-stepcorr (the same initial weights and data at each seed) trained with an upper bound on their LIF inhibitory units' rate, the penalty lambda sum_i max(0, nu_i - theta)^2 added to the training loss, nu_i unit i's mean spikes per step over a batch's samples and steps (snn.Config.InhibitoryRateCap, InhibitoryRateWeight), with theta = 0.25 (half the units' ceiling of 0.5, chosen before any run) and lambda = 100, the smallest of 1, 10, 100 and 1000 that held both conditions' trained units within 0.01 of theta in a pilot on tuning seed 101 at populations-lif's selected rate 0.0316 (trained rates 0.484, 0.432, 0.250, 0.242 with |w| and 0.435, 0.278, 0.253, 0.247 with the step correction; 0.494 and 0.478 without the cap; the pilot also printed validation accuracies, which did not enter the choice); the first question asks whether the trained units' saturation (0.459 to 0.495 spikes per unit and step in populations-lif's test networks, ceiling 0.5) costs them accuracy, the second how much of the gap to linear units from the same weights remains with the cap; the cap is checked by the trained test networks' inhibitory rates on the validation set (study.Notebook.PlanInhibitoryRates), printed beside the verdicts; a control fixed after populations-lif-filter's and populations-wiggle's runs and the measurement of the trained LIF units' rates, which suggested saturation as a cause without testing it","reuse":["populations-tuned","populations-lif","populations-lif-linear"]}`},
	{Plan: "populations-lif-cap-lr0.01", Commit: "e99e441a741adfb3cededfcc2d8ef86ad73f53be",
		Frozen: `{"name":"populations-lif-cap-lr0.01","conditions":["pop-lif-bal-cap","pop-lif-bal-cap-stepcorr","pop-lif-bal","pop-lif-bal-stepcorr"],"condition_keys":["03aef04392fcea56","807c67b58a8d6cb5","461c0523ba6d766b","cdde8d024e44820c"],"fraction":0.5,"grid":[0.01],"sgd_grid":null,"tuning_seeds":[101,102,103],"max_extensions":0,"test_seeds":[11,12,13,14,15,16,17,18,19,20],"questions":[{"title":"the cap on the LIF inhibitory units' rate at the fixed learning rate 0.01 (same start, same update rule)","pairs":[["pop-lif-bal-cap","pop-lif-bal"],["pop-lif-bal-cap-stepcorr","pop-lif-bal-stepcorr"]]}],"margin":3,"protocol":"as plan populations-lif-cap (the notebook's network and data, 50 epochs, no early stopping, each run keeps its last weights; test seeds 11-20; paired t, Holm within the question, TOST at the margin; the Go kernels; theta 0.25, lambda 100), but with no tuning: the capped and uncapped LIF networks all run at one learning rate fixed with the plan, in two plans, 0.01 (the capped networks' tuned rate) and 0.0316228 (the uncapped ones'), whose runs at those rates on tuning seeds 101-103 and test seeds 11-20 are the same configurations as populations-lif-cap's and populations-lif's and are copied from their caches where they exist (the capped networks at 0.01 and the uncapped at 0.0316228 on the test seeds, every tuning run); so half of each plan's test runs were seen before it was fixed, and the rates were chosen after the tuning seeds showed the capped networks no better at 0.0316228 and better at 0.01; the new runs are the capped networks at 0.0316228 and the uncapped at 0.01 on the test seeds. Each plan asks whether the cap changes test accuracy at its rate; together they ask whether the cap's effect differs between the two rates (study.RateInteraction: per test seed, the capped minus uncapped difference at 0.01 against that at 0.0316228, paired t, Holm over the two update rules, TOST at the margin); a control fixed after populations-lif-cap's runs and a review noting that its gain came with a lower tuned learning rate"}`},
	{Plan: "populations-lif-cap-lr0.0316228", Commit: "e99e441a741adfb3cededfcc2d8ef86ad73f53be",
		Frozen: `{"name":"populations-lif-cap-lr0.0316228","conditions":["pop-lif-bal-cap","pop-lif-bal-cap-stepcorr","pop-lif-bal","pop-lif-bal-stepcorr"],"condition_keys":["03aef04392fcea56","807c67b58a8d6cb5","461c0523ba6d766b","cdde8d024e44820c"],"fraction":0.5,"grid":[0.0316228],"sgd_grid":null,"tuning_seeds":[101,102,103],"max_extensions":0,"test_seeds":[11,12,13,14,15,16,17,18,19,20],"questions":[{"title":"the cap on the LIF inhibitory units' rate at the fixed learning rate 0.0316228 (same start, same update rule)","pairs":[["pop-lif-bal-cap","pop-lif-bal"],["pop-lif-bal-cap-stepcorr","pop-lif-bal-stepcorr"]]}],"margin":3,"protocol":"as plan populations-lif-cap (the notebook's network and data, 50 epochs, no early stopping, each run keeps its last weights; test seeds 11-20; paired t, Holm within the question, TOST at the margin; the Go kernels; theta 0.25, lambda 100), but with no tuning: the capped and uncapped LIF networks all run at one learning rate fixed with the plan, in two plans, 0.01 (the capped networks' tuned rate) and 0.0316228 (the uncapped ones'), whose runs at those rates on tuning seeds 101-103 and test seeds 11-20 are the same configurations as populations-lif-cap's and populations-lif's and are copied from their caches where they exist (the capped networks at 0.01 and the uncapped at 0.0316228 on the test seeds, every tuning run); so half of each plan's test runs were seen before it was fixed, and the rates were chosen after the tuning seeds showed the capped networks no better at 0.0316228 and better at 0.01; the new runs are the capped networks at 0.0316228 and the uncapped at 0.01 on the test seeds. Each plan asks whether the cap changes test accuracy at its rate; together they ask whether the cap's effect differs between the two rates (study.RateInteraction: per test seed, the capped minus uncapped difference at 0.01 against that at 0.0316228, paired t, Holm over the two update rules, TOST at the margin); a control fixed after populations-lif-cap's runs and a review noting that its gain came with a lower tuned learning rate"}`},
	{Plan: "populations-lif-cap-rep-lr0.01", Commit: "a6bcb13ff9952797efa099ba610683250f5a3568",
		Frozen: `{"name":"populations-lif-cap-rep-lr0.01","conditions":["pop-lif-bal-cap","pop-lif-bal-cap-stepcorr","pop-lif-bal","pop-lif-bal-stepcorr"],"condition_keys":["03aef04392fcea56","807c67b58a8d6cb5","461c0523ba6d766b","cdde8d024e44820c"],"fraction":0.5,"grid":[0.01],"sgd_grid":null,"tuning_seeds":[101,102,103],"max_extensions":0,"test_seeds":[601,602,603,604,605,606,607,608,609,610,611,612,613,614,615,616,617,618,619,620],"questions":[{"title":"the cap on the LIF inhibitory units' rate at the fixed learning rate 0.01, replicated on fresh seeds (same start, same update rule)","pairs":[["pop-lif-bal-cap","pop-lif-bal"],["pop-lif-bal-cap-stepcorr","pop-lif-bal-stepcorr"]]}],"margin":3,"protocol":"as plans populations-lif-cap-lr0.01 and -lr0.0316228 (the notebook's network and data, 50 epochs, no early stopping, each run keeps its last weights; the capped and uncapped LIF networks, both update rules, at one learning rate fixed with the plan, no tuning, its runs on tuning seeds 101-103 copied from those plans' caches and serving only the design's sensitivity; paired t, Holm within the question, TOST at the margin; the Go kernels; theta 0.25, lambda 100), in two plans again, 0.01 and 0.0316228, but on 20 fresh test seeds, 601-620, none of whose runs existed when the plans were fixed: a replication of those plans' rate interaction (study.RateInteraction: per test seed, the capped minus uncapped difference at 0.01 against that at 0.0316228, paired t, Holm over the two update rules), half of whose test runs had been seen before they were fixed. 20 seeds are the fewest with which the paired t test at level 0.025 detects half the |w| interaction found there (10 of 20.5 points) with 80% power, from the sd of its per-seed differences of differences, 13.5 points (study.DetectableDifference); the interaction is replicated where it is again higher with |w| at 0.01 at Holm p \u003c 0.05; a follow-up fixed after the fixed-rate plans' runs, on a review noting that they were not an independent replication"}`},
	{Plan: "populations-lif-cap-rep-lr0.0316228", Commit: "a6bcb13ff9952797efa099ba610683250f5a3568",
		Frozen: `{"name":"populations-lif-cap-rep-lr0.0316228","conditions":["pop-lif-bal-cap","pop-lif-bal-cap-stepcorr","pop-lif-bal","pop-lif-bal-stepcorr"],"condition_keys":["03aef04392fcea56","807c67b58a8d6cb5","461c0523ba6d766b","cdde8d024e44820c"],"fraction":0.5,"grid":[0.0316228],"sgd_grid":null,"tuning_seeds":[101,102,103],"max_extensions":0,"test_seeds":[601,602,603,604,605,606,607,608,609,610,611,612,613,614,615,616,617,618,619,620],"questions":[{"title":"the cap on the LIF inhibitory units' rate at the fixed learning rate 0.0316228, replicated on fresh seeds (same start, same update rule)","pairs":[["pop-lif-bal-cap","pop-lif-bal"],["pop-lif-bal-cap-stepcorr","pop-lif-bal-stepcorr"]]}],"margin":3,"protocol":"as plans populations-lif-cap-lr0.01 and -lr0.0316228 (the notebook's network and data, 50 epochs, no early stopping, each run keeps its last weights; the capped and uncapped LIF networks, both update rules, at one learning rate fixed with the plan, no tuning, its runs on tuning seeds 101-103 copied from those plans' caches and serving only the design's sensitivity; paired t, Holm within the question, TOST at the margin; the Go kernels; theta 0.25, lambda 100), in two plans again, 0.01 and 0.0316228, but on 20 fresh test seeds, 601-620, none of whose runs existed when the plans were fixed: a replication of those plans' rate interaction (study.RateInteraction: per test seed, the capped minus uncapped difference at 0.01 against that at 0.0316228, paired t, Holm over the two update rules), half of whose test runs had been seen before they were fixed. 20 seeds are the fewest with which the paired t test at level 0.025 detects half the |w| interaction found there (10 of 20.5 points) with 80% power, from the sd of its per-seed differences of differences, 13.5 points (study.DetectableDifference); the interaction is replicated where it is again higher with |w| at 0.01 at Holm p \u003c 0.05; a follow-up fixed after the fixed-rate plans' runs, on a review noting that they were not an independent replication"}`},
}

// PlanAmendment is a change to a recorded plan, made in a commit after the plan's record and before every
// run of the plan's cache was computed again: the commit that made the change, the plan's content at that
// commit (TunedPlan.Frozen, computed from that commit's code) and why. TestPlanRecords rebuilds the content
// at the commit and checks that every run in the plan's cache was written after it. An amendment may change
// how the runs are computed, never what they are compared on after the fact: the runs it governs all come
// after it. A plan whose content differs from its last amendment was changed after that amendment.
type PlanAmendment struct {
	Plan   string
	Commit string // full hash
	Frozen string // TunedPlan.Frozen at Commit
	Reason string // what changed and why, one sentence
}

// ShortCommit is the commit's first 7 hex digits.
func (a PlanAmendment) ShortCommit() string { return a.Commit[:7] }

// planAmendments lists the amendments of recorded plans, oldest first. Add one in a commit after the one
// that amends the plan and before the runs it governs; never edit its commit or content.
var planAmendments = []PlanAmendment{
	{Plan: "populations-lif", Commit: "e528652cfd43c1f1736f5222d9ea5d792b4e1ad0",
		Reason: "the Go kernels train the LIF inhibitory units instead of the single graph, as they train every other condition on the pure-Go backend " +
			"(the same network; a step's numbers differ in float32 summation order, which over 50 epochs can move single runs by several points); " +
			"its runs had been computed in the single graph and reported before the amendment (the git history of notebooks/results/populations-lif holds them)",
		Frozen: `{"name":"populations-lif","conditions":["pop-lif-bal","pop-lif-bal-stepcorr"],"condition_keys":["461c0523ba6d766b","cdde8d024e44820c"],"fraction":0.5,"grid":[0.001,0.00316228,0.01,0.0316228,0.1],"sgd_grid":null,"tuning_seeds":[101,102,103],"max_extensions":2,"test_seeds":[11,12,13,14,15,16,17,18,19,20],"questions":[{"title":"LIF against linear inhibitory units (balanced start, same update rule)","pairs":[["pop-lif-bal","pop-abs"],["pop-lif-bal-stepcorr","pop-abs-stepcorr"]]},{"title":"LIF inhibitory units against ColumnEI and the unconstrained network","pairs":[["pop-lif-bal","both"],["pop-lif-bal","unconstrained"],["pop-lif-bal-stepcorr","both"],["pop-lif-bal-stepcorr","unconstrained"]]},{"title":"the step correction on LIF inhibitory units","pairs":[["pop-lif-bal-stepcorr","pop-lif-bal"]]}],"margin":3,"protocol":"as plan populations-tuned (the notebook's network and data, 50 epochs, no early stopping, each run keeps its last weights; 5 learning rates 0.001 to 0.1, extended past an edge at most twice, selected on mean validation accuracy over tuning seeds 101-103; test seeds 11-20; paired t, Holm within each question, TOST at the margin), whose conditions it compares with; the LIF inhibitory units start balanced (snn.LIFInitBalanced: W_EE, W_IE and W_EI rescaled so that both populations fire at the excitatory rate of the same weights with linear inhibitory units, with the same mean inhibition-to-excitation ratio, on the first 8 training batches); the Go kernels train them (snn.FormulationGoKernels, the pure-Go backend's formulation for every condition)","reuse":["populations-tuned"]}`},
}

// PlanAmendments lists every amendment, oldest first.
func PlanAmendments() []PlanAmendment { return slices.Clone(planAmendments) }

// amendmentsOf lists the amendments of the named plan, oldest first.
func amendmentsOf(plan string) []PlanAmendment {
	var out []PlanAmendment
	for _, a := range planAmendments {
		if a.Plan == plan {
			out = append(out, a)
		}
	}
	return out
}

// frozenPlan is what a PlanRecord freezes of a plan: everything that decides its runs and its verdicts.
// ConditionKeys are snn.ConfigKey of each condition at the plan's fraction (what the name meant).
type frozenPlan struct {
	Name          string           `json:"name"`
	Conditions    []string         `json:"conditions"`
	ConditionKeys []string         `json:"condition_keys"`
	Fraction      float64          `json:"fraction"`
	Grid          []float64        `json:"grid"`
	SGDGrid       []float64        `json:"sgd_grid"`
	TuningSeeds   []uint64         `json:"tuning_seeds"`
	MaxExtensions int              `json:"max_extensions"`
	TestSeeds     []uint64         `json:"test_seeds"`
	Questions     []frozenQuestion `json:"questions"`
	Margin        float64          `json:"margin"`
	Protocol      string           `json:"protocol"`
	Reuse         []string         `json:"reuse,omitempty"`
	SeedRule      *SeedRule        `json:"seed_rule,omitempty"`
}

type frozenQuestion struct {
	Title string      `json:"title"`
	Pairs [][2]string `json:"pairs"`
}

// Frozen is the plan's content as canonical JSON (see frozenPlan).
func (p TunedPlan) Frozen() (string, error) {
	f := frozenPlan{Name: p.Name, Conditions: p.Conditions, Fraction: p.Fraction, Grid: p.Tuning.Grid, SGDGrid: p.Tuning.SGDGrid,
		TuningSeeds: p.Tuning.Seeds, MaxExtensions: p.Tuning.MaxExtensions, TestSeeds: p.TestSeeds, Margin: p.Margin,
		Protocol: p.Protocol, Reuse: p.Reuse, SeedRule: p.SeedRule}
	for _, name := range p.Conditions {
		c, err := ConditionByName(name)
		if err != nil {
			return "", fmt.Errorf("study: plan %s: %w", p.Name, err)
		}
		f.ConditionKeys = append(f.ConditionKeys, snn.ConfigKey(c.Apply(p.Base(), p.Fraction)))
	}
	for _, q := range p.Questions {
		f.Questions = append(f.Questions, frozenQuestion{Title: q.Title, Pairs: q.Pairs})
	}
	b, err := json.Marshal(f)
	return string(b), err
}

// Record returns the plan's record; ok is false for a plan that has none.
func (p TunedPlan) Record() (r PlanRecord, ok bool) { return recordOf(p.Name) }

// recordOf returns the record of the named plan; ok is false for none.
func recordOf(plan string) (PlanRecord, bool) {
	for _, r := range planRecords {
		if r.Plan == plan {
			return r, true
		}
	}
	return PlanRecord{}, false
}

// RatePlanFrozen is a rate-network plan's frozen content: its JSON (every field is data).
func RatePlanFrozen(p ratenet.Plan) (string, error) {
	b, err := json.Marshal(p)
	return string(b), err
}

// RatePlanRecord returns the record of a rate-network plan (ratenet.Plans); ok is false for none.
func RatePlanRecord(p ratenet.Plan) (r PlanRecord, ok bool) { return recordOf(p.Name) }

// PlanRecords lists every plan record.
func PlanRecords() []PlanRecord { return slices.Clone(planRecords) }

// PlanChange is how a plan differs from its record: the fields that changed, and the questions and
// margin it had when it was fixed.
type PlanChange struct {
	Record PlanRecord
	// Amendment is the plan's last amendment, which the plan is compared with, if it has one.
	Amendment *PlanAmendment
	Fields    []string
	Questions []PlannedQuestion
	Margin    float64
}

// Change compares the plan with its record: nil when they agree, an error when the plan has no record.
func (p TunedPlan) Change() (*PlanChange, error) {
	r, ok := p.Record()
	if !ok {
		return nil, fmt.Errorf("study: plan %s has no record (PlanRecord): a plan must be recorded with the commit that fixed it", p.Name)
	}
	now, err := p.Frozen()
	if err != nil {
		return nil, err
	}
	fixed, what := r.Frozen, "record"
	var last *PlanAmendment
	if a := amendmentsOf(p.Name); len(a) > 0 {
		last = &a[len(a)-1]
		fixed, what = last.Frozen, "amendment in commit "+last.ShortCommit()
	}
	if now == fixed {
		return nil, nil
	}
	fields, was, err := changedFields(fixed, now)
	if err != nil {
		return nil, fmt.Errorf("study: plan %s, against its %s: %w", p.Name, what, err)
	}
	c := &PlanChange{Record: r, Amendment: last, Margin: was.Margin, Fields: fields}
	for _, q := range was.Questions {
		c.Questions = append(c.Questions, PlannedQuestion{Title: q.Title, Pairs: q.Pairs})
	}
	return c, nil
}

// changedFields lists, by JSON name, the fields in which the frozen plan `is` differs from `was` (both
// TunedPlan.Frozen), and returns was parsed.
func changedFields(was, is string) ([]string, frozenPlan, error) {
	var w, i frozenPlan
	if err := json.Unmarshal([]byte(was), &w); err != nil {
		return nil, w, fmt.Errorf("the plan as fixed does not parse: %w", err)
	}
	if err := json.Unmarshal([]byte(is), &i); err != nil {
		return nil, w, fmt.Errorf("the plan does not parse: %w", err)
	}
	var out []string
	wf, nf := fieldsJSON(w), fieldsJSON(i)
	for _, k := range sortedKeys(wf) {
		if wf[k] != nf[k] {
			out = append(out, k)
		}
	}
	return out, w, nil
}

// amendableFields are the fields of a frozen plan an amendment may change: the protocol's text, which
// says how its runs are computed; never the networks (the conditions and their configuration keys) or
// what they are compared on (fraction, grids, seeds, questions, margin, reuse or seed rule).
// TestPlanRecords holds every amendment to them.
var amendableFields = []string{"protocol"}

// AmendedFields lists the fields amendment a changed against what preceded it (the plan's record or
// its previous amendment).
func (a PlanAmendment) AmendedFields() ([]string, error) {
	r, ok := recordOf(a.Plan)
	if !ok {
		return nil, fmt.Errorf("study: amendment %s of plan %s: the plan has no record", a.ShortCommit(), a.Plan)
	}
	prev := r.Frozen
	for _, b := range amendmentsOf(a.Plan) {
		if b.Commit == a.Commit {
			break
		}
		prev = b.Frozen
	}
	fields, _, err := changedFields(prev, a.Frozen)
	return fields, err
}

// fieldsJSON is each field of a frozen plan as JSON, by its JSON name.
func fieldsJSON(f frozenPlan) map[string]string {
	b, _ := json.Marshal(f)
	var m map[string]json.RawMessage
	_ = json.Unmarshal(b, &m)
	out := map[string]string{}
	for k, v := range m {
		out[k] = string(v)
	}
	return out
}

func sortedKeys(m map[string]string) []string {
	var k []string
	for s := range m {
		k = append(k, s)
	}
	slices.Sort(k)
	return k
}

// describe states the change: the commit the plan was fixed (or last amended) in and the fields changed
// since.
func (c *PlanChange) describe(name string) string {
	if c.Amendment != nil {
		return fmt.Sprintf("Plan %s was changed after it was fixed in commit %s and amended in commit %s (changed since the amendment: %s): "+
			"its verdicts are shown as amended and as now.", name, c.Record.ShortCommit(), c.Amendment.ShortCommit(), strings.Join(c.Fields, ", "))
	}
	return fmt.Sprintf("Plan %s was changed after it was fixed in commit %s (changed: %s): its verdicts are shown as fixed and as now.",
		name, c.Record.ShortCommit(), strings.Join(c.Fields, ", "))
}

// fixedLabel heads the column of the verdicts as fixed (or as last amended) in a side-by-side.
func (c *PlanChange) fixedLabel() string {
	if c.Amendment != nil {
		return "as amended (" + c.Amendment.ShortCommit() + ")"
	}
	return "as fixed (" + c.Record.ShortCommit() + ")"
}

// History states how the plan was fixed: "fixed in commit 1ecd0d1 before any of its runs", and each
// amendment with the fields it changed ("amended in commit e528652 (changed: protocol), every run computed
// again after it"). It reads the records only (not whether the plan changed since); Reasons gives the
// amendments' reasons.
func (p TunedPlan) History() string { return p.history("before any of its runs") }

// history is History with when the plan was fixed relative to its runs (before any of its runs, or before
// any it trained, for a plan that also copies runs of other plans).
func (p TunedPlan) history(before string) string {
	r, ok := p.Record()
	if !ok {
		return "not recorded"
	}
	s := "fixed in commit " + r.ShortCommit() + " " + before
	for _, a := range amendmentsOf(p.Name) {
		fields, err := a.AmendedFields()
		changed := strings.Join(fields, ", ")
		if err != nil {
			changed = err.Error()
		}
		s += ", amended in commit " + a.ShortCommit() + " (changed: " + changed + "), every run computed again after it"
	}
	return s
}

// Reasons states each amendment's reason, one sentence each ("" for a plan without amendments).
func (p TunedPlan) Reasons() string {
	var parts []string
	for _, a := range amendmentsOf(p.Name) {
		parts = append(parts, "Amendment "+a.ShortCommit()+": "+a.Reason+".")
	}
	return strings.Join(parts, " ")
}
