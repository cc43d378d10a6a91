package parsers

import (
	"regexp"
	"strings"

	corev1 "k8s.io/api/core/v1"
)

// kubectl prints tables through a tabwriter: a header of upper-case column names (get) or
// capitalised words (describe's Events), then rows whose cells start where their column's
// name starts. Cells hold spaces ("kubelet, node1", "18m (x2 over 18m)", the message), so a
// row is cut at the header's column starts when it lines up with them, and read by the
// cells' shapes when a paste lost the alignment, or had no header at all.

type tableKind int

const (
	tableDescribeEvents tableKind = iota // describe's Events: Type Reason Age From Message (and the 2015–2016 layout)
	tableGetEvents                       // kubectl get events (default, -o wide, -A, the pre-1.14 layout), kubectl events
	tableGetPods                         // kubectl get pods (default, -o wide, -A, -w)
	tableCustom                          // -o custom-columns: the header names the fields
)

type column struct {
	name  string
	start int
}

type tableBlock struct {
	kind   tableKind
	cols   []column
	events bool // a custom table of Events rather than pods
}

// isTableHeader: a header of kubectl get (all upper case) or of describe's Events table.
func isTableHeader(s string) bool {
	return headerKind(s) >= 0
}

// headerKind tells the table a header line opens, -1 for none.
func headerKind(s string) tableKind {
	cols := columns(strings.ReplaceAll(s, "\t", "  "))
	if len(cols) < 2 {
		return -1
	}
	has := func(name string) bool {
		for _, c := range cols {
			if c == name {
				return true
			}
		}
		return false
	}
	if has("Reason") && has("Message") && (has("Age") || has("FirstSeen") || has("LastSeen")) {
		return tableDescribeEvents
	}
	for _, c := range cols {
		if strings.ToUpper(c) != c || !strings.ContainsAny(c, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") {
			return -1
		}
	}
	switch {
	case has("REASON") && (has("LAST SEEN") || has("LASTSEEN") || has("OBJECT") || has("SOURCE") || has("FIRST SEEN")):
		return tableGetEvents
	case has("NAME") && has("READY") && has("STATUS"):
		return tableGetPods
	case has("REASON") || has("MESSAGE") || has("STATUS") || has("MSG"):
		return tableCustom
	}
	return -1
}

// startTable opens a table at its header.
func startTable(s string) *tableBlock {
	kind := headerKind(s)
	if kind < 0 {
		return nil
	}
	tb := &tableBlock{kind: kind, cols: headerColumns(s)}
	if kind == tableCustom {
		for _, c := range tb.cols {
			switch c.name {
			case "TYPE", "OBJECT", "SOURCE", "KIND", "INVOLVED", "COUNT", "LAST SEEN", "FIRST SEEN", "SEVERITY", "EVENTTIME":
				tb.events = true
			}
		}
	}
	return tb
}

// headerColumns finds where each column name starts: names are cut at runs of two or more
// spaces (or tabs), since names like "LAST SEEN" hold one.
func headerColumns(s string) []column {
	var out []column
	i := 0
	for i < len(s) {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
		if i >= len(s) {
			break
		}
		j := i
		for j < len(s) && !(s[j] == '\t' || s[j] == ' ' && (j+1 >= len(s) || s[j+1] == ' ' || s[j+1] == '\t')) {
			j++
		}
		out = append(out, column{name: s[i:j], start: i})
		i = j
	}
	return out
}

// cells cuts a row at the header's column starts; ok is false when the row does not line up
// (a cell boundary falls inside a word).
func (tb *tableBlock) cells(s string) (map[string]string, bool) {
	if strings.ContainsRune(s, '\t') || len(tb.cols) == 0 {
		return nil, false
	}
	out := map[string]string{}
	for i, c := range tb.cols {
		if c.start > len(s) {
			break
		}
		if c.start > 0 && s[c.start-1] != ' ' {
			return nil, false
		}
		end := len(s)
		if i+1 < len(tb.cols) && tb.cols[i+1].start < end {
			end = tb.cols[i+1].start
			if end < len(s) && s[end-1] != ' ' {
				return nil, false
			}
		}
		out[c.name] = strings.TrimSpace(s[c.start:end])
	}
	// The first cell must not run into the header's margin.
	if tb.cols[0].start > 0 && strings.TrimSpace(s[:min(tb.cols[0].start, len(s))]) != "" {
		return nil, false
	}
	return out, true
}

