package briefings

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// token is a word of a sentence with what follows it.
type token struct {
	text  string // the word without surrounding punctuation or a possessive 's
	raw   string // the word as written, possessive included
	start int    // byte offset in the sentence
	cap   bool   // starts with a capital letter
	poss  bool   // ends in 's or ’s
	stop  bool   // punctuation follows it (a comma, a full stop, a quote)
	open  bool   // punctuation precedes it (an opening quote, a parenthesis)
}

var tokenRE = regexp.MustCompile(`[\p{L}\p{N}][\p{L}\p{N}'’.&-]*`)

// tokens splits a sentence into words, keeping "U.S." and "Children's" whole.
func tokens(s string) []token {
	var out []token
	for _, loc := range tokenRE.FindAllStringIndex(s, -1) {
		w := s[loc[0]:loc[1]]
		t := token{start: loc[0], raw: strings.TrimRight(w, ".'’-")}
		if strings.HasSuffix(w, "'s") || strings.HasSuffix(w, "’s") {
			t.poss = true
			w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
		}
		abbr := strings.Count(w, ".") > 1 || titleAbbr[strings.ToLower(w)]
		if !abbr {
			if strings.HasSuffix(w, ".") || strings.HasSuffix(w, "’") || strings.HasSuffix(w, "'") {
				t.stop = true
			}
			w = strings.TrimRight(w, ".'’-")
		}
		t.text = w
		r, _ := utf8.DecodeRuneInString(w)
		t.cap = unicode.IsUpper(r)
		if loc[1] < len(s) {
			if r, _ := utf8.DecodeRuneInString(s[loc[1]:]); strings.ContainsRune(`,;:!?"“”‘’()[]—–`, r) {
				t.stop = true
			}
		}
		if loc[0] > 0 {
			r, _ := utf8.DecodeLastRuneInString(s[:loc[0]])
			t.open = strings.ContainsRune(`"“‘(`, r)
		}
		if t.text != "" {
			out = append(out, t)
		}
	}
	return out
}

