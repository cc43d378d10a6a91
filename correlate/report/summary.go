package report

// Summary leads a report with many deaths: what killed how many, where, and which workloads
// die again and again.
type Summary struct {
	Deaths       int            `json:"deaths"`
	HostKills    int            `json:"hostKills"`
	ByMechanism  map[string]int `json:"byMechanism"`
	ByNamespace  map[string]int `json:"byNamespace"`
	ByNode       map[string]int `json:"byNode"`
	TopWorkloads []Workload     `json:"topWorkloads"` // containers of one workload dying more than once, most first
	Pressure     int            `json:"pressureEpisodes"`
}

// Workload is a container of a Deployment, StatefulSet, Job… counted across its pods.
type Workload struct {
	Namespace string         `json:"namespace"`
	Name      string         `json:"name"` // the pod name without the controller's suffixes
	Container string         `json:"container"`
	Deaths    int            `json:"deaths"`
	ByMech    map[string]int `json:"byMechanism"`
}
