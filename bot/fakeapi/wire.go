package fakeapi

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Wire types: the subset of Bot API objects the fake produces, with the real field names.

type wireUser struct {
	ID            int64  `json:"id"`
	IsBot         bool   `json:"is_bot"`
	FirstName     string `json:"first_name"`
	Username      string `json:"username,omitempty"`
	LanguageCode  string `json:"language_code,omitempty"`
	CanJoinGroups *bool  `json:"can_join_groups,omitempty"`
	CanReadAll    *bool  `json:"can_read_all_group_messages,omitempty"`
	InlineQueries *bool  `json:"supports_inline_queries,omitempty"`
}

type wireChat struct {
	ID        int64  `json:"id"`
	Type      string `json:"type"`
	Title     string `json:"title,omitempty"`
	Username  string `json:"username,omitempty"`
	FirstName string `json:"first_name,omitempty"`
}

type wireEntity struct {
	Type   string `json:"type"`
	Offset int    `json:"offset"`
	Length int    `json:"length"`
}

type wireFile struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	FileSize     int    `json:"file_size,omitempty"`
	FilePath     string `json:"file_path,omitempty"`
}

type wirePhotoSize struct {
	wireFile
	Width  int `json:"width"`
	Height int `json:"height"`
}

type wireDocument struct {
	wireFile
	FileName string `json:"file_name,omitempty"`
	MimeType string `json:"mime_type,omitempty"`
}

type wireSticker struct {
	wireFile
	Width      int    `json:"width"`
	Height     int    `json:"height"`
	IsAnimated bool   `json:"is_animated"`
	Emoji      string `json:"emoji,omitempty"`
}

type wireVoice struct {
	wireFile
	Duration int    `json:"duration"`
	MimeType string `json:"mime_type,omitempty"`
}

type wireLocation struct {
	Longitude float64 `json:"longitude"`
	Latitude  float64 `json:"latitude"`
}

type wireMessage struct {
	MessageID         int             `json:"message_id"`
	From              *wireUser       `json:"from,omitempty"`
	Chat              wireChat        `json:"chat"`
	Date              int64           `json:"date"`
	EditDate          int64           `json:"edit_date,omitempty"`
	ReplyToMessage    *wireMessage    `json:"reply_to_message,omitempty"`
	Text              string          `json:"text,omitempty"`
	Entities          []wireEntity    `json:"entities,omitempty"`
	Photo             []wirePhotoSize `json:"photo,omitempty"`
	Document          *wireDocument   `json:"document,omitempty"`
	Sticker           *wireSticker    `json:"sticker,omitempty"`
	Voice             *wireVoice      `json:"voice,omitempty"`
	Location          *wireLocation   `json:"location,omitempty"`
	MigrateToChatID   int64           `json:"migrate_to_chat_id,omitempty"`
	MigrateFromChatID int64           `json:"migrate_from_chat_id,omitempty"`
	ReplyMarkup       *wireMarkup     `json:"reply_markup,omitempty"`
}

type wireCallbackQuery struct {
	ID           string       `json:"id"`
	From         wireUser     `json:"from"`
	Message      *wireMessage `json:"message,omitempty"`
	ChatInstance string       `json:"chat_instance"`
	Data         string       `json:"data,omitempty"`
}

type wireUpdate struct {
	UpdateID      int                `json:"update_id"`
	Message       *wireMessage       `json:"message,omitempty"`
	EditedMessage *wireMessage       `json:"edited_message,omitempty"`
	CallbackQuery *wireCallbackQuery `json:"callback_query,omitempty"`
}

type responseParameters struct {
	MigrateToChatID int64 `json:"migrate_to_chat_id,omitempty"`
	RetryAfter      int   `json:"retry_after,omitempty"`
}

type apiResponse struct {
	OK          bool                `json:"ok"`
	Result      any                 `json:"result,omitempty"`
	ErrorCode   int                 `json:"error_code,omitempty"`
	Description string              `json:"description,omitempty"`
	Parameters  *responseParameters `json:"parameters,omitempty"`
}

// apiError is a refusal in the Bot API's shape: HTTP status = error_code.
type apiError struct {
	code   int
	desc   string
	params *responseParameters
}

var errNotFound = &apiError{code: http.StatusNotFound, desc: "Not Found"}

func badRequest(desc string) *apiError {
	return &apiError{code: http.StatusBadRequest, desc: "Bad Request: " + desc}
}

// writeJSON answers as the Bot API does: the JSON object alone, with its length. (A
// trailing newline, as json.Encoder writes, would be left unread by clients that decode
// the object and close the body — the Telegram library does — and cost them their
// keep-alive connection.)
func writeJSON(w http.ResponseWriter, status int, v apiResponse) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"ok":false,"error_code":500,"description":"fake: cannot encode the answer"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func writeResult(w http.ResponseWriter, result any) {
	writeJSON(w, http.StatusOK, apiResponse{OK: true, Result: result})
}

func writeError(w http.ResponseWriter, e *apiError) {
	writeJSON(w, e.code, apiResponse{ErrorCode: e.code, Description: e.desc, Parameters: e.params})
}

// readParams collects parameters the way the Bot API accepts them: query string,
// form-urlencoded, multipart or a JSON object (non-string JSON values kept as raw JSON).
func readParams(r *http.Request) (url.Values, error) {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "application/json" {
		var obj map[string]json.RawMessage
		if err := json.NewDecoder(r.Body).Decode(&obj); err != nil {
			return nil, fmt.Errorf("decode JSON body: %w", err)
		}
		out := r.URL.Query()
		for k, raw := range obj {
			var str string
			if json.Unmarshal(raw, &str) == nil {
				out.Set(k, str)
			} else {
				out.Set(k, strings.TrimSpace(string(raw)))
			}
		}
		return out, nil
	}
	if ct == "multipart/form-data" {
		if err := r.ParseMultipartForm(32 << 20); err != nil {
			return nil, fmt.Errorf("parse multipart: %w", err)
		}
	} else if err := r.ParseForm(); err != nil {
		return nil, fmt.Errorf("parse form: %w", err)
	}
	return r.Form, nil
}
