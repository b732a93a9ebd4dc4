package dialogs

// Steps is the number of numbered steps shown in the progress line ("步骤 3/11").
const Steps = 11

// choice is one button of a choice field: the stored value and its label key.
type choice struct {
	value, label string
}

// field is one question of the application flow. Text fields have a parser; choice
// fields have choices. applies says whether the question is asked for this draft.
type field struct {
	id       string
	step     int
	choices  []choice
	optional bool                                       // a "skip" button is offered
	applies  func(d *Draft) bool                        // nil means always
	parse    func(e *Engine, d *Draft, s string) parsed // text fields
	docs     bool                                       // the documents step
}

// parsed is a parser's verdict: the normalised value, or the error text to show.
type parsed struct {
	value string
	err   *Text
}

func yesNo(prefix string) []choice {
	return []choice{{"yes", prefix + ".yes"}, {"no", prefix + ".no"}}
}

func is(id, v string) func(d *Draft) bool {
	return func(d *Draft) bool { return d.get(id) == v }
}

func all(fs ...func(d *Draft) bool) func(d *Draft) bool {
	return func(d *Draft) bool {
		for _, f := range fs {
			if !f(d) {
				return false
			}
		}
		return true
	}
}

func individual(d *Draft) bool  { return d.get("applicant_type") == "individual" }
func sensitiveOK(d *Draft) bool { return d.get("consent_sensitive") == "yes" }
func hasAgent(d *Draft) bool    { return d.get("representation") == "agent" || isMinor(d) }

// yesNoUnsure are the buttons of a question a petitioner may not know the answer to.
func yesNoUnsure() []choice {
	return []choice{{"yes", "answer.yes"}, {"no", "answer.no"}, {"unsure", "answer.unsure"}}
}

// judgmentRoute reports whether the screening is about an effective judgment with the
// given retrial status.
func judgmentRoute(retrial string) func(d *Draft) bool {
	return func(d *Draft) bool { return d.get("target") == "judgment" && d.get("retrial") == retrial }
}

