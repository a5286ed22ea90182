package briefings

import (
	"regexp"
	"strings"
	"unicode"
)

var (
	// eventNouns name something that happens on a date.
	eventNouns = wordSet(`vote|election|elections|referendum|hearing|trial|ruling|verdict|sentencing|summit|talks|meeting|
conference|session|call|visit|strike|deal|agreement|treaty|accord|ceasefire|truce|poll|deadline|launch|landfall|
assessment|announcement|decision|sale|auction|ceremony|inauguration|festival|match|final|debate|speech|address|
briefing|protest|march|rally|attack|explosion|earthquake|storm|flood|fire|crash|collision|outbreak|opening|closure|
shutdown|merger|acquisition|takeover|listing|resignation|appointment|funeral|signing|test|exercises|drill|invasion|
offensive|withdrawal|release|publication|recall|appeal|lawsuit|complaint|filing|budget|day|walkout|lockout|
inspection|audit|review|report|census|count|recount|runoff|primary|caucus|convention|congress|plenary|hearings|
negotiations|consultation|evacuation|ban|embargo|sanctions|tariffs|levy|raid|arrest|indictment|charges|
settlement|bankruptcy|default|auction|handover|transfer|delivery|shipment|shipments|arrival|departure|flight|
mission|expedition|tour|premiere|opening|anniversary|recapture|capture|liberation|blackout|eruption|cyclone|
typhoon|hurricane|tornado|heatwave|drought|outage|spill|leak|collapse|coup|uprising|riot|massacre|bombing|strikes|
campaign|results|earnings|vaccination|ballot|count|hearing|inquest|inquiry|summons|sitting|meeting`)
	// eventVerbs name what happened when a sentence says it with a verb;
	// the value is the event's name.
	eventVerbs = map[string]string{"vote": "vote", "votes": "vote", "voted": "vote", "voting": "voting",
		"meet": "meeting", "meets": "meeting", "met": "meeting", "pledge": "pledges", "pledged": "pledges",
		"sue": "lawsuit", "sued": "lawsuit", "launch": "launch", "launched": "launch", "publish": "publication",
		"published": "publication", "open": "opening", "opens": "opening", "opened": "opening",
		"arrive": "arrival", "arrives": "arrival", "arrived": "arrival", "return": "return", "returned": "return",
		"postpone": "postponement", "postponed": "postponement", "delay": "delay", "delayed": "delay",
		"rule": "ruling", "ruled": "ruling", "sign": "signing", "signed": "signing", "announce": "announcement",
		"announced": "announcement", "begin": "start", "begins": "start", "began": "start", "start": "start",
		"starts": "start", "started": "start", "end": "end", "ends": "end", "ended": "end", "finish": "completion",
		"finished": "completion", "leave": "departure", "left": "departure", "strike": "strike", "struck": "strike",
		"print": "printing", "printed": "printing", "present": "presentation", "presents": "presentation",
		"release": "release", "released": "release", "elect": "election", "elected": "election", "approve": "approval",
		"approved": "approval", "resign": "resignation", "resigned": "resignation", "visit": "visit",
		"visited": "visit", "attack": "attack", "attacked": "attack", "recapture": "recapture", "recaptured": "recapture",
		"call": "call", "called": "call", "telephoned": "call", "phoned": "call", "spoke": "talks", "talked": "talks",
		"negotiated": "negotiations", "hosted": "visit", "toured": "visit", "landed": "landing", "decide": "decision", "decided": "decision", "close": "closure",
		"closed": "closure", "collapse": "collapse", "collapsed": "collapse", "resume": "resumption",
		"resumed": "resumption", "fell": "fall", "fall": "fall", "rise": "rise", "rose": "rise", "hit": "impact",
		"erupted": "eruption", "exploded": "explosion", "crashed": "crash", "died": "death", "killed": "killing",
		"arrested": "arrest", "charged": "charges", "convicted": "conviction", "sentenced": "sentencing",
		"acquired": "acquisition", "merged": "merger", "hold": "", "held": "", "declare": "declaration",
		"declared": "declaration", "retaken": "recapture", "retook": "recapture", "evacuated": "evacuation",
		// what happened, in the forms news writes it: the present for what
		// is to come ("strikes on Monday"), the past for what was
		"strikes": "strike", "resigns": "resignation", "quit": "resignation", "quits": "resignation",
		"signs": "signing", "launches": "launch", "closes": "closure", "arrest": "arrest", "arrests": "arrest",
		"elects": "election", "protest": "protest", "protests": "protest", "protested": "protest",
		"marched": "march", "rallied": "rally", "evacuate": "evacuation", "evacuates": "evacuation",
		"sacked": "dismissal", "appointed": "appointment",
		"appoints": "appointment", "inaugurated": "inauguration", "sworn": "swearing-in", "raided": "raid",
		"banned": "ban", "bans": "ban", "suspended": "suspension", "suspends": "suspension",
		"reopened": "reopening", "reopens": "reopening", "reopen": "reopening", "cancelled": "cancellation",
		"canceled": "cancellation", "cancels": "cancellation"}
	// eventPhrases name what happened when a verb and its particle say it
	// ("walked off the job", "stepped down"); they win over the verb alone
	// ("called off" is no call).
	eventPhrases = map[string]string{"walk out": "walkout", "walks out": "walkout", "walked out": "walkout",
		"walk off": "walkout", "walks off": "walkout", "walked off": "walkout", "step down": "resignation",
		"steps down": "resignation", "stepped down": "resignation", "call off": "cancellation",
		"calls off": "cancellation", "called off": "cancellation", "shut down": "shutdown", "shuts down": "shutdown",
		"pull out": "withdrawal", "pulls out": "withdrawal", "pulled out": "withdrawal", "take over": "takeover",
		"takes over": "takeover", "took over": "takeover", "hand over": "handover", "hands over": "handover",
		"handed over": "handover", "sworn in": "swearing-in", "break off": "breakdown", "broke off": "breakdown",
		"lock out": "lockout", "locked out": "lockout", "sit in": "sit-in", "staged a walkout": "walkout",
		"staged a strike": "strike"}
	// modifierStop are words that never qualify an event's name.
	modifierStop = wordSet(`a|an|the|its|their|his|her|our|my|your|this|that|these|those|of|on|in|at|for|to|by|with|and|or|
from|after|before|while|as|is|was|were|be|been|will|would|could|should|may|might|has|have|had|also|first|second|
third|last|next|new|said|says|any|some|no|not|it|they|he|she|we|who|which|more|than|about|over|under|into|each`)
	deadlineRE = regexp.MustCompile(`(?i)\b(?:until|by|before)\s*$`)
	toVerbRE   = regexp.MustCompile(`^\s*(?:to|in which to) ([a-z]+)`)
)

