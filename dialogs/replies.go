package dialogs

// replies collects the messages of one Handle call, all in the session's language.
type replies struct {
	lang   string
	update string // the update being handled, for idempotent records
	msgs   []Message
}

// say adds a message without buttons.
func (r *replies) say(parts ...Text) {
	r.msgs = append(r.msgs, Message{Lang: r.lang, Parts: parts})
}

// ask adds a message with buttons.
func (r *replies) ask(parts []Text, buttons [][]Button) {
	r.msgs = append(r.msgs, Message{Lang: r.lang, Parts: parts, Buttons: buttons})
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
