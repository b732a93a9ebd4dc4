package bot

import (
	"context"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/petitionbot/petitionbot/dialogs"
)

// setCommands sets the command menus: the petitioners' everywhere by default, the staff's in
// the staff chat and in each staff user's private chat, in Chinese (the default) and in
// English (for English clients). Best effort: a failure is logged and the bot goes on.
func (t *Telegram) setCommands(ctx context.Context) {
	scopes := []struct {
		scope tgbotapi.BotCommandScope
		names []string
		staff bool
	}{
		{tgbotapi.NewBotCommandScopeDefault(), dialogs.PetitionerCommandNames(), false},
		{tgbotapi.NewBotCommandScopeChat(t.staffChatID()), dialogs.StaffCommandNames(), true},
	}
	for _, id := range t.cfg.StaffUserIDs {
		scopes = append(scopes, struct {
			scope tgbotapi.BotCommandScope
			names []string
			staff bool
		}{tgbotapi.NewBotCommandScopeChat(id), dialogs.StaffCommandNames(), true})
	}
	for _, sc := range scopes {
		for _, lang := range []string{dialogs.LangZh, dialogs.LangEn} {
			var cmds []tgbotapi.BotCommand
			for _, n := range sc.names {
				key := "cmd." + n
				if sc.staff && n == "help" {
					key = "cmd.staff_help"
				}
				desc, err := t.render.Label(lang, dialogs.T(key))
				if err != nil {
					t.log.Error("a command description is missing from the locales", "err", err)
				}
				cmds = append(cmds, tgbotapi.BotCommand{Command: n, Description: desc})
			}
			cfg := tgbotapi.NewSetMyCommandsWithScope(sc.scope, cmds...)
			if lang == dialogs.LangEn {
				cfg.LanguageCode = "en"
			}
			if err := t.limits.wait(ctx, 0); err != nil {
				return
			}
			if _, err := t.request(cfg); err != nil {
				t.log.Warn("setting the command menu failed", "code", errCode(err))
			}
		}
	}
}
