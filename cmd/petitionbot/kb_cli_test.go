package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

type askJSON struct {
	Answered   bool `json:"answered"`
	OutOfScope bool `json:"out_of_scope"`
	Matches    []struct {
		ID    string  `json:"id"`
		Score float64 `json:"score"`
	} `json:"matches"`
	Answer string `json:"answer"`
}

func runAsk(t *testing.T, args ...string) (askJSON, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), append([]string{"petitionbot", "ask"}, args...), func(string) string { return "" }, nil, &out, &errOut)
	if err != nil {
		t.Fatalf("ask %v: %v\n%s", args, err, errOut.String())
	}
	var got askJSON
	if strings.Contains(strings.Join(args, " "), "--json") {
		if strings.Count(strings.TrimSpace(out.String()), "\n") != 0 {
			t.Fatalf("--json must print one line:\n%s", out.String())
		}
		if err := json.Unmarshal(out.Bytes(), &got); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, out.String())
		}
	}
	return got, out.String()
}

func TestAskJSON(t *testing.T) {
	tests := []struct {
		lang, q, want string // want: entry ids separated by "|", or "scope" for out of scope
	}{
		{"zh-Hans", "找检察院申诉需要交钱不", "apply.fees"},
		{"zh-Hans", "再审被驳回八个月了还能找检察院吗", "apply.deadline|apply.missed-deadline"},
		{"en", "do I have to pay anything to apply", "apply.fees"},
		{"en", "what is a protest by the procuratorate", "review.protest"},
		{"zh-Hans", "我想离婚，孩子归谁", "scope"},
		{"en", "what's the weather tomorrow", "scope"},
	}
	for _, tt := range tests {
		got, _ := runAsk(t, "--lang", tt.lang, "--json", tt.q)
		switch tt.want {
		case "scope":
			if !got.OutOfScope || got.Answered {
				t.Errorf("%q: want out of scope, got %+v", tt.q, got)
			}
		default:
			if !got.Answered || len(got.Matches) == 0 || !strings.Contains("|"+tt.want+"|", "|"+got.Matches[0].ID+"|") {
				t.Errorf("%q: want %s answered, got %+v", tt.q, tt.want, got)
			}
		}
		if got.Answer == "" || strings.Contains(got.Answer, "<b>") {
			t.Errorf("%q: answer must be the plain text sent: %q", tt.q, got.Answer)
		}
		for i := 1; i < len(got.Matches); i++ {
			if got.Matches[i].Score > got.Matches[i-1].Score {
				t.Errorf("%q: matches not best first", tt.q)
			}
		}
		if len(got.Matches) > 5 {
			t.Errorf("%q: %d matches, at most 5", tt.q, len(got.Matches))
		}
	}
}

func TestAskPlainAndUsage(t *testing.T) {
	_, text := runAsk(t, "申请监督要准备什么材料")
	if !strings.Contains(text, "一般性的法律信息") {
		t.Errorf("the plain answer lacks the general-information line:\n%s", text)
	}
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"petitionbot", "ask", "--lang", "fr", "q"}, func(string) string { return "" }, nil, &out, &errOut)
	if !errors.Is(err, errUsage) {
		t.Fatalf("bad --lang: %v", err)
	}
}

func TestKBCheck(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"petitionbot", "kb", "check"}, nil, nil, &out, &bytes.Buffer{}); err != nil {
		t.Fatalf("the shipped base: %v\n%s", err, out.String())
	}
	out.Reset()
	err := run(context.Background(), []string{"petitionbot", "kb", "check", "../../knowledge/testdata/broken"}, nil, nil, &out, &bytes.Buffer{})
	if !errors.Is(err, errKBProblems) {
		t.Fatalf("a broken base must fail, got %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		if parts := strings.SplitN(line, ": ", 3); len(parts) != 3 {
			t.Errorf("not a file: id: problem line: %q", line)
		}
	}
	if !strings.Contains(out.String(), "entries/wrong.name.yaml: ok.entry: duplicate id") {
		t.Errorf("missing the duplicate-id line:\n%s", out.String())
	}
}
