package ratenet

import "fmt"

// Plans returns the rate-network plans, each fixed before its runs.
func Plans() []Plan { return nil }

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
