package ratenet

import "fmt"

// Plans returns the rate-network plans, each fixed before its runs: "fmnist", MLP, ColumnEI and DANN
// (100 excitatory and 10 inhibitory hidden units; the MLP 100 units) on Fashion-MNIST, 20 epochs of
// plain SGD on batches of 32 (the paper's protocol), each model's learning rate the best mean final
// validation accuracy of 5 (0.01 to 1, extended past an edge at most twice) over tuning seeds 101-102,
// then test seeds 11-15 at it; DANN and ColumnEI each against the MLP and against each other, one Holm
// family, equivalence within 1 point.
func Plans() []Plan {
	return []Plan{{
		Name: "fmnist", Kinds: []string{"mlp", "columnei", "dann"}, Hidden: Hidden{E: 100, I: 10},
		Grid: []float64{0.01, 0.0316228, 0.1, 0.316228, 1}, MaxExtensions: 2,
		TuningSeeds: []uint64{101, 102}, TestSeeds: []uint64{11, 12, 13, 14, 15},
		Epochs: 20, BatchSize: 32, Validation: 10000, SplitSeed: 0,
		Pairs:  [][2]string{{"dann", "mlp"}, {"columnei", "mlp"}, {"dann", "columnei"}},
		Margin: 1,
		Claim: "Cornford et al. 2021 report that DANN networks learn as well as standard ones (MLP) and ColumnEI " +
			"networks worse, on MNIST and Fashion-MNIST among others",
		Cache: "fmnist",
	}}
}

// PlanByName returns the named plan.
func PlanByName(name string) (Plan, error) {
	var names []string
	for _, p := range Plans() {
		if p.Name == name {
			return p, nil
		}
		names = append(names, fmt.Sprintf("%q", p.Name))
	}
	return Plan{}, fmt.Errorf("ratenet: plan %q is unknown: want one of %v", name, names)
}