// feed reads one row; false ends the table.
func (tb *tableBlock) feed(k *kubectlReader, line int, s, t string) bool {
	if t == "" {
		return false
	}
	if strings.Trim(strings.ReplaceAll(strings.ReplaceAll(t, " ", ""), "\t", ""), "-") == "" || t == "<none>" {
		return true // the underline describe draws, or an empty table
	}
	if k := headerKind(s); k == tb.kind && (len(tb.cols) == 0 || k == tableDescribeEvents) {
		tb.cols = headerColumns(s) // describe's Events: the header follows "Events:"
		return true
	}
	switch tb.kind {
	case tableDescribeEvents:
		e, ok := describeEventRow(t, tb.oldLayout())
		if !ok {
			return false
		}
		k.describedEvent(k.desc, e, line, t)
		return true
	case tableGetEvents:
		e, ok := tb.getEventRow(k, s, t)
		if !ok {
			return false
		}
		k.queueEvent(e, line, t, "kubectl get events output")
		return true
	case tableGetPods:
		cells, ok := tb.cells(s)
		if !ok || cells["NAME"] == "" || !isReady(cells["READY"]) {
			r, ok := podRowTokens(t)
			if !ok {
				return false
			}
			k.podRow(line, r)
			return true
		}
		k.podRow(line, podRow{namespace: cells["NAMESPACE"], name: cells["NAME"], status: cells["STATUS"],
			restarts: cells["RESTARTS"], node: cells["NODE"]})
		return true
	case tableCustom:
		cells, ok := tb.cells(s)
		if !ok {
			return k.looseLine(line, t)
		}
		tb.customRow(k, line, cells, t)
		return true
	}
	return false
}

func (tb *tableBlock) hasColumn(name string) bool {
	for _, c := range tb.cols {
		if c.name == name {
			return true
		}
	}
	return false
}

// oldLayout: describe's 2015–2016 Events table, "FirstSeen LastSeen Count From
// SubobjectPath [Type] Reason Message".
func (tb *tableBlock) oldLayout() bool {
	return len(tb.cols) > 0 && (tb.cols[0].name == "FirstSeen" || tb.cols[0].name == "LastSeen")
}

// getEventRow reads a kubectl get events row by its columns, else by its shape.
func (tb *tableBlock) getEventRow(k *kubectlReader, s, t string) (*KubeEvent, bool) {
	cells, ok := tb.cells(s)
	if !ok {
		if tb.hasColumn("KIND") {
			return oldGetEventRowTokens(t)
		}
		return getEventRowTokens(t)
	}
	last := firstNonEmpty(cells["LAST SEEN"], cells["LASTSEEN"])
	e := &KubeEvent{Type: cells["TYPE"], Reason: cells["REASON"], Message: cells["MESSAGE"]}
	if e.Reason == "" || strings.ContainsAny(e.Reason, " \t") {
		return nil, false
	}
	if age, ok := parseAge(last); ok {
		e.Age = &age
		if f, ok := parseAge(cells["FIRST SEEN"]); ok && f.known() {
			e.Age.First = f.Last
		}
	}
	if obj := cells["OBJECT"]; obj != "" {
		e.Object = objectRef(obj)
	} else if cells["KIND"] != "" {
		e.Object.Kind, e.Object.Name = cells["KIND"], eventObjectName(cells["NAME"])
	}
	e.Object.Namespace = cells["NAMESPACE"]
	if sub := cells["SUBOBJECT"]; sub != "" {
		e.Object.FieldPath = sub
	}
	e.Component, e.Host = eventSource(cells["SOURCE"])
	return e, true
}

