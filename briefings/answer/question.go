// Package answer answers members' questions from a library of briefings:
// it works out what kind of answer a question wants (a date, a place, a
// person, a figure, an explanation), recalls the facts, events, actors and
// briefing text that share its words (their stems, related words and
// number words included), ranks them for that kind, and refuses what the
// library doesn't hold. /ask renders the result; a language model, when
// one is configured, phrases an answer from the same records.
package answer

import (
	"strings"
	"unicode"

	"briefbot/briefings"
)

// Kind is what a question asks for.
type Kind int

// The kinds of question.
const (
	// What asks about something: facts and briefing text answer it.
	What Kind = iota
	// When asks for a date: an event's date answers it.
	When
	// Where asks for a place: an event's location answers it.
	Where
	// Who asks for a person or a body: actors and attributions answer it.
	Who
	// HowMany asks for a figure: facts with numbers answer it.
	HowMany
	// Why asks for a reason: facts and briefing text answer it.
	Why
)

// String names the kind.
func (k Kind) String() string {
	return [...]string{"what", "when", "where", "who", "how many", "why"}[k]
}

// Term is one content word of a question.
type Term struct {
	// Word is the word as folded; Stem its Porter stem.
	Word, Stem string
	// Name is set for a word written with a capital inside the question
	// (or in capitals), part of a name: a passage that answers the
	// question must name it too.
	Name bool
	// Weak is set for a word too common to tell records apart ("people",
	// "held" in "where was it held"): it counts in the ranking, not in
	// whether a record covers the question.
	Weak bool
	// Phrase numbers the name a word belongs to, so that "Kim Jong Un" is
	// one name matched by any of its words; -1 for other words.
	Phrase int
	// Alts are the stems of related words and the other form of a number;
	// Forms are those words as written, to look them up.
	Alts, Forms []string
	// Pos is the word's place in the question, counting every word.
	Pos int
	// Says is set for the word right before a verb of saying: "the
	// forecaster" in "what did the forecaster say".
	Says bool
}

// Question is a question as the answerer reads it.
type Question struct {
	// Text is the question as asked.
	Text string
	// Kind is what it asks for.
	Kind Kind
	// Terms are its content words, in order, without repeats.
	Terms []Term
	// Key is the index in Terms of the deed or role a "who" question
	// asks about, its first word that is not a name ("built" in "who
	// built the spaceport", "mayor" in "who is the mayor of Corvel"), or
	// -1.
	Key int
	// Count is the index in Terms of what a "how many" question counts
	// ("ships" in "how many ships are waiting"), or -1.
	Count int
	// Next and Last are set when it asks for the coming or the latest
	// event ("when is the next vote").
	Next, Last bool
	// Now is set for a question in the present or future tense ("who is
	// buying the club", "what will the bank do"): it asks about the news,
	// not the history behind it.
	Now bool
}

// kindPhrases recognise a question's kind, first match wins; their words
// say what is asked, not what about, and are not content words.
var kindPhrases = []struct {
	kind    Kind
	phrases []string
}{
	{HowMany, []string{"how many", "how much", "how large", "how big", "how high", "how far", "how long", "how often",
		"how old", "how deep", "how wide", "how tall", "how heavy", "how fast", "how hot", "how cold", "how close",
		"how expensive", "how severe", "how strong", "what number", "what percentage", "what proportion", "what share", "what amount", "what figure",
		"what is the number", "what was the number", "what is the toll", "what was the toll", "what size"}},
	{When, []string{"when", "what year", "which year", "what date", "which date", "what day", "which day",
		"what month", "which month", "what time", "since when", "how soon", "until when"}},
	{Where, []string{"where", "what city", "which city", "what town", "which town", "what place", "which place",
		"what venue", "which venue", "what location", "in which country", "in what country"}},
	{Who, []string{"who", "whom", "whose", "which person", "which organization", "which organisation",
		"which group", "which country", "what country", "which company", "what company", "which official",
		"what organization", "what organisation", "what group", "which leader", "which agency"}},
	{Why, []string{"why", "what caused", "what led to", "for what reason", "what reason", "what was the reason",
		"what is the reason", "how come"}},
}

// stopWords say nothing about what a question is about.
var stopWords = map[string]bool{}

// timeClause are the words that open a clause saying when something in
// the question happened.
var timeClause = map[string]bool{"after": true, "before": true, "since": true, "during": true, "following": true, "until": true,
	"while": true}

// weakWords are content words too common in questions to tell records
// apart on their own ("how many people live in …"): they count in the
// ranking, not in whether a record covers the question.
var weakWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`people person persons men women children thing things time times year years
		day days number part way ways country countries place places result results outcome situation status
		update details information affected affect`) {
		weakWords[stem(w)] = true
	}
}

// occurWords say that something happens; in a question about when or
// where, they are weak.
var occurWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`held hold happen happened occur occurred located locate based take taken
		given give made make done be been start started begin began end ended handed hand issued issue delivered`) {
		occurWords[stem(w)] = true
	}
}

