// Package bot connects the dialogs engine to its transports: Telegram (long polling with
// the telegram-bot-api client, imported as tgbotapi, nowhere else) and the console. It
// renders dialogs.Messages from the locale bundle, keeps one chat's updates in order while
// different chats run concurrently, confirms an update to Telegram only after its result
// is stored, and delivers the stored outbox and staff notices with retries and rate
// limits.
package bot