var (
	// titleAbbr are abbreviations that keep their full stop.
	titleAbbr = map[string]bool{"dr.": true, "mr.": true, "mrs.": true, "ms.": true, "prof.": true, "gen.": true, "sen.": true,
		"rep.": true, "gov.": true, "col.": true, "lt.": true, "st.": true, "jr.": true, "sr.": true, "capt.": true, "sgt.": true}
	// personTitles stand before a person's name.
	personTitles = wordSet(`dr.|dr|mr.|mr|mrs.|mrs|ms.|ms|prof.|professor|president|vice|prime|minister|secretary|senator|sen.|
rep.|representative|congressman|congresswoman|governor|gov.|mayor|judge|justice|chancellor|king|queen|prince|princess|
pope|general|gen.|colonel|col.|captain|capt.|lt.|sgt.|sergeant|lieutenant|admiral|marshal|commander|chairman|chairwoman|
chair|director|councilmember|councillor|councilor|councilman|councilwoman|commissioner|ambassador|envoy|spokesman|
spokeswoman|spokesperson|leader|speaker|deputy|sheriff|detective|inspector|bishop|archbishop|rabbi|imam|father|sister|
lord|lady|sir|dame|attorney|auditor|treasurer|ceo|coach|chief|premier|president-elect|minister-president|sultan|emir|
sheikh|ayatollah|patriarch|metropolitan|cardinal|officer|superintendent|principal|dean|rector|analyst|economist|
researcher|lawyer|attorney|author|historian|columnist|reporter|correspondent|regional|executive|founder`)
	// personRoles are lower-case words that stand before or after a
	// person's name in apposition ("union negotiator Niels de Graaf").
	personRoles = wordSet(`negotiator|spokesman|spokeswoman|spokesperson|chair|chairman|chairwoman|chairperson|leader|director|
secretary|minister|president|official|analyst|economist|professor|researcher|scientist|lawyer|attorney|coach|founder|
chief|head|executive|mayor|governor|senator|judge|councilmember|councillor|resident|witness|officer|coordinator|manager|
editor|reporter|correspondent|adviser|advisor|aide|ambassador|envoy|commander|general|diplomat|lawmaker|legislator|
prosecutor|investigator|expert|historian|hydrologist|doctor|nurse|teacher|student|farmer|owner|worker|activist|
campaigner|organizer|organiser|candidate|deputy|member|representative|premier|superintendent|inspector|sheriff|
commissioner|mother|father|daughter|son|wife|husband|widow|survivor|victim|ceo|cfo|chairwoman|trustee|partner|
strategist|consultant|engineer|pilot|captain|physician|surgeon|epidemiologist|meteorologist|forecaster|mediator`)
	// orgWords make a name an organization's.
	orgWords = wordSet(`council|commission|authority|partnership|organization|organisation|fund|company|party|alliance|ministry|
agency|bureau|institute|union|systems|energy|group|bank|herald|times|news|post|journal|tribune|gazette|press|wire|
committee|court|parliament|assembly|congress|senate|department|office|service|services|corporation|corp|corp.|inc|inc.|
ltd|ltd.|llc|asa|ag|gmbh|plc|association|federation|foundation|society|university|college|school|hospital|army|navy|
forces|force|police|guard|kremlin|pentagon|government|administration|board|trust|network|media|airlines|airways|
motors|holdings|industries|partners|capital|reserve|exchange|centre|center|programme|program|electric|power|oil|gas|
petroleum|mining|steel|telecom|broadcasting|tribunal|cabinet|secretariat|coalition|movement|front|league|club|team|
nations|bloc|community|intelligence|directorate|command|unit|bbc|cnn|reuters|nato|opec|imf|
ministries|commission's|agencies|institution|laboratories|labs|pharmaceuticals|technologies|solutions|logistics|
shipping|lines|railways|rail|transit|transport|water|utilities|studios|records|publishing|review|magazine|channel|
radio|television|tv|newspaper|daily|observer|guardian|telegraph|chronicle|courier|express|mirror|standard|monitor|
research|semiconductor|semiconductors|analytics|consulting|advisors|advisers|ventures|entertainment|foods|brands|
pharma|therapeutics|biosciences|biotech|robotics|aerospace|automotive|chemicals|materials|insurance|securities|
investments|realty|properties|hotels|resorts|stores|markets|health|medical|clinic|laboratory|airport|port|railway|
motors|devices|electronics|software|games|studio|records|bancorp|financial|credit|mutual|cooperative|co-op|
brigade|battalion|regiment|militia|ministry|assembly|diet|duma|knesset|bundestag|legislature|judiciary`)
	// orgRoles are lower-case words that introduce an organization in
	// apposition ("the employers' association Havenwerk", "its operator,
	// Prairie Midstream").
	orgRoles = wordSet(`operator|company|firm|group|maker|owner|developer|producer|lender|bank|insurer|carrier|airline|retailer|
alliance|chipmaker|automaker|carmaker|drugmaker|miner|broadcaster|watchdog|charity|nonprofit|non-profit|ngo|
utility|union|association|agency|broadcaster|newspaper|publisher|regulator|ministry|party|charity|network|outlet|
manufacturer|supplier|contractor|startup|subsidiary|conglomerate|organization|organisation|coalition|consortium`)
	// legalSuffixes end a company's name and are left out of its canonical
	// name ("Nordvik Energy ASA" is Nordvik Energy).
	legalSuffixes = wordSet(`asa|inc|inc.|ltd|ltd.|llc|plc|ag|gmbh|sa|s.a.|nv|n.v.|bv|ab|oyj|spa|corp|corp.|co.|co`)
	// nameJoiners may stand inside a name between capitalised words.
	nameJoiners = wordSet(`of|and|for|de|del|della|der|den|van|von|la|le|du|da|dos|das|al|el|bin|ibn|y|&`)
	// notNames are capitalised words that are never a name on their own.
	notNames = wordSet(`i|a|an|the|this|that|these|those|it|its|he|she|they|we|you|his|her|their|our|my|there|here|but|and|or|
so|yet|in|on|at|for|under|after|before|while|when|if|as|meanwhile|additionally|however|moreover|also|still|globally|
immediate|future|q|mr|mrs|ms|dr|monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|
april|may|june|july|august|september|october|november|december|today|yesterday|tomorrow|last|next|earlier|later|
according|since|until|by|from|with|without|about|all|some|many|most|more|one|two|three|four|five|six|seven|eight|
nine|ten|what|why|how|who|where|which|not|no|yes|new|other|both|each|every|such|than|then|thus|though|although`)
)