// eventFor names the event a dated phrase in a sentence belongs to: the
// event noun nearest before it in its clause ("a public hearing on
// Tuesday"), else the verb ("will vote on Thursday" → "Council vote"),
// else after it; "until April 10 to file" is a filing deadline. A date that
// belongs to no event ("until at least 2030", "since January") gives "".
func eventFor(s string, d FoundDate, f *nameFinder) string {
	i := strings.Index(s, d.Text)
	if i < 0 {
		return ""
	}
	lower := strings.ToLower(s[:i])
	phrase := strings.ToLower(d.Text)
	if strings.HasSuffix(strings.TrimSpace(lower), "at least") || strings.HasPrefix(phrase, "since") ||
		strings.HasSuffix(strings.TrimSpace(lower), "since") || strings.HasSuffix(strings.TrimSpace(lower), "as of") {
		return ""
	}
	dateEnd := i + len(d.Text)
	// "Friday's summit", "last year's drought": the possessive belongs to
	// the date, not to the event's name, and the noun it qualifies is the
	// event ("by Thursday's meeting" is the meeting, whatever comes before)
	for _, poss := range []string{"'s", "’s", "'", "’"} {
		if strings.HasPrefix(s[dateEnd:], poss) {
			dateEnd += len(poss)
			next := tokens(s[dateEnd:])
			for k := 0; k < len(next) && k < 3; k++ {
				if eventNouns[Fold(next[k].text)] {
					return nounName(next, k)
				}
				if next[k].stop {
					break
				}
			}
			break
		}
	}
	// "(CAC)" after a name is no clause of its own
	s = blankShortParens(s)
	rest := s[dateEnd:]
	if deadlineRE.MatchString(lower) || strings.HasPrefix(phrase, "until") || strings.HasPrefix(phrase, "by ") {
		if m := toVerbRE.FindStringSubmatch(rest); m != nil {
			return capitalize(gerund(m[1]) + " deadline")
		}
		if strings.HasSuffix(strings.TrimSpace(lower), "until") || strings.HasPrefix(phrase, "until") {
			return ""
		}
	}
	start, end := 0, len(s)
	for _, loc := range clauseBreak.FindAllStringIndex(s, -1) {
		if loc[1] <= i && loc[1] > start && s[loc[0]:loc[1]] != "that" {
			start = loc[1]
		}
		if loc[0] >= dateEnd && loc[0] < end {
			end = loc[0]
		}
	}
	before := tokens(s[start:i])
	after := tokens(s[dateEnd:end])
	if len(before) == 0 && len(after) == 0 && end < len(s) {
		// a fronted date: "On Tuesday, August 12, 2025, Putin initiated the call"
		next := len(s)
		for _, loc := range clauseBreak.FindAllStringIndex(s[end+1:], -1) {
			next = end + 1 + loc[0]
			break
		}
		after = tokens(s[end+1 : next])
	}
	// the event word nearest before the date: a noun ("a public hearing on
	// Tuesday"), or a verb ("pledged $40 million on Wednesday") unless it
	// qualifies a noun just before it ("an appeal launched on Friday")
	for k := len(before) - 1; k >= 0 && k >= len(before)-8; k-- {
		w := Fold(before[k].text)
		if n := phraseAt(before, k); n != "" {
			return verbName(before, k, n, f)
		}
		if eventNouns[w] {
			// "called off the strike": the phrase says what became of it
			for j := k - 1; j >= 0 && j >= k-3; j-- {
				if n := phraseAt(before, j); n != "" && n != w {
					return capitalize(w + " " + n)
				}
			}
			return nounName(before, k)
		}
		if n, ok := eventVerbs[w]; ok && n != "" {
			for j := k - 1; j >= 0 && j >= k-2; j-- {
				if eventNouns[Fold(before[j].text)] {
					return nounName(before, j)
				}
			}
			return verbName(before, k, n, f)
		}
	}
	for k := 0; k < len(after) && k < 8; k++ {
		if n := phraseAt(after, k); n != "" {
			return capitalize(n)
		}
		if k >= 5 {
			continue // a phrase may stand after a longer subject
		}
		if eventNouns[Fold(after[k].text)] {
			return nounName(after, k)
		}
		if n, ok := eventVerbs[Fold(after[k].text)]; ok && n != "" {
			return capitalize(n)
		}
	}
	return ""
}

