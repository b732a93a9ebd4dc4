package fakeapi

import (
	"io"
	"net/http"
	"net/url"
	"strings"
)

// MaxCaptionLength is the longest caption Telegram accepts, in UTF-16 code units.
const MaxCaptionLength = 1024

// SentFile is a document or photo the bot sent: by a file id known to the Server, or
// uploaded with its content.
type SentFile struct {
	Kind    string // "document" or "photo"
	FileID  string // the file id, when sent by id
	Name    string // the uploaded file's name
	Content []byte // the uploaded content, or the known file's
}

// uploadPrefix marks a multipart file part in the parameters: "<field>" is
// uploadPrefix+name, "<field>#data" its content.
const uploadPrefix = "\x00upload:"

// readFiles adds the files of a multipart request to p.
func readFiles(r *http.Request, p url.Values) error {
	if r.MultipartForm == nil {
		return nil
	}
	for field, fhs := range r.MultipartForm.File {
		if len(fhs) == 0 {
			continue
		}
		f, err := fhs[0].Open()
		if err != nil {
			return err
		}
		data, err := io.ReadAll(f)
		f.Close()
		if err != nil {
			return err
		}
		p.Set(field, uploadPrefix+fhs[0].Filename)
		p.Set(field+"#data", string(data))
	}
	return nil
}

func (s *Server) sendDocument(p url.Values) (any, *apiError) { return s.sendFile(p, "document") }
func (s *Server) sendPhoto(p url.Values) (any, *apiError)    { return s.sendFile(p, "photo") }

// sendFile answers sendDocument and sendPhoto: a file by id must be known (users' files
// are, and AddFile's); an upload is kept with its content. The caption is checked as
// Telegram does.
func (s *Server) sendFile(p url.Values, kind string) (any, *apiError) {
	c, e := s.sendTargetLocked(p)
	if e != nil {
		return nil, e
	}
	ref := p.Get(kind)
	sf := &SentFile{Kind: kind}
	switch {
	case ref == "":
		return nil, badRequest("there is no " + kind + " in the request")
	case strings.HasPrefix(ref, uploadPrefix):
		sf.Name, sf.Content = strings.TrimPrefix(ref, uploadPrefix), []byte(p.Get(kind+"#data"))
	default:
		f := s.files[ref]
		if f == nil {
			return nil, badRequest("wrong file identifier/HTTP URL specified")
		}
		sf.FileID, sf.Content = ref, f.content
	}
	plain := ""
	if caption := p.Get("caption"); caption != "" {
		var ce *apiError
		if plain, ce = checkText(caption, p.Get("parse_mode"), "message caption is too long"); ce != nil {
			return nil, ce
		}
		if utf16Len(plain) > MaxCaptionLength {
			return nil, badRequest("message caption is too long")
		}
	}
	markup, e := parseMarkup(p.Get("reply_markup"))
	if e != nil {
		return nil, e
	}
	c.lastMsgID++
	m := &message{id: c.lastMsgID, fromBot: true, date: s.cfg.now().Unix(), text: p.Get("caption"), plain: plain,
		parseMode: p.Get("parse_mode"), markupRaw: p.Get("reply_markup"), markup: markup, file: sf}
	c.msgs = append(c.msgs, m)
	return s.wireMessageLocked(c, m), nil
}