// candidate is an actor the extractor proposes, with how it was seen.
type candidate struct {
	Actor
	order    int    // first mention
	short    string // the short form used alone ("Adler", "de Graaf")
	mentions int
}

// nameFinder proposes the actors an article names: people (with the role
// around their name as description), organizations, countries and places.
type nameFinder struct {
	byFold  map[string]*candidate
	byShort map[string]*candidate
	list    []*candidate
	lower   map[string]bool // words the article writes in lower case
}

// newNameFinder prepares to read the article's sentences.
func newNameFinder(sentences []string) *nameFinder {
	f := &nameFinder{byFold: map[string]*candidate{}, byShort: map[string]*candidate{}, lower: map[string]bool{}}
	for _, s := range sentences {
		for _, t := range tokens(s) {
			if !t.cap {
				f.lower[strings.ToLower(t.text)] = true
			}
		}
	}
	return f
}

// span is a run of capitalised words in a sentence.
type span struct {
	toks  []token
	start int // index of the first token in the sentence's tokens
}

func (sp span) text() string {
	words := make([]string, len(sp.toks))
	for i, t := range sp.toks {
		words[i] = t.text
		if i < len(sp.toks)-1 && t.poss {
			words[i] = t.raw // "Children's Fund"
		}
	}
	return strings.Join(words, " ")
}

// spans finds the runs of capitalised words (with joiners such as "of" and
// "de" inside) in a sentence.
func spans(toks []token) []span {
	var out []span
	for i := 0; i < len(toks); i++ {
		if !toks[i].cap && !(toks[i].text == "de" || toks[i].text == "van" || toks[i].text == "von") {
			continue
		}
		if !toks[i].cap && (i+1 >= len(toks) || !toks[i+1].cap) {
			continue
		}
		j := i
		for j < len(toks) {
			t := toks[j]
			if t.stop || t.poss {
				// "Children's Fund": a possessive inside an organization's name
				if t.poss && j+1 < len(toks) && toks[j+1].cap && orgWords[Fold(toks[j+1].text)] && !t.stop {
					j++
					continue
				}
				j++
				break
			}
			if j+1 < len(toks) && toks[j+1].cap && !toks[j+1].open {
				j++
				continue
			}
			if j+2 < len(toks) && nameJoiners[Fold(toks[j+1].text)] && !toks[j+1].cap && toks[j+2].cap && !toks[j+1].stop {
				j += 2
				continue
			}
			j++
			break
		}
		out = append(out, splitAnd(span{toks: toks[i:j], start: i})...)
		i = j - 1
	}
	return out
}

// splitAnd splits "Putin and Kim" in two: "and" joins the words of one
// name only in an organization's ("Risk Reduction and Management Council").
func splitAnd(sp span) []span {
	if orgWords[Fold(sp.toks[len(sp.toks)-1].text)] {
		return []span{sp}
	}
	for k, t := range sp.toks {
		if f := Fold(t.text); (f == "and" || f == "&") && !t.cap {
			left := span{toks: sp.toks[:k], start: sp.start}
			right := span{toks: sp.toks[k+1:], start: sp.start + k + 1}
			return append([]span{left}, splitAnd(right)...)
		}
	}
	return []span{sp}
}