// timeWords ask for the coming or latest occurrence; they are not content
// words.
var (
	nextWords = map[string]bool{"next": true, "upcoming": true, "coming": true, "future": true, "planned": true, "scheduled": true}
	lastWords = map[string]bool{"last": true, "latest": true, "recent": true, "recently": true, "previous": true, "most": true}
)

func init() {
	for _, w := range strings.Fields(`a about above after again against all also am an and any anyone anything are as at
		be because been before behind being below between both but by can could did do does doing done down during
		each either ever few for from further get gets got had has have having he her here hers him his how
		i if in into is it its itself just know let lot many me more much my no nor not now of off on put
		once only or other our ours out over please same since so some something still such than that the
		their theirs them then there these they this those through to today too under until up upon us very
		want was we were what whats when where which while who whom whose why will with without would yet you
		your s t d ll re ve tell show explain describe give list say happen happened happening take took
		place took-place go going went kind sort type thing things anybody someone one`) {
		stopWords[w] = true
	}
}

// Analyze reads a question: its kind and its content words.
func Analyze(text string) Question {
	q := Question{Text: text}
	folded := " " + strings.Join(words(text), " ") + " "
	q.Kind = What
	best := len(folded) + 1
	for _, k := range kindPhrases {
		for _, p := range k.phrases {
			if i := strings.Index(folded, " "+p+" "); i >= 0 && i < best {
				best, q.Kind = i, k.kind
			}
		}
	}
	// "which doctor raised the alarm": a person asked for by role
	if q.Kind == What {
		fs := strings.Fields(folded)
		for i := 0; i+1 < len(fs); i++ {
			if (fs[i] == "which" || fs[i] == "what") && (personWords[stem(fs[i+1])] || roleWords[stem(fs[i+1])]) {
				q.Kind = Who
				break
			}
		}
	}
	toks := tokens(text)
	folds := make([]string, len(toks))
	for i, tok := range toks {
		folds[i] = briefings.Fold(tok)
	}
	toks, folds, again := rewritePhrases(toks, folds)
	for i, f := range folds {
		if f == "will" || (f == "is" || f == "are" || f == "am") && i+1 < len(folds) && strings.HasSuffix(folds[i+1], "ing") {
			q.Now = true
		}
	}
	// the words of the phrase that says what is asked ("what year",
	// "which company") are not what it is asked about
	asking := map[int]bool{}
	for _, k := range kindPhrases {
		for _, p := range k.phrases {
			pw := strings.Fields(p)
			for i := 0; i+len(pw) <= len(folds); i++ {
				if strings.Join(folds[i:i+len(pw)], " ") == p {
					for j := range pw {
						asking[i+j] = true
					}
				}
			}
		}
	}
	seen := map[string]bool{}
	phrase, inName := -1, false
	// "what happened to the dalan after the rate decision": the words of
	// a time clause place the question, they are not what it asks about
	inTime := false
	for i, tok := range toks {
		w := folds[i]
		if timeClause[w] && len(q.Terms) > 0 {
			inTime = true
		}

		if asking[i] {
			inName = false
			continue
		}
		if nextWords[w] {
			q.Next = true
		}
		if lastWords[w] {
			q.Last = true
		}
		if stopWords[w] || stopWords[stem(w)] || nextWords[w] || lastWords[w] {
			inName = false
			continue
		}
		name := isName(tok, i)
		if name && !inName {
			phrase++
		}
		inName = name
		st := stem(w)
		if seen[st] {
			continue
		}
		seen[st] = true
		says := i+1 < len(folds) && (sayingWords[stem(folds[i+1])] || plainSaying[stem(folds[i+1])])
		t := Term{Word: w, Stem: st, Name: name, Phrase: -1, Pos: i, Says: says,
			Weak: weakWords[st] || isNumber(w) || ((q.Kind == When || q.Kind == Where) && occurWords[st]) ||
				sayingWords[st] || (inTime && !name)}
		if name {
			t.Phrase = phrase
		}
		t.Alts = append(t.Alts, Related(st)...)
		t.Forms = append(t.Forms, relatedForms[st]...)
		if !name {
			// only to match: recalling by every made-up noun would cost
			// a lookup each
			for _, v := range append([]string{w}, relatedForms[st]...) {
				for _, a := range agentNouns(v, stem(v)) {
					t.Alts = append(t.Alts, stem(a))
				}
			}
		}
		// "open again": the record says "reopen", or "open" at least
		if plain, ok := again[i]; ok {
			t.Alts, t.Forms = append(t.Alts, stem(plain)), append(t.Forms, plain)
		}
		if other := otherSpelling(w); other != "" {
			t.Alts, t.Forms = append(t.Alts, stem(other)), append(t.Forms, other)
		}
		if d := NumberWord(w); d != "" {
			t.Alts, t.Forms = append(t.Alts, d), append(t.Forms, d)
		} else if nw := digitWords[w]; nw != "" {
			t.Alts, t.Forms = append(t.Alts, nw), append(t.Forms, nw)
		}
		q.Terms = append(q.Terms, t)
	}
	q.Count = countedWord(toks, folds, q.Terms)
	q.Key = -1
	for i, t := range q.Terms {
		if q.Kind == Who && !t.Name {
			// "who is behind the hospital ransomware attack": the
			// last of the words that stand together, the head noun;
			// not past a verb right after "who" ("who runs brightwell
			// labs")
			for t.Pos > 1 && i+1 < len(q.Terms) && !q.Terms[i+1].Name && q.Terms[i+1].Pos == q.Terms[i].Pos+1 {
				i++
			}
			q.Key = i
			break
		}
	}
	return q
}

