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
brigade|battalion|regiment|militia|ministry|assembly|diet|duma|knesset|bundestag|legislature|judiciary|panel|forum|
initiative|organisation|observatory|tribunal|watchdog`)
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
	byAlias map[string]*candidate // acronyms and legal names, by folded alias
	list    []*candidate
	lower   map[string]bool // words the article writes in lower case
	alone   map[string]bool // capitalised words the article uses on their own
	pending []conjunct      // names after "and" to decide by the name before it
}

// newNameFinder prepares to read the article's sentences.
func newNameFinder(sentences []string) *nameFinder {
	f := &nameFinder{byFold: map[string]*candidate{}, byShort: map[string]*candidate{}, byAlias: map[string]*candidate{},
		lower: map[string]bool{}, alone: map[string]bool{}}
	for _, s := range sentences {
		toks := tokens(s)
		for i, t := range toks {
			if !t.cap {
				f.lower[strings.ToLower(t.text)] = true
				continue
			}
			// "coordination with Kim": a word of a name used alone
			prevCap := i > 0 && toks[i-1].cap && !toks[i-1].stop && !personTitles[Fold(toks[i-1].text)]
			nextCap := i+1 < len(toks) && toks[i+1].cap && !t.stop && !t.poss
			if !prevCap && !nextCap {
				f.alone[Fold(t.text)] = true
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
			// "Office for the Coordination of Humanitarian Affairs": a
			// joiner and "the" inside an organization's name
			if j+3 < len(toks) && nameJoiners[Fold(toks[j+1].text)] && Fold(toks[j+2].text) == "the" && toks[j+3].cap &&
				!toks[j+1].stop && !toks[j+2].stop && anyOrgWord(toks[i:j+1]) && !notNames[Fold(toks[j+3].text)] {
				j += 3
				continue
			}
			// "Intergovernmental Authority on Development", "Council on
			// Foreign Relations": "on" inside an organization's name, never
			// before a date ("the Council on Monday")
			if j+2 < len(toks) && Fold(toks[j+1].text) == "on" && orgWords[Fold(t.text)] && toks[j+2].cap &&
				!notNames[Fold(toks[j+2].text)] && !toks[j+1].stop {
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
// name only in an organization's ("Risk Reduction and Management Council",
// "Organisation for Economic Co-operation and Development").
func splitAnd(sp span) []span {
	if orgWords[Fold(sp.toks[len(sp.toks)-1].text)] {
		return []span{sp}
	}
	for k := 1; k+1 < len(sp.toks); k++ {
		// an organization's word, then "of" or "for", then the "and"
		if f := Fold(sp.toks[k].text); (f == "of" || f == "for") && !sp.toks[k].cap && anyOrgWord(sp.toks[:k]) {
			for a := k + 1; a < len(sp.toks); a++ {
				if Fold(sp.toks[a].text) == "and" && len(sp.toks)-a-1 <= 2 {
					return []span{sp}
				}
			}
			break
		}
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
	if len(words) == 1 && (sp.start == 0 || words[0].open) && modifierOpener(toks, sp.start) {
		return
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
	case orgApposition(toks, sp.start+len(words)):
		kind = KindOrganization
	case placeNouns[next] && len(words) <= 3:
		kind = KindPlace
	case placeBefore[prev] && len(words) <= 2 && !f.isShort(folded),
		prev == "of" && sp.start >= 2 && placeNouns[Fold(toks[sp.start-2].text)] && len(words) <= 2:
		kind = KindPlace
	case (prev == "and" || prev == "or") && len(words) <= 2 && f.placeBefore(toks, sp.start-1) == KindPlace:
		kind = KindPlace // "Marsabit and Turkana"
	case relativeAfter(toks, sp.start+len(words)) == "who" && len(words) >= 2 && len(words) <= 4 && personLike(words):
		kind = KindPerson // "Dana Whitfield, who represents Eastgate,"
	case relativeAfter(toks, sp.start+len(words)) == "which" && len(words) >= 2 && orgVerbs[nextAfterRelative(toks, sp.start+len(words))]:
		kind = KindOrganization // "Northline Trains, which runs the franchise,"
	case len(words) >= 2 && len(words) <= 4 && personLike(words):
		if appositionRole(toks, sp) {
			kind = KindPerson
		}
	}
	if kind == "" {
		if c := f.byShort[folded]; c != nil {
			c.mentions++
		} else if (prev == "and" || prev == "or") && len(words) <= 2 && personLike(words) && sp.start >= 2 {
			// "between Carlisle and Kendal" before the article says
			// where Carlisle is: decided once every sentence is read
			f.pending = append(f.pending, conjunct{left: f.leftConjunct(toks, sp.start-1), right: name})
		}
		return
	}
	var c *candidate
	if kind == KindOrganization && legalSuffixes[last] && len(words) > 1 {
		alias := name
		name = span{toks: words[:len(words)-1]}.text()
		c = f.add(name, kind, desc)
		f.alias(c, alias)
	} else {
		c = f.add(name, kind, desc)
	}
	// "the United Nations Children's Fund (UNICEF)": the acronym in
	// brackets is the same organization's
	if end := sp.start + len(words); kind != KindPerson && end < len(toks) && toks[end].open && toks[end].stop &&
		acronym(toks[end].text) && !acronym(name) && f.byFold[Fold(toks[end].text)] == nil {
		f.alias(c, toks[end].text)
	}
}

// alias records another name of a candidate, for add and resolve.
func (f *nameFinder) alias(c *candidate, alias string) {
	c.addAlias(alias)
	if f.byFold[Fold(alias)] == nil {
		f.byAlias[Fold(alias)] = c
	}
}

// add records a mention of an actor, creating it on first sight.
func (f *nameFinder) add(name string, kind ActorKind, desc []string) *candidate {
	folded := Fold(name)
	if c := f.byShort[folded]; c != nil && c.Kind == KindPerson {
		c.mentions++
		return c
	}
	if c := f.byAlias[folded]; c != nil {
		c.mentions++
		return c
	}
	c := f.byFold[folded]
	if c == nil {
		c = &candidate{Actor: Actor{Name: name, Kind: kind}, order: len(f.list)}
		f.byFold[folded] = c
		f.list = append(f.list, c)
		if kind == KindPerson {
			if short := f.shortName(name); short != "" && f.byShort[Fold(short)] == nil {
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
	if Fold(alias) == Fold(c.Name) {
		return
	}
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
// the surname, with its particle ("de Graaf"), unless the article uses
// the first word alone instead, as with a family name written first ("Kim"
// of "Kim Jong Un").
func (f *nameFinder) shortName(name string) string {
	words := strings.Fields(name)
	if len(words) < 2 {
		return ""
	}
	for i := 1; i < len(words)-1; i++ {
		if nameJoiners[Fold(words[i])] {
			return strings.Join(words[i:], " ")
		}
	}
	last := words[len(words)-1]
	if !f.alone[Fold(last)] && f.alone[Fold(words[0])] && !personTitles[Fold(words[0])] && !f.lower[strings.ToLower(words[0])] {
		return words[0]
	}
	return last
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
		if personRoles[Fold(toks[i].text)] {
			return false // "Marta Vidal, the union's general secretary"
		}
		if orgRoles[Fold(toks[i].text)] && !toks[i].poss {
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
				c = f.byAlias[name]
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

// orgVerbs follow "which" after an organization's name: "Northline
// Trains, which runs the franchise".
var orgVerbs = wordSet(`runs|operates|owns|makes|employs|manages|builds|produces|sells|supplies|provides|represents|
organises|organizes|publishes|funds|controls|leads|administers|oversees|regulates|distributes|develops|designs`)

// modifierOpener reports whether the lone capitalised word opening a
// sentence at start qualifies the lower-case noun after it ("Health
// ministers", "Rail managers", "Council leaders", "Police officers"):
// a common noun capitalised because the sentence starts with it, not a
// name.
func modifierOpener(toks []token, start int) bool {
	w := toks[start]
	if w.stop || w.poss || start+1 >= len(toks) || toks[start+1].cap || acronym(w.text) {
		return false
	}
	next := Fold(toks[start+1].text)
	for _, n := range []string{next, strings.TrimSuffix(next, "s"), strings.TrimSuffix(next, "es"), strings.TrimSuffix(next, "ies") + "y"} {
		if personRoles[n] || orgRoles[n] || orgWords[n] && n != next {
			return true
		}
	}
	return false
}

// relativeAfter is "who" or "which" when a relative clause follows the
// name ending at end ("Dana Whitfield, who represents"), else "".
func relativeAfter(toks []token, end int) string {
	if end == 0 || end >= len(toks) || !toks[end-1].stop {
		return ""
	}
	if f := Fold(toks[end].text); f == "who" || f == "which" {
		return f
	}
	return ""
}

// nextAfterRelative is the word after the relative pronoun at end.
func nextAfterRelative(toks []token, end int) string {
	if end+1 < len(toks) {
		return Fold(toks[end+1].text)
	}
	return ""
}

// conjunct is a name joined by "and" to the one before it, whose kind is
// not known yet.
type conjunct struct{ left, right string }

// leftConjunct is the run of capitalised words ending at toks[i-1], before
// the "and" at toks[i].
func (f *nameFinder) leftConjunct(toks []token, i int) string {
	if i < 1 || !toks[i-1].cap {
		return ""
	}
	j := i - 1
	for j > 0 && toks[j-1].cap && !toks[j-1].stop {
		j--
	}
	for k := j; k < i; k++ {
		if c := f.byFold[Fold(span{toks: toks[k:i]}.text())]; c != nil {
			return c.Name
		}
	}
	return span{toks: toks[j:i]}.text()
}

// placeBefore returns KindPlace when the name before the "and" at toks[i]
// is a place or country the finder has: "Marsabit" in "Marsabit and
// Turkana".
func (f *nameFinder) placeBefore(toks []token, i int) ActorKind {
	if c := f.byFold[Fold(f.leftConjunct(toks, i))]; c != nil && (c.Kind == KindPlace || c.Kind == KindCountry) {
		return KindPlace
	}
	return ""
}

// settle decides what reading the whole article told: a name joined by
// "and" to a place is a place too.
func (f *nameFinder) settle() {
	for _, p := range f.pending {
		left := f.byFold[Fold(p.left)]
		if left != nil && (left.Kind == KindPlace || left.Kind == KindCountry) && f.byFold[Fold(p.right)] == nil &&
			f.byShort[Fold(p.right)] == nil && f.byAlias[Fold(p.right)] == nil {
			f.add(p.right, KindPlace, nil)
		}
	}
	f.pending = nil
}

// mergeAcronyms makes an acronym the article uses an alias of the
// organization it stands for when the article also names that
// organization in full: "WFP" of "World Food Programme", "IGAD" of
// "Intergovernmental Authority on Development".
func (f *nameFinder) mergeAcronyms() {
	var kept []*candidate
	for _, c := range f.list {
		if !acronym(c.Name) || c.Kind != KindOrganization {
			kept = append(kept, c)
			continue
		}
		var full *candidate
		for _, o := range f.list {
			if o != c && o.Kind != KindPerson && !acronym(o.Name) && expands(c.Name, o.Name) {
				full = o
				break
			}
		}
		if full == nil {
			kept = append(kept, c)
			continue
		}
		delete(f.byFold, Fold(c.Name))
		f.alias(full, c.Name)
		for _, a := range c.Aliases {
			f.alias(full, a)
		}
		full.mentions += c.mentions
		if full.Description == "" {
			full.Description = c.Description
		}
	}
	for i, c := range kept {
		c.order = i
	}
	f.list = kept
}

// expands reports whether name spells out the acronym: each of its words
// in order gives its first letter, and any further letters of the acronym
// come from inside the word they follow ("UNICEF": United Nations
// Children's Fund). Small words such as "of" may give a letter or none.
func expands(acr, name string) bool {
	var letters []rune
	for _, r := range acr {
		if unicode.IsLetter(r) {
			letters = append(letters, unicode.ToLower(r))
		}
	}
	type word struct {
		r        []rune
		optional bool
	}
	var words []word
	for _, w := range strings.Fields(name) {
		w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
		w = strings.Trim(w, ",.()")
		if w == "" {
			continue
		}
		small := nameJoiners[Fold(w)] || Fold(w) == "on" || Fold(w) == "the"
		words = append(words, word{r: []rune(strings.ToLower(w)), optional: small})
	}
	required := 0
	for _, w := range words {
		if !w.optional {
			required++
		}
	}
	if len(letters) < 2 || required < 2 {
		return false
	}
	var match func(li, wi int) bool
	match = func(li, wi int) bool {
		if wi == len(words) {
			return li == len(letters)
		}
		w := words[wi]
		if w.optional && match(li, wi+1) {
			return true
		}
		if li == len(letters) || w.r[0] != letters[li] {
			return false
		}
		// the word's first letter, then any more from inside it
		li++
		if match(li, wi+1) {
			return true
		}
		for pos := 1; li < len(letters) && pos < len(w.r); pos++ {
			if w.r[pos] == letters[li] {
				li++
				if match(li, wi+1) {
					return true
				}
			}
		}
		return false
	}
	return match(0, 0)
}