// customRow reads a -o custom-columns row by what its header names.
func (tb *tableBlock) customRow(k *kubectlReader, line int, cells map[string]string, row string) {
	get := func(names ...string) string {
		for _, n := range names {
			for col, v := range cells {
				if col == n || strings.HasSuffix(col, "_"+n) || strings.HasSuffix(col, "-"+n) {
					if v != "<none>" {
						return v
					}
				}
			}
		}
		return ""
	}
	if tb.events {
		e := &KubeEvent{Type: get("TYPE", "SEVERITY"), Reason: get("REASON"), Message: get("MESSAGE", "MSG", "NOTE")}
		e.Object = objectRef(eventObjectName(get("OBJECT", "INVOLVED", "NAME", "NODENAME")))
		if kind := get("KIND"); kind != "" {
			e.Object.Kind = kind
		} else if nodeReasons[e.Reason] && !strings.Contains(get("OBJECT", "INVOLVED"), "/") {
			e.Object.Kind = "Node"
		}
		if at := parseDescribeTime(get("EVENTTIME", "TIME", "LASTTIMESTAMP", "LAST_TIMESTAMP", "TIMESTAMP")); !at.IsZero() {
			e.FirstTime, e.LastTime = at, at
		}
		if e.Object.Kind == "Node" && e.Host == "" {
			e.Host = e.Object.Name
		}
		e.Object.Namespace = get("NAMESPACE", "NS")
		e.Component, e.Host = eventSource(get("SOURCE", "FROM"))
		if age, ok := parseAge(get("LAST SEEN", "AGE")); ok {
			e.Age = &age
		}
		k.queueEvent(e, line, row, "kubectl get events -o custom-columns output")
		return
	}
	r := podRow{name: get("NAME", "POD"), namespace: get("NAMESPACE", "NS"), status: get("STATUS", "PHASE"),
		reason: get("REASON"), message: get("MESSAGE", "MSG"), node: get("NODE", "NODENAME"), custom: true}
	k.podRow(line, r)
}

// reEventNameSuffix: an Event's name is its object's name, a dot and a hex timestamp.
var reEventNameSuffix = regexp.MustCompile(`\.[0-9a-f]{12,20}$`)

// eventObjectName turns an Event's name into its object's name.
func eventObjectName(s string) string { return reEventNameSuffix.ReplaceAllString(s, "") }

// objectRef reads "pod/name" (get events' OBJECT) or a bare name.
func objectRef(s string) (ref corev1.ObjectReference) {
	kind, name, ok := strings.Cut(s, "/")
	if !ok {
		return corev1.ObjectReference{Kind: "Pod", Name: s}
	}
	switch strings.ToLower(kind) {
	case "pod", "pods", "po":
		kind = "Pod"
	case "node", "nodes", "no":
		kind = "Node"
	default:
		if kind != "" {
			kind = strings.ToUpper(kind[:1]) + kind[1:]
		}
	}
	return corev1.ObjectReference{Kind: kind, Name: name}
}

// eventSource reads describe's From and get's SOURCE: "kubelet, node1" (until 1.19),
// "{kubelet node1}" (2015–2016), "kubelet".
func eventSource(s string) (component, host string) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(s, "{"), "}"))
	if c, h, ok := strings.Cut(s, ","); ok {
		return strings.TrimSpace(c), strings.TrimSpace(h)
	}
	if c, h, ok := strings.Cut(s, " "); ok {
		return c, strings.TrimSpace(h)
	}
	return s, ""
}

func firstNonEmpty(v ...string) string {
	for _, s := range v {
		if s != "" {
			return s
		}
	}
	return ""
}

func isReady(s string) bool {
	a, b, ok := strings.Cut(s, "/")
	return ok && isDigits(a) && isDigits(b)
}

func isDigits(s string) bool { return allDigits([]byte(s)) }