// phraseAt names the event of a verb and its particle starting at toks[k]
// ("walked off the job" → "walkout"), or "".
func phraseAt(toks []token, k int) string {
	if k+1 >= len(toks) || toks[k].stop {
		return ""
	}
	two := Fold(toks[k].text) + " " + Fold(toks[k+1].text)
	if n, ok := eventPhrases[two]; ok {
		return n
	}
	if k+2 < len(toks) && !toks[k+1].stop {
		return eventPhrases[two+" "+Fold(toks[k+2].text)]
	}
	return ""
}

// nounName is an event noun with up to two words qualifying it ("public
// hearing", "capital markets day").
func nounName(toks []token, k int) string {
	words := []string{toks[k].text}
	for j := k - 1; j >= 0 && len(words) < 3; j-- {
		w := toks[j].text
		if modifierStop[Fold(w)] || toks[j].stop || toks[j].poss || !isWord(w) {
			break
		}
		if _, verb := eventVerbs[Fold(w)]; verb && !toks[j].cap {
			break
		}
		if strings.HasSuffix(Fold(w), "ed") && !toks[j].cap {
			break
		}
		words = append([]string{w}, words...)
	}
	if len(words) == 1 && Fold(words[0]) == "day" {
		return ""
	}
	return capitalize(strings.Join(words, " "))
}

// verbName names an event after its verb, with the subject's head when it
// is an actor ("Council vote") or a plain noun ("Construction start").
func verbName(toks []token, k int, noun string, f *nameFinder) string {
	// "Talks between the two sides are due to resume": the clause's
	// subject is an event noun, and names what happens
	if len(toks) > 1 && k > 1 && k <= 9 && eventNouns[Fold(toks[0].text)] && !toks[0].stop {
		return capitalize(strings.ToLower(toks[0].text) + " " + noun)
	}
	for j := k - 1; j >= 0 && j >= k-4; j-- {
		w := toks[j].text
		fw := Fold(w)
		if auxWords[fw] || clauseVerbs[fw] || scheduledWords[fw] || fw == "to" || fw == "not" || fw == "be" || fw == "been" || fw == "being" {
			continue
		}
		if modifierStop[fw] || !isWord(w) {
			break
		}
		if toks[j].cap {
			if n, ok := f.resolve(w); ok && f.byFold[Fold(n)] != nil && f.byFold[Fold(n)].Kind == KindOrganization || orgWords[fw] {
				return capitalize(w + " " + noun) // "Council vote"
			}
			break
		}
		if !strings.HasSuffix(fw, "ly") && !strings.HasSuffix(fw, "ed") && isWord(w) {
			subject := w
			if j > 0 && !toks[j-1].cap && !modifierStop[Fold(toks[j-1].text)] && isWord(toks[j-1].text) && !toks[j-1].stop {
				subject = toks[j-1].text + " " + w
			}
			return capitalize(subject + " " + noun) // "Construction start", "Postal voting opening"
		}
		break
	}
	return capitalize(noun)
}

// scheduledWords say that something is to happen: "are due to resume",
// "is set to open".
var scheduledWords = wordSet(`due|set|expected|scheduled|likely|poised|planned|going|about|able|slated|unlikely`)

// gerund turns a verb into its -ing form ("file" → "filing").
func gerund(v string) string {
	switch {
	case strings.HasSuffix(v, "ie"):
		return strings.TrimSuffix(v, "ie") + "ying"
	case strings.HasSuffix(v, "e") && !strings.HasSuffix(v, "ee"):
		return strings.TrimSuffix(v, "e") + "ing"
	}
	return v + "ing"
}

func isWord(w string) bool {
	for _, r := range w {
		if !unicode.IsLetter(r) && r != '-' {
			return false
		}
	}
	return w != ""
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

// blankShortParens blanks a short parenthesis of one or two words, such as
// an acronym after a name, keeping every offset.
func blankShortParens(s string) string {
	b := []byte(s)
	for i := 0; i < len(b); i++ {
		if b[i] != '(' {
			continue
		}
		j := strings.IndexByte(s[i:], ')')
		if j < 0 || j > 40 || len(strings.Fields(s[i+1:i+j])) > 2 {
			continue
		}
		for k := i; k <= i+j; k++ {
			b[k] = ' '
		}
		i += j
	}
	return string(b)
}