// sentence reads one sentence and records the actors it names.
func (f *nameFinder) sentence(s string) {
	toks := tokens(s)
	for _, sp := range spans(toks) {
		f.consider(toks, sp)
	}
}

// consider classifies one run of capitalised words.
func (f *nameFinder) consider(toks []token, sp span) {
	words := sp.toks
	// a sentence's first word is capitalised anyway
	for len(words) > 0 && (sp.start == 0 || words[0].open) && (f.lower[strings.ToLower(words[0].text)] || notNames[Fold(words[0].text)]) {
		words = words[1:]
		sp.start++
	}
	for len(words) > 0 && notNames[Fold(words[0].text)] {
		words = words[1:]
		sp.start++
	}
	for len(words) > 0 && nameJoiners[Fold(words[len(words)-1].text)] {
		words = words[:len(words)-1]
	}
	if len(words) == 0 {
		return
	}
	// a title before a person's name: "Agriculture Secretary Paolo Mendoza"
	title := -1
	for k := len(words) - 2; k >= 0; k-- {
		if personTitles[Fold(words[k].text)] && words[k+1].cap {
			title = k
			break
		}
	}
	var desc []string
	if title >= 0 {
		for _, t := range words[:title+1] {
			desc = append(desc, t.text)
		}
		words = words[title+1:]
		sp.start += title + 1
	}
	// "Ravi Menon of Harbor Street Research": a person of an organization
	for k := 2; k < len(words)-1 && k <= 3; k++ {
		if Fold(words[k].text) == "of" && personLike(words[:k]) && anyOrgWord(words[k+1:]) {
			org := span{toks: words[k+1:]}.text()
			f.add(org, KindOrganization, nil)
			person := span{toks: words[:k]}.text()
			desc = append(desc, "of", org)
			f.add(person, KindPerson, desc)
			return
		}
	}
	name := span{toks: words, start: sp.start}.text()
	folded := Fold(name)
	if len(words) == 1 && (notNames[folded] || len([]rune(folded)) < 2) {
		return
	}
	if demonym(words, toks, sp.start) {
		return
	}
	prev := ""
	if sp.start > 0 {
		prev = Fold(toks[sp.start-1].text)
	}
	next := ""
	if end := sp.start + len(words); end < len(toks) {
		next = Fold(toks[end].text)
	}
	kind := ActorKind("")
	last := Fold(words[len(words)-1].text)
	switch {
	case title >= 0:
		kind = KindPerson
	case countries[folded]:
		kind = KindCountry
	case places[folded]:
		kind = KindPlace
	case anyOrgWord(words) || acronym(name) || legalSuffixes[last]:
		kind = KindOrganization
	case personRoles[prev] && !countries[folded]:
		kind = KindPerson
		desc = roleBefore(toks, sp.start)
	case orgRoles[prev]:
		kind = KindOrganization
	case placeNouns[next] && len(words) <= 3:
		kind = KindPlace
	case placeBefore[prev] && len(words) <= 2 && !f.isShort(folded),
		prev == "of" && sp.start >= 2 && placeNouns[Fold(toks[sp.start-2].text)] && len(words) <= 2:
		kind = KindPlace
	case orgApposition(toks, sp.start+len(words)):
		kind = KindOrganization
	case len(words) >= 2 && len(words) <= 4 && personLike(words):
		if appositionRole(toks, sp) {
			kind = KindPerson
		}
	}
	if kind == "" {
		if c := f.byShort[folded]; c != nil {
			c.mentions++
		}
		return
	}
	if kind == KindOrganization {
		if legalSuffixes[last] && len(words) > 1 {
			alias := name
			name = span{toks: words[:len(words)-1]}.text()
			f.add(name, kind, desc).addAlias(alias)
			return
		}
	}
	f.add(name, kind, desc)
}

