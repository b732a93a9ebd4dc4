// Package intent reads a petitioner's free-text message (Chinese or English, colloquial,
// with typos, full-width or traditional characters, or told as a story) and says what it
// asks for: small talk, an intent the bot acts on (apply, status, a person, withdraw,
// privacy, language), a story whose route it works out, a question for the knowledge
// base, nothing it knows, or two readings to choose between with buttons.
//
// Classify is pure: no I/O, no model, no state. It is deterministic and safe for
// concurrent use, and it reads at most the first 600 characters of a message. The rules
// live in lexicon.yaml, embedded and compiled on first use (about 25 ms; call Default at
// start to pay it then); Compile builds a classifier from another lexicon.
//
// # How a message is read
//
//  1. Normalise: full-width to half-width (golang.org/x/text/width), lower case,
//     traditional characters to simplified (normalize.traditional), colloquial variants
//     and typos (normalize.replace: 俺→我, 申述→申诉, 进渡→进度, 拨回→驳回 …), English
//     typos and shorthand word by word (normalize.words: aply→apply, thx→thanks …).
//  2. Cut into units: one per Chinese character, one per English word or number; clause
//     punctuation becomes a clause mark ("?" its own mark). Spaces between Chinese
//     characters vanish.
//  3. Match every phrase of the lexicon. A phrase is units; `~` is a gap of up to six units
//     inside a clause, `word*` a word prefix. Within a group (intents, negators, each cue
//     list, bodies, disputes, facts) a match inside a longer one is dropped, so
//     "不想申请了" (withdraw) hides "申请", and "没打官司" (no lawsuit) hides "打官司".
//  4. Negation: a negatable phrase is negated when a negator ends at most five units before
//     it in the same clause. Look-alikes (不知道, 要不要, 有没有, 不服 …) are longer
//     negator-group entries that hide the negator inside them. A negated intent is not
//     acted on ("不用转人工"); a negated story fact becomes its explicit opposite
//     ("没有去申请再审" is no retrial application; "I have not sued" is no lawsuit).
//  5. Decide; the first step that applies gives the reading. (a) Clear intents (`when:
//     clear`): one kind is the reading, two or more kinds are Ambiguous ("我要申请，也要转人工");
//     a wish to apply with a specific question ("我想申请，要交钱吗") is a
//     question; a story with a strong litigation fact beats a wish to apply and a status
//     phrase ("法院驳回了我的再审申请，我想申请监督"). (b) A story (below). (c) The message
//     is one phrase and fillers: an `ambiguous` phrase asks ("我想撤诉", "申请"); a `when:
//     alone` intent is acted on ("申请监督", "中文"), or with a question cue becomes a
//     choice between it and a question ("申请监督？"). (d) Small talk, when alone or when
//     nothing of the domain is said. (e) A domain word makes it a Question; otherwise it
//     is None, and the knowledge base decides.
//
// # Stories
//
// Facts (lexicon.yaml, story.facts) say how far the case went: no_lawsuit, sued, first,
// second, retrial, retrial_applied, no_retrial, retrial_lost, court, lost, pending,
// rejected, late. `court` facts establish that there is a court case; `needs_court` facts
// ("还在等", "rejected", "输了") count only then. A message is a story when a strong fact is
// told about one's own case (a narrative cue such as 我家, 把我, my, we) or with a body, a
// dispute or another fact; or when a dispute, or a lawsuit against a named body, is told in
// the first person. The furthest stage told wins (see stage in classify.go), and the route
// follows: RouteRetrialFirst, RouteSupervisionNow, RouteTooEarly, RouteReconsiderOrSue, or
// RouteUnknown with one or two RouteQuestions (QuestionCourt, QuestionRetrial) whose answers
// go to Situation.Answer. Lost at first or second instance with nothing said about a
// retrial is RouteUnknown (ask QuestionRetrial): the route turns on that answer.
//
// # Extending the lexicon
//
// Add the message to testdata/firstmessages.yaml first (with its expected outcome), then a
// phrase to the right list of lexicon.yaml, in normalised form (simplified, lower case,
// no typo: Compile refuses a phrase that normalisation would change, and one listed twice).
// Prefer a short general phrase to a copy of the message; use `~` rather than listing
// each filler ("把~申请撤"). A new typo or variant goes to normalize.replace only when
// the wrong form has no other meaning ("在审" is a real word, so only "申请在审" is
// replaced). A new body or dispute goes where its specificity ranks: the first one named
// wins. Run go test ./dialogs/intent/ -run Quality -v: it prints the tuned misses.
//
// # Measured (go test ./dialogs/intent/ -run TestQualityFirstMessages -v)
//
// The set has 299 first messages, 125 in English, in three batches. Batch 1 (204) was
// written and committed before any rule existed. Batch 2 (65) was written after the first
// version of the rules, in phrasings chosen to differ from them. Batch 3 (30) was written
// after tuning on batch 2. Each batch was committed before it was scored. 111 messages are
// held out and never tuned against; the test prints only their totals. The agreement below
// is on kind, and also on route for stories and on wanted language for language changes:
//
//	part                 all                zh-Hans            en
//	tuned                100.0 % (188/188)  100.0 % (116/116)  100.0 % (72/72)
//	holdout              86.5 % (96/111)    87.9 % (51/58)     84.9 % (45/53)
//	  holdout batch 1    98.6 % (73/74)
//	  holdout batch 2    59.1 % (13/22)
//	  holdout batch 3    66.7 % (10/15); 53.3 % before tuning on the other half of batch 3
//
// Read the batch 1 holdout with care: the same person wrote it and then the rules, having
// read it, so 98.6 % flatters the rules. Batches 2 and 3 show what they do on phrasings
// they were not written for: about 55–65 %. Among the 84 holdout messages whose outcome is
// an intent, 10 are read as Question or None (the test asserts this only on the tuned part;
// asserting it on the holdout would mean tuning against it). Grow the lexicon from real
// first messages (the unanswered questions of /kbstats), with a fresh holdout each time.
//
// Speed (go test -bench . on 2 shared cores): about 10 µs and 30 allocations per message
// of the set, 0.4–0.5 ms for a 600-character paste; Compile about 25 ms.
package intent
