package dialogs

import (
	"context"
	"fmt"
)

// registerForm asks staff for a matter that reached the procuratorate outside the bot: a
// petition-bureau referral or another source. Its source counts in the statistics.
var registerForm = []formStep{
	{id: "source", kind: stepChoice, choices: []formChoice{
		{value: string(SourceBureau), label: "source.petition_bureau"}, {value: string(SourceOther), label: sourceLabel(SourceOther)}}},
	textStep("body", 100),
	{id: "dispute", kind: stepChoice, choices: disputeChoices()},
	{id: "court", kind: stepText, max: 60, optional: true},
	textStep("facts", maxFacts),
	{id: "name", kind: stepText, max: 50, optional: true},
	{id: "phone", kind: stepText, max: 30, optional: true},
}

func disputeChoices() []formChoice {
	f, _, _ := fieldByID("dispute")
	out := make([]formChoice, len(f.choices))
	for i, c := range f.choices {
		out[i] = formChoice{value: c.value, label: c.label}
	}
	return out
}

// register records a registered matter as a new case; its card goes to the staff group.
func (e *Engine) register(ctx context.Context, r *replies, in Input, v map[string]string) error {
	now := e.now()
	no, err := e.cases.Reserve(ctx, "reg:"+in.UpdateID, now.Year())
	if err != nil {
		return fmt.Errorf("reserve a case number: %w", err)
	}
	values := map[string]string{}
	for _, k := range []string{"body", "dispute", "court", "facts", "name", "phone"} {
		if v[k] != "" {
			values[k] = v[k]
		}
	}
	c := Case{Number: no, Source: Source(v["source"]), Lang: e.cfg.DefaultLang, Values: values}
	nc, err := e.act(r, c, e.staffAct(in, ActSubmit))
	if err != nil {
		return fmt.Errorf("register a case: %w", err)
	}
	r.say(T("register.done", "Number", nc.Number))
	return nil
}
