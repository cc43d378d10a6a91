package secret

import "reflect"

// Value scrubs every string reachable from v (a pointer: a report) in place. Wrapping a long
// line in the text report could split a secret the Writer would then not recognise, so the
// report's strings are scrubbed before they are laid out.
func (s *Scrubber) Value(v any) {
	if s.replacer() == nil {
		return
	}
	s.walk(reflect.ValueOf(v))
}

func (s *Scrubber) walk(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			s.walk(v.Elem())
		}
	case reflect.Interface:
		if !v.IsNil() && v.CanSet() {
			e := reflect.New(v.Elem().Type()).Elem()
			e.Set(v.Elem())
			s.walk(e)
			v.Set(e)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				s.walk(v.Field(i))
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			s.walk(v.Index(i))
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			e := reflect.New(v.Type().Elem()).Elem()
			e.Set(v.MapIndex(k))
			s.walk(e)
			nk := k
			if k.Kind() == reflect.String {
				if c := s.String(k.String()); c != k.String() {
					v.SetMapIndex(k, reflect.Value{})
					nk = reflect.New(k.Type()).Elem()
					nk.SetString(c)
				}
			}
			v.SetMapIndex(nk, e)
		}
	case reflect.String:
		if v.CanSet() {
			if c := s.String(v.String()); c != v.String() {
				v.SetString(c)
			}
		}
	}
}
