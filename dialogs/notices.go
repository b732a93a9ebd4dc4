package dialogs

// The personal-data notices that depend on the configuration: where typed questions go
// when a language model phrases the answers (Personal Information Protection Law
// Arts. 17 and 23).

// llmNotice says, when a language model is configured, that questions are sent to its
// provider; nil otherwise.
func (e *Engine) llmNotice(key string) []Text {
	if e.cfg.LLMProvider == "" {
		return nil
	}
	return []Text{T(key, "Provider", e.cfg.LLMProvider)}
}

// askPrompt invites a question, saying where it goes when a language model is configured.
func (e *Engine) askPrompt() []Text {
	return append([]Text{T("kb.ask_prompt")}, e.llmNotice("kb.llm_notice")...)
}

// privacyTexts is the personal-data notice of /privacy.
func (e *Engine) privacyTexts() []Text {
	out := []Text{withRetention(T("privacy.text", "Name", e.cfg.Procuratorate.Name, "Days", e.ttlDays()), e.cfg.CaseRetention)}
	return append(out, e.llmNotice("privacy.llm")...)
}
