package graphsim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
)

// SeedFile seeds the tasks of a JSON file, as `graphsim -seed FILE` does at
// start-up, and returns their ids in order. See SeedJSON for the format.
func (s *Server) SeedFile(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("graphsim: seed file: %w", err)
	}
	ids, err := s.SeedJSON(data)
	if err != nil {
		return ids, fmt.Errorf("%s: %w", path, err)
	}
	return ids, nil
}

// SeedJSON seeds tasks from a document shaped like a page of the collection:
//
//	{"value":[
//	  {"@odata.type":"#microsoft.graph.securityConfigurationTask","displayName":"Patch",
//	   "managedDevices":[{"id":"…","displayName":"PC-1","lastSyncDateTime":"2027-01-01T08:00:00Z"}]},
//	  {"@odata.type":"#microsoft.graph.appVulnerabilityTask","appName":"Contoso",
//	   "managedDevices":[…],"mobileApps":[{"displayName":"Contoso","version":"1.2"}]}
//	]}
//
// Each task is seeded with SeedTask (relationships validated against the
// CSDL, everything else stored as given), in order. It stops at the first
// invalid task, naming its index; the tasks before it stay seeded.
func (s *Server) SeedJSON(data []byte) ([]string, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	dec.DisallowUnknownFields()
	var doc struct {
		Value []json.RawMessage `json:"value"`
	}
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("graphsim: seed: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("graphsim: seed: more than one JSON value")
	}
	if doc.Value == nil {
		return nil, fmt.Errorf(`graphsim: seed: want {"value":[task objects]}`)
	}
	ids := make([]string, 0, len(doc.Value))
	for i, raw := range doc.Value {
		var obj map[string]any
		d := json.NewDecoder(bytes.NewReader(raw))
		d.UseNumber()
		if err := d.Decode(&obj); err != nil || obj == nil {
			return ids, fmt.Errorf("graphsim: seed: value[%d] is not an object", i)
		}
		id, err := s.SeedTask(obj)
		if err != nil {
			return ids, fmt.Errorf("value[%d]: %w", i, err)
		}
		ids = append(ids, id)
	}
	return ids, nil
}