// agentNouns returns the nouns for one who does what a verb of the
// question says: "driving" → "driver", "governs" → "governor", "runs" →
// "runner". Records name people by such nouns ("the driver, Tobias
// Renn"), questions by the verb ("who was driving"). Nouns no record uses
// match nothing.
func agentNouns(w, st string) []string {
	if len(st) < 3 || strings.HasSuffix(st, "er") || strings.HasSuffix(st, "or") || isNumber(w) {
		return nil
	}
	base := st // "driving" and "drives" stem to "drive"
	var out []string
	if strings.HasSuffix(base, "e") {
		out = append(out, base+"r")
	} else {
		out = append(out, base+"er", base+"or")
		if n := len(base); n >= 3 && !isVowel(base[n-1]) && isVowel(base[n-2]) && !isVowel(base[n-3]) &&
			!strings.ContainsRune("wxy", rune(base[n-1])) {
			out = append(out, base+base[n-1:]+"er")
		}
	}
	return out
}

func isVowel(b byte) bool { return strings.IndexByte("aeiou", b) >= 0 }

// spellingPairs are British and American endings of one word, each with
// the fewest letters that must come before it: -ise/-ize
// ("hospitalised"), -our/-or ("labour", "favourite") and -re/-er of
// measures and a few nouns ("kilometres", "centre"). Porter stems keep
// them apart; rare words an ending turns into (an "-our" form of "motor")
// match nothing and cost nothing.
var spellingPairs = []struct {
	british, american string
	before            int
}{
	{"isation", "ization", 4}, {"ised", "ized", 4}, {"ising", "izing", 4}, {"ises", "izes", 4}, {"ise", "ize", 4},
	{"ourite", "orite", 3}, {"ourable", "orable", 3}, {"ouring", "oring", 3}, {"oured", "ored", 3},
	{"ours", "ors", 3}, {"our", "or", 3},
	{"metres", "meters", 0}, {"metre", "meter", 0}, {"litres", "liters", 0}, {"litre", "liter", 0},
	{"centres", "centers", 0}, {"centre", "center", 0}, {"theatres", "theaters", 0}, {"theatre", "theater", 0},
	{"fibres", "fibers", 0}, {"fibre", "fiber", 0},
}

// otherSpelling returns the American spelling of a British word and the
// other way round ("hospitalised", "hospitalized"; "labour", "labor"), or
// "" (see spellingPairs).
func otherSpelling(w string) string {
	for _, p := range spellingPairs {
		if stem, ok := strings.CutSuffix(w, p.british); ok && len(stem) >= p.before {
			return stem + p.american
		}
		// "floor" and "door" are no -or words
		if stem, ok := strings.CutSuffix(w, p.american); ok && len(stem) >= p.before &&
			!(strings.HasPrefix(p.american, "or") && strings.HasSuffix(stem, "o")) {
			return stem + p.british
		}
	}
	return ""
}

// tokens splits text into words as written (case and combining marks
// kept), digits joined by "," or "." kept whole.
func tokens(text string) []string { return splitWords(text, true) }

// roleWords name people by what they do, for "which doctor …" questions.
var roleWords = stems(`doctor nurse minister official judge firefighter officer coach player lawyer scientist engineer
	manager director executive chief president leader mayor governor spokesman spokeswoman spokesperson analyst
	economist expert reporter journalist witness victim suspect founder owner chairman chair premier teacher`)

// commonAcronyms are written in capitals but name no one: "MPs" are
// members of parliament.
var commonAcronyms = map[string]bool{"mp": true, "mps": true, "ceo": true, "ceos": true, "pm": true}

// isName reports whether a word is part of a name: capitalized and not the
// question's first word, or in capitals (an acronym) anywhere.
func isName(tok string, at int) bool {
	rs := []rune(tok)
	if len(rs) == 0 || !unicode.IsUpper(rs[0]) || commonAcronyms[strings.ToLower(tok)] {
		return false
	}
	if len(rs) > 1 && strings.ToUpper(tok) == tok {
		return true
	}
	return at > 0
}

// Words returns the words to recall passages by, at most max of them in
// all: the question's words, then, as forms, their related words and
// number forms. A record holding every word ranks first whatever forms
// it holds (briefings.RecallQuery).
func (q Question) Words(max int) (words, forms []string) {
	seen := map[string]bool{}
	add := func(to *[]string, w string) {
		if len(words)+len(forms) < max && !seen[w] {
			seen[w] = true
			*to = append(*to, w)
		}
	}
	for _, t := range q.Terms {
		add(&words, t.Word)
	}
	for _, t := range q.Terms {
		for _, f := range t.Forms {
			add(&forms, f)
		}
	}
	return words, forms
}
