package dialogs

import "strconv"

// replies collects the effects of one Handle call: the messages to the chat being handled
// (in the session's language), deliveries to others, and the records to store with them.
type replies struct {
	lang   string
	update string    // the update being handled: deliveries and records are keyed on it
	to     Recipient // the chat being handled
	button bool      // the input is a button press: a toast can answer it
	msgs   []Message
	others []Delivery
	fx     Effects
}

// say adds a message without buttons.
func (r *replies) say(parts ...Text) {
	r.msgs = append(r.msgs, Message{Lang: r.lang, Parts: parts})
}

// ask adds a message with buttons.
func (r *replies) ask(parts []Text, buttons [][]Button) {
	r.msgs = append(r.msgs, Message{Lang: r.lang, Parts: parts, Buttons: buttons})
}

// send adds a message for someone else than the chat being handled.
func (r *replies) send(d Delivery) { r.others = append(r.others, d) }

// writeCase stores c, which was read at version expect (0: c is new).
func (r *replies) writeCase(c Case, expect int64) {
	r.fx.Cases = append(r.fx.Cases, CaseWrite{Case: c, Expect: expect})
}

// effects returns everything collected, with the session s; every delivery gets an id
// unique to this update. The replies to the chat being handled become one message — notes,
// answers and the next question together, the buttons of all of them below — because
// Telegram allows about one message per second per chat: every extra message is a second
// the user waits.
func (r *replies) effects(s Session) Effects {
	fx := r.fx
	fx.Session = s
	if m, ok := merge(r.msgs); ok {
		fx.Deliveries = append(fx.Deliveries, Delivery{To: r.to, Msg: m})
	}
	fx.Deliveries = append(fx.Deliveries, r.others...)
	for i := range fx.Deliveries {
		fx.Deliveries[i].ID = r.update + "/" + strconv.Itoa(i)
	}
	return fx
}

// merge joins messages into one: their parts in order, their buttons' rows in order.
func merge(msgs []Message) (Message, bool) {
	if len(msgs) == 0 {
		return Message{}, false
	}
	m := Message{Lang: msgs[0].Lang}
	for _, x := range msgs {
		for i, p := range x.Parts {
			if i == 0 {
				p.Tight = false // each reply starts a paragraph of its own
			}
			m.Parts = append(m.Parts, p)
		}
		m.Buttons = append(m.Buttons, x.Buttons...)
	}
	return m, true
}

func btn(label, data string) Button { return Button{Label: T(label), Data: data} }

func row(bs ...Button) []Button { return bs }

func langButtons() [][]Button {
	return [][]Button{row(btn("lang.zh", "l:"+LangZh), btn("lang.en", "l:"+LangEn))}
}

func menuButtons() [][]Button {
	return [][]Button{
		row(btn("menu.apply", "m:apply")),
		row(btn("menu.ask", "m:ask")),
		row(btn("menu.cases", "m:cases"), btn("menu.lang", "m:lang")),
		row(btn("menu.privacy", "m:privacy")),
	}
}

// yesNoButtons answers the pending question what ("cancel", "privacy", "w:<case>"): a
// press is honoured only while that same question is pending.
func yesNoButtons(what string) [][]Button {
	return [][]Button{row(btn("confirm.yes", "c:yes:"+what), btn("confirm.no", "c:no:"+what))}
}
