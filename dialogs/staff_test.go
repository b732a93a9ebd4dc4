package dialogs_test

import (
	"context"
	"strings"
	"testing"

	"github.com/petitionbot/petitionbot/dialogs"
)

// TestCardHasNoPersonalData: the card of a submitted case, as the staff group sees it,
// shows the case but none of the petitioner's personal data; the details view, for a
// private chat, does.
func TestCardHasNoPersonalData(t *testing.T) {
	h := newHarness(t, false)
	for _, in := range minorApplication {
		h.send("", h.input("", in))
	}
	cs, err := h.db.ByChat(context.Background(), petitionerChat)
	if err != nil || len(cs) != 1 {
		t.Fatalf("%d cases, %v", len(cs), err)
	}
	card, err := h.render.HTML(dialogs.Card(cs[0], dialogs.LangZh, shanghai, h.now))
	if err != nil {
		t.Fatal(err)
	}
	personal := []string{"小明", "520502200811280017", "0017", "13812345678", "13987654321", "王芳", "七星关区", "某某路", "没有任何补偿"}
	for _, p := range personal {
		if strings.Contains(card, p) {
			t.Errorf("the card shows %q:\n%s", p, card)
		}
	}
	for _, want := range []string{cs[0].Number, "毕节市中级人民法院", "某某镇人民政府", "2026-11-27 10:00"} {
		if !strings.Contains(card, want) {
			t.Errorf("the card lacks %q:\n%s", want, card)
		}
	}
}

var minorApplication = []string{
	"/start", "[menu.apply]", "[consent.agree]", "[consent.agree]", "[consent.agree]", "[target.judgment]", "[retrial.rejected]",
	"[answer.no]", "[service.signed]", "2026-09-01", "[applicant_type.individual]", "小明", "[id_type.resident]", "520502200811280017", "汉族",
	"[nav.skip]", "贵州省毕节市七星关区某某路8号", "13812345678", "王芳", "母亲", "13987654321",
	"某某镇人民政府", "[nav.skip]", "毕节市中级人民法院", "（2021）黔05行终123号", "2021-10-09", "[dispute.house]",
	"请求检察院对该判决依法提出抗诉", "镇政府拆除了我家的房屋，没有任何补偿，法院判决错误。", "[nav.done]", "[mediation.yes]", "[review.submit]",
}