// add records a mention of an actor, creating it on first sight.
func (f *nameFinder) add(name string, kind ActorKind, desc []string) *candidate {
	folded := Fold(name)
	if c := f.byShort[folded]; c != nil && c.Kind == KindPerson {
		c.mentions++
		return c
	}
	c := f.byFold[folded]
	if c == nil {
		c = &candidate{Actor: Actor{Name: name, Kind: kind}, order: len(f.list)}
		f.byFold[folded] = c
		f.list = append(f.list, c)
		if kind == KindPerson {
			if short := shortName(name); short != "" && f.byShort[Fold(short)] == nil {
				c.short = short
				f.byShort[Fold(short)] = c
			}
		}
	}
	if c.Description == "" && len(desc) > 0 {
		c.Description = Truncate(strings.Join(desc, " "), MaxDescription)
	}
	c.mentions++
	return c
}

func (c *candidate) addAlias(alias string) {
	for _, a := range c.Aliases {
		if Fold(a) == Fold(alias) {
			return
		}
	}
	c.Aliases = append(c.Aliases, alias)
}

// isShort reports whether a word is a known person's short name.
func (f *nameFinder) isShort(folded string) bool { return f.byShort[folded] != nil }

// shortName is the part of a person's name used alone in later mentions:
// the surname, with its particle ("de Graaf").
func shortName(name string) string {
	words := strings.Fields(name)
	if len(words) < 2 {
		return ""
	}
	for i := 1; i < len(words)-1; i++ {
		if nameJoiners[Fold(words[i])] {
			return strings.Join(words[i:], " ")
		}
	}
	return words[len(words)-1]
}

// roleBefore is the lower-case role before a name ("union negotiator",
// "Prairie Midstream spokesman"), up to four words.
func roleBefore(toks []token, start int) []string {
	var out []string
	for i := start - 1; i >= 0 && len(out) < 4; i-- {
		t := toks[i]
		if t.stop || notNames[Fold(t.text)] && !t.cap || sayVerbs[Fold(t.text)] {
			break
		}
		out = append([]string{t.text}, out...)
	}
	return out
}

// personLike reports whether words look like a person's given name and
// surname: each capitalised (or a particle), none an organization's word.
func personLike(words []token) bool {
	for _, w := range words {
		f := Fold(w.text)
		if orgWords[f] || countries[f] || places[f] || acronym(w.text) || strings.ContainsAny(w.text, "0123456789") {
			return false
		}
	}
	return true
}

// appositionRole reports whether a name stands beside a person's role:
// "Omar Haddad" in "the city's transportation director, Omar Haddad," or
// "Ingrid Solberg, chief executive officer of …", or as the speaker of a
// verb of saying ("said Ingrid Solberg", "Mark Vella told").
func appositionRole(toks []token, sp span) bool {
	end := sp.start + len(sp.toks)
	if sp.start > 0 {
		p := Fold(toks[sp.start-1].text)
		if personRoles[p] || sayVerbs[p] {
			return true
		}
	}
	if end < len(toks) {
		n := Fold(toks[end].text)
		if sayVerbs[n] {
			return true
		}
		if toks[end-1].stop {
			for i := end; i < len(toks) && i < end+5; i++ {
				if personRoles[Fold(toks[i].text)] {
					return true
				}
			}
		}
	}
	return false
}

// demonyms that do not end as most do.
var demonyms = wordSet(`dutch|french|swiss|thai|greek|czech|welsh|irish|scottish|danish|finnish|polish|turkish|
swedish|spanish|british|kurdish|jewish|arab|iraqi|israeli|saudi|pakistani|bangladeshi|kuwaiti|yemeni|omani|qatari|
emirati|nepali|somali|malian|filipino|western|eastern|northern|southern|soviet|islamic|catholic|muslim|christian`)