// flow is the application, in order. Field ids are stable: they are stored in drafts and
// cases and appear in callback data. Step 2 is the screening (screening.go); a lead
// (intake.go) skips what only a supervision application needs.
var flow = []field{
	{id: "consent", step: 1, choices: []choice{{"yes", "consent.agree"}, {"no", "consent.decline"}}},
	{id: "consent_abroad", step: 1, choices: []choice{{"yes", "consent.agree"}, {"no", "consent.abroad_decline"}}},
	{id: "consent_sensitive", step: 1, choices: []choice{{"yes", "consent.agree"}, {"no", "consent.sensitive_decline"}}},

	{id: "target", step: 2, choices: []choice{
		{"judgment", "target.judgment"}, {"personnel", "target.personnel"}, {"enforcement", "target.enforcement"},
		{"pending", "target.pending"}, {"no_suit", "target.no_suit"}}},
	{id: "lead", step: 2, applies: isLead, choices: []choice{{"send", "lead.send"}, {"stop", "lead.stop"}}},
	{id: "retrial", step: 2, applies: is("target", "judgment"), choices: []choice{
		{"rejected", "retrial.rejected"}, {"overdue", "retrial.overdue"}, {"retrial_wrong", "retrial.retrial_wrong"},
		{"reviewing", "retrial.reviewing"}, {"retrying", "retrial.retrying"}, {"decided", "retrial.decided"},
		{"none", "retrial.none"}}},
	{id: "retrial_late", step: 2, applies: judgmentRoute("rejected"), choices: yesNoUnsure()},
	{id: "retrial_origin", step: 2, applies: judgmentRoute("retrial_wrong"), choices: yesNoUnsure()},
	{id: "extension", step: 2, applies: judgmentRoute("overdue"), choices: yesNoUnsure()},
	{id: "enf_remedy", step: 2, applies: is("target", "enforcement"), choices: []choice{
		{"decided", "enf_remedy.decided"}, {"pending", "enf_remedy.pending"}, {"none", "enf_remedy.none"},
		{"unsure", "answer.unsure"}}},
	{id: "service", step: 2, applies: all(judgmentRoute("rejected"), func(d *Draft) bool { return d.get("retrial_late") != "yes" }),
		choices: []choice{
			{"signed", "service.signed"}, {"left", "service.left"}, {"post", "service.post"},
			{"electronic", "service.electronic"}, {"notice", "service.notice"}, {"unsure", "answer.unsure"}}},
	{id: "key_date", step: 2, applies: needsKeyDate, parse: parseKeyDate},
	{id: "discovered", step: 2, applies: mayBeDiscovered, choices: yesNo("answer")},
	{id: "discovered_date", step: 2, applies: all(mayBeDiscovered, is("discovered", "yes")), parse: parseKeyDate},
	{id: "screen_ack", step: 2, applies: notNow, choices: []choice{{"continue", "screen_ack.continue"}, {"stop", "screen_ack.stop"}}},

	{id: "applicant_type", step: 3, choices: []choice{{"individual", "applicant_type.individual"}, {"org", "applicant_type.org"}}},
	{id: "org_name", step: 3, applies: is("applicant_type", "org"), parse: textOf(2, 100)},
	{id: "org_code", step: 3, applies: is("applicant_type", "org"), parse: parseCreditCode},
	{id: "legal_rep", step: 3, applies: is("applicant_type", "org"), parse: parseName},
	{id: "name", step: 3, applies: individual, parse: parseName},
	{id: "id_type", step: 3, applies: all(individual, sensitiveOK), choices: []choice{{"resident", "id_type.resident"}, {"other", "id_type.other_doc"}}},
	{id: "id_number", step: 3, applies: all(individual, sensitiveOK, is("id_type", "resident")), parse: parseIDNumber},
	{id: "other_doc_type", step: 3, applies: all(individual, sensitiveOK, is("id_type", "other")), parse: textOf(2, 30)},
	{id: "other_doc_number", step: 3, applies: all(individual, sensitiveOK, is("id_type", "other")), parse: parseDocNumber},
	{id: "ethnicity", step: 3, applies: individual, parse: textOf(1, 20)},
	{id: "occupation", step: 3, applies: individual, optional: true, parse: textOf(1, 100)},
	{id: "address", step: 3, parse: textOf(5, 200)},
	{id: "phone", step: 3, parse: parsePhone},
	{id: "representation", step: 3, applies: func(d *Draft) bool { return !isMinor(d) }, choices: []choice{
		{"self", "representation.self"}, {"agent", "representation.agent"}}},
	{id: "agent_name", step: 3, applies: hasAgent, parse: parseName},
	{id: "agent_relation", step: 3, applies: hasAgent, parse: textOf(1, 30)},
	{id: "agent_phone", step: 3, applies: hasAgent, parse: parsePhone},

	{id: "body", step: 4, parse: textOf(2, 100)},
	{id: "body_address", step: 4, optional: true, parse: textOf(2, 200)},

	{id: "court", step: 5, applies: inCourt, parse: textOf(2, 60)},
	{id: "case_number", step: 5, applies: inCourt, parse: parseCaseNumber},
	{id: "judgment_date", step: 5, applies: supervisionIntake, parse: parseJudgmentDate},
	{id: "first_judgment_date", step: 5, applies: pendingIntake, optional: true, parse: parseJudgmentDate},

	{id: "dispute", step: 6, choices: []choice{
		{"land", "dispute.land"}, {"house", "dispute.house"}, {"penalty", "dispute.penalty"},
		{"licensing", "dispute.licensing"}, {"social", "dispute.social"}, {"disclosure", "dispute.disclosure"},
		{"other", "dispute.other_type"}}},
	{id: "request", step: 7, parse: textOf(10, maxRequest)},
	{id: "facts", step: 8, parse: textOf(20, maxFacts)},
	{id: "documents", step: 9, docs: true},
	{id: "mediation", step: 10, choices: yesNo("mediation")},
	{id: "review", step: 11},
}

// Length limits stated to the petitioner up front.
const (
	maxRequest = 500
	maxFacts   = 3000
	maxDocs    = 20
)

func fieldByID(id string) (field, int, bool) {
	for i, f := range flow {
		if f.id == id {
			return f, i, true
		}
	}
	return field{}, -1, false
}

func (f field) appliesTo(d *Draft) bool { return f.applies == nil || f.applies(d) }

func (f field) hasChoice(v string) bool {
	for _, c := range f.choices {
		if c.value == v {
			return true
		}
	}
	return false
}

func (f field) label(v string) string {
	for _, c := range f.choices {
		if c.value == v {
			return c.label
		}
	}
	return ""
}

// next returns the first applicable field after index i, or "review".
func next(d *Draft, i int) string {
	for j := i + 1; j < len(flow); j++ {
		if flow[j].appliesTo(d) {
			return flow[j].id
		}
	}
	return "review"
}

// prev returns the last applicable field before index i, or "" at the start.
func prev(d *Draft, i int) string {
	for j := i - 1; j >= 0; j-- {
		if flow[j].appliesTo(d) {
			return flow[j].id
		}
	}
	return ""
}
