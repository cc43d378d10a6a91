package render

import (
	"reflect"

	"github.com/k8s-coroner/coroner/correlate/report"
)

// escaped is a copy of rep with every string Escape'd, for the formats people read (text,
// Markdown, HTML): escaping the report's strings rather than the rendered bytes keeps the
// renderers' own colour codes, and widths are measured on what is shown. The caller's
// report is untouched: its JSON keeps the raw text.
func escaped(rep *report.Report) *report.Report {
	out := reflect.New(reflect.TypeOf(*rep)).Elem()
	c := escaper{seen: map[uintptr]reflect.Value{}}
	c.copy(out, reflect.ValueOf(rep).Elem())
	return out.Addr().Interface().(*report.Report)
}

// escaper copies values; seen keeps a pointer shared by two parts of the report shared in
// the copy, so renderers that compare them still can.
type escaper struct{ seen map[uintptr]reflect.Value }

func (c escaper) copy(dst, src reflect.Value) {
	switch src.Kind() {
	case reflect.String:
		dst.SetString(Escape(src.String()))
	case reflect.Pointer:
		if src.IsNil() {
			return
		}
		if p, ok := c.seen[src.Pointer()]; ok {
			dst.Set(p)
			return
		}
		p := reflect.New(src.Type().Elem())
		c.seen[src.Pointer()] = p
		c.copy(p.Elem(), src.Elem())
		dst.Set(p)
	case reflect.Struct:
		dst.Set(src) // unexported fields (a time.Time's) as they are
		for i := range src.NumField() {
			if src.Type().Field(i).IsExported() {
				c.copy(dst.Field(i), src.Field(i))
			}
		}
	case reflect.Slice:
		if src.IsNil() || src.Type().Elem().Kind() == reflect.Uint8 {
			dst.Set(src)
			return
		}
		s := reflect.MakeSlice(src.Type(), src.Len(), src.Len())
		for i := range src.Len() {
			c.copy(s.Index(i), src.Index(i))
		}
		dst.Set(s)
	case reflect.Array:
		for i := range src.Len() {
			c.copy(dst.Index(i), src.Index(i))
		}
	case reflect.Map:
		if src.IsNil() {
			return
		}
		m := reflect.MakeMapWithSize(src.Type(), src.Len())
		for it := src.MapRange(); it.Next(); {
			k, v := reflect.New(src.Type().Key()).Elem(), reflect.New(src.Type().Elem()).Elem()
			c.copy(k, it.Key())
			c.copy(v, it.Value())
			m.SetMapIndex(k, v)
		}
		dst.Set(m)
	case reflect.Interface:
		if src.IsNil() {
			return
		}
		v := reflect.New(src.Elem().Type()).Elem()
		c.copy(v, src.Elem())
		dst.Set(v)
	default:
		dst.Set(src)
	}
}
