package intent

// Kind is what a message asks the bot to do.
type Kind string

// The kinds of Reading. Only the intents (Apply, Status, Human, Withdraw, Privacy,
// Language) and SmallTalk are meant to be acted on directly; Story gets the route for the
// situation, Question and None go to the knowledge base, and Ambiguous asks with buttons.
const (
	// None: nothing recognised. The knowledge base decides, out of scope included.
	None Kind = "none"
	// SmallTalk: a greeting, thanks, goodbye or "who are you"; Reading.Talk says which.
	SmallTalk Kind = "smalltalk"
	// Apply: the petitioner wants to start (or go on with) a supervision application.
	Apply Kind = "apply"
	// Status: the petitioner asks where their own case stands.
	Status Kind = "status"
	// Human: the petitioner wants a person (staff, a prosecutor, a phone call).
	Human Kind = "human"
	// Withdraw: the petitioner wants to withdraw their application.
	Withdraw Kind = "withdraw"
	// Privacy: the petitioner wants their personal data deleted.
	Privacy Kind = "privacy"
	// Language: the petitioner wants the bot to speak another language; Reading.Lang says which.
	Language Kind = "language"
	// Story: the message describes the petitioner's situation; Reading.Story says what it
	// tells about the route.
	Story Kind = "story"
	// Question: a question for the knowledge base ("怎么申请", "申请要钱吗").
	Question Kind = "question"
	// Ambiguous: two or more readings are plausible; Reading.Alternatives lists them so
	// the bot can ask with buttons. Nothing is acted on until the petitioner chooses.
	Ambiguous Kind = "ambiguous"
)

// Talk is the sort of small talk.
type Talk string

// The sorts of small talk.
const (
	Greeting Talk = "greeting"
	Thanks   Talk = "thanks"
	Goodbye  Talk = "goodbye"
	Identity Talk = "identity" // "are you a robot", "is this the procuratorate"
)

// Language codes, the same strings as the conversation engine's.
const (
	LangZh = "zh-Hans"
	LangEn = "en"
)

// Reading is what Classify makes of one message.
type Reading struct {
	Kind Kind
	// Talk is set when Kind is SmallTalk.
	Talk Talk
	// Lang is the wanted language (LangZh or LangEn) when Kind is Language.
	Lang string
	// Alternatives is set when Kind is Ambiguous: two or more distinct kinds, in a stable
	// order, among Apply, Status, Human, Withdraw, Privacy, Language and Question.
	// Question stands for "a question to the knowledge base about the same words".
	Alternatives []Kind
	// Story is set (non-nil) when Kind is Story.
	Story *Situation
	// Written is the language the message is written in: LangZh when it has Chinese
	// characters (and not fewer than English words), LangEn when it has English words,
	// "" when it has neither (digits, emoji, nothing).
	Written string
	// Rules names the lexicon rules that decided, for tests and logs (ids such as
	// "apply.clear" or "fact.lost"; never the message text).
	Rules []string
}

// Clear reports whether the reading can be acted on without asking: every Kind except
// Ambiguous.
func (r Reading) Clear() bool { return r.Kind != Ambiguous }
