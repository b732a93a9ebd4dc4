// Package dialogs is the heart of petitionbot: the conversation logic for petitioners,
// independent of Telegram and of storage. It takes an Input (a chat's text, button press
// or attachment) and a Session, changes the session and returns Messages made of locale
// keys, arguments and buttons; a transport (bot.Telegram, bot.Console) renders and sends
// them. Storage and the case register are reached through the small interfaces declared
// here (SessionStore, Cases), so tests run the whole flow without Telegram.
//
// A user's mistake is never an error: it is a reply naming what is wrong. Errors returned
// by this package are infrastructure failures, wrapped with the chat id only.
package dialogs
