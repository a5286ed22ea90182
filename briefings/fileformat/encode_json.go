package fileformat

import (
	"encoding/json"
	"io"
	"time"

	"briefbot/briefings"
)

// EncodeJSON writes b as one line of JSON, the documented fields under
// their YAML names, so that a file of such lines separated by "---" lines
// is a briefing file (docs/briefing-format.md). Dates are written as the
// format writes them; empty optional fields are left out.
func EncodeJSON(w io.Writer, b *briefings.Briefing) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(toJSON(b)) // one line and its "\n"
}

// The documented fields of a briefing document, in JSON.
type (
	jBriefing struct {
		Slug             string        `json:"slug"`
		Title            string        `json:"title"`
		Published        string        `json:"published,omitempty"`
		Status           string        `json:"status,omitempty"`
		RetractionReason string        `json:"retraction_reason,omitempty"`
		Source           *jSource      `json:"source,omitempty"`
		Topics           []string      `json:"topics,omitempty"`
		Summary          string        `json:"summary"`
		Body             string        `json:"body,omitempty"`
		Actors           []jActor      `json:"actors,omitempty"`
		Events           []jEvent      `json:"events,omitempty"`
		Facts            []jFact       `json:"facts,omitempty"`
		Corrections      []jCorrection `json:"corrections,omitempty"`
	}
	jSource struct {
		Name string `json:"name,omitempty"`
		URL  string `json:"url,omitempty"`
	}
	jActor struct {
		Name        string   `json:"name"`
		Kind        string   `json:"kind,omitempty"`
		Aliases     []string `json:"aliases,omitempty"`
		Description string   `json:"description,omitempty"`
	}
	jEvent struct {
		Name         string   `json:"name"`
		Date         string   `json:"date,omitempty"`
		End          string   `json:"end,omitempty"`
		Location     string   `json:"location,omitempty"`
		Participants []string `json:"participants,omitempty"`
		Description  string   `json:"description,omitempty"`
	}
	jFact struct {
		Text        string   `json:"text"`
		Attribution string   `json:"attribution"`
		Actors      []string `json:"actors,omitempty"`
		Event       string   `json:"event,omitempty"`
		AsOf        string   `json:"as_of,omitempty"`
	}
	jCorrection struct {
		Date string `json:"date"`
		Text string `json:"text"`
	}
)

func jDate(d briefings.Date) string {
	switch d.P {
	case briefings.PrecisionNone:
		return ""
	case briefings.PrecisionTime:
		return d.T.UTC().Format(time.RFC3339Nano)
	}
	return d.String()
}

func toJSON(b *briefings.Briefing) jBriefing {
	j := jBriefing{Slug: b.Slug, Title: b.Title, Published: jDate(b.Published), RetractionReason: b.RetractionReason,
		Topics: b.Topics, Summary: b.Summary, Body: b.Body}
	if b.Status != briefings.StatusPublished {
		j.Status = string(b.Status)
	}
	if b.Source != (briefings.Source{}) {
		j.Source = &jSource{b.Source.Name, b.Source.URL}
	}
	for _, a := range b.Actors {
		j.Actors = append(j.Actors, jActor{a.Name, string(a.Kind), a.Aliases, a.Description})
	}
	for _, e := range b.Events {
		j.Events = append(j.Events, jEvent{e.Name, jDate(e.Date), jDate(e.End), e.Location, e.Participants, e.Description})
	}
	for _, f := range b.Facts {
		j.Facts = append(j.Facts, jFact{f.Text, f.Attribution, f.Actors, f.Event, jDate(f.AsOf)})
	}
	for _, c := range b.Corrections {
		j.Corrections = append(j.Corrections, jCorrection{jDate(c.Date), c.Text})
	}
	return j
}
