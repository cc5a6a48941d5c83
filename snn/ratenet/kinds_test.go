package ratenet

import "math/rand/v2"

func nil2() *rand.Rand { return rand.New(rand.NewPCG(1, 1)) }