// demonym reports whether a run of capitalised words is an adjective of
// nationality before a common noun ("North Korean troops", "Ukrainian
// forces"), not a name.
func demonym(words []token, toks []token, start int) bool {
	end := start + len(words)
	if end >= len(toks) || toks[end].cap || words[len(words)-1].stop {
		return false
	}
	last := Fold(words[len(words)-1].text)
	if demonyms[last] {
		return true
	}
	for _, suf := range []string{"ian", "ean", "ese", "ish", "can", "ran"} {
		if strings.HasSuffix(last, suf) && len(last) > 5 && !places[Fold(span{toks: words}.text())] {
			return true
		}
	}
	return false
}

// orgApposition reports whether a name is followed by an organization's
// description: "Gavi, the vaccine alliance,".
func orgApposition(toks []token, end int) bool {
	if end == 0 || end >= len(toks) || !toks[end-1].stop {
		return false
	}
	if f := Fold(toks[end].text); f != "the" && f != "a" && f != "an" {
		return false
	}
	for i := end + 1; i < len(toks) && i <= end+4; i++ {
		if orgRoles[Fold(toks[i].text)] {
			// "in Penang, the company said" is no apposition
			return i+1 >= len(toks) || !sayVerbs[Fold(toks[i+1].text)]
		}
		if toks[i].stop {
			break
		}
	}
	return false
}

// anyOrgWord reports whether a name holds a word that makes it an
// organization's ("Bureau of Land Management").
func anyOrgWord(words []token) bool {
	for _, w := range words {
		if orgWords[Fold(w.text)] && !nameJoiners[Fold(w.text)] {
			return true
		}
	}
	return false
}

// acronym reports whether a word is an acronym such as "FNV" or "UNICEF".
func acronym(s string) bool {
	if strings.Contains(s, " ") || len(s) < 2 || len(s) > 7 {
		return false
	}
	letters := 0
	for _, r := range s {
		switch {
		case unicode.IsUpper(r):
			letters++
		case r == '.' || r == '&':
		default:
			return false
		}
	}
	return letters >= 2
}

// resolve maps a phrase naming a speaker or a subject to a proposed
// actor's name: the actor named in it (a person rather than their
// organization: "Prairie Midstream spokesman Jon Ellery"), a short name
// ("Adler"), or an organization by its head word ("the port authority").
func (f *nameFinder) resolve(phrase string) (string, bool) {
	toks := tokens(phrase)
	var best *candidate
	for i := range toks {
		for j := len(toks); j > i; j-- {
			name := Fold(span{toks: toks[i:j]}.text())
			c := f.byFold[name]
			if c == nil {
				c = f.byShort[name]
			}
			if c == nil {
				for _, other := range f.list {
					for _, a := range other.Aliases {
						if Fold(a) == name {
							c = other
						}
					}
				}
			}
			// a person anywhere in the phrase, anything else only at its head:
			// "Residents of the Eastgate neighborhood" are not Eastgate
			if c != nil && (c.Kind == KindPerson || i == 0 || i == 1 && Fold(toks[0].text) == "the") &&
				(best == nil || c.Kind == KindPerson && best.Kind != KindPerson) {
				best = c
			}
		}
	}
	if best != nil {
		return best.Name, true
	}
	// "the port authority", "the commission": an organization ending so
	words := strings.Fields(Fold(strings.Trim(phrase, ` "'“”‘’,.`)))
	if len(words) >= 2 && words[0] == "the" {
		head := strings.Join(words[1:], " ")
		var match *candidate
		for _, c := range f.list {
			if c.Kind == KindOrganization && strings.HasSuffix(Fold(c.Name), " "+head) {
				if match == nil || c.order > match.order {
					match = c
				}
			}
		}
		if match != nil {
			return match.Name, true
		}
	}
	return "", false
}

// actors are the proposed actors, in order of first mention.
func (f *nameFinder) actors() []Actor {
	out := make([]Actor, 0, len(f.list))
	for _, c := range f.list {
		a := c.Actor
		if c.short != "" {
			a.Aliases = append([]string{c.short}, a.Aliases...)
		}
		out = append(out, a)
	}
	return out
}
